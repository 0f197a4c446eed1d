package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/internal/limitedfile"
)

// configCmd runs "mailhelp config check FILE": it validates a
// configuration and prints each problem as FILE:LINE: field: why.
func (m *Main) configCmd(ctx context.Context, args []string) int {
	if len(args) != 2 || args[0] != "check" {
		fmt.Fprintln(m.Stderr, "Usage: mailhelp config check FILE")
		return exitUsage
	}
	path := args[1]
	data, err := limitedfile.Read(path, config.MaxSize)
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp config check: %v\n", err)
		return exitFail
	}
	if _, err := config.Parse(data); err != nil {
		var ce *config.Error
		if !errors.As(err, &ce) {
			fmt.Fprintf(m.Stderr, "%s: %v\n", path, err)
			return exitFail
		}
		for _, p := range ce.Problems {
			loc := path
			if p.Line > 0 {
				loc = fmt.Sprintf("%s:%d", path, p.Line)
			}
			if p.Field != "" {
				fmt.Fprintf(m.Stdout, "%s: %s: %s\n", loc, p.Field, p.Msg)
			} else {
				fmt.Fprintf(m.Stdout, "%s: %s\n", loc, p.Msg)
			}
		}
		return exitFail
	}
	fmt.Fprintf(m.Stdout, "%s: ok\n", path)
	return exitOK
}
