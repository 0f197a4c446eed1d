package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// version prints the module version and the commit it was built from.
func (m *Main) version(ctx context.Context, args []string) int {
	v, rev := "(devel)", ""
	if info, ok := debug.ReadBuildInfo(); ok {
		if info.Main.Version != "" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				rev = s.Value
			}
		}
	}
	if rev != "" {
		fmt.Fprintf(m.Stdout, "mailhelp %s (%s)\n", v, rev)
	} else {
		fmt.Fprintf(m.Stdout, "mailhelp %s\n", v)
	}
	return exitOK
}
