package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/mailhelp/mailhelp/bot/web"
	"github.com/mailhelp/mailhelp/internal/buildinfo"
)

// stampWebBuild tells the web side the build, which it reports in
// /metrics (mailhelp_build_info) and /healthz, and which doctor compares
// with the public instance's; it imports nothing but the core. Serve and
// doctor call it before they use the web side; no other command reads
// the build information, which costs its parsing at start.
var stampWebBuild = sync.OnceFunc(func() {
	in := buildinfo.Get()
	web.Build = web.BuildInfo{Version: in.Version, Commit: in.Commit, Date: in.Date, GoVersion: in.GoVersion}
})

// version prints the version, the commit it was built from and its date
// (stamped by scripts/build.sh and scripts/release.sh, else what the Go
// toolchain recorded).
func (m *Main) version(ctx context.Context, args []string) int {
	switch {
	case len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help"):
		fmt.Fprintln(m.Stdout, "Usage: mailhelp version")
		return exitOK
	case len(args) > 0:
		fmt.Fprintln(m.Stderr, "Usage: mailhelp version")
		return exitUsage
	}
	fmt.Fprintln(m.Stdout, buildinfo.Get())
	return exitOK
}
