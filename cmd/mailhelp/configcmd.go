package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/internal/limitedfile"
)

// configUsage lists the config subcommands.
const configUsage = `Usage:
  mailhelp config init [--domain D] [--host H] [--webmail URL] [--support S] [--lang L] [--output FILE] [--force]
      write a commented starter configuration (mailhelp.yaml)
  mailhelp config check FILE
      validate a configuration, with the line of each problem`

// configCmd runs "mailhelp config init" (configinit.go) and "mailhelp
// config check FILE".
func (m *Main) configCmd(ctx context.Context, args []string) int {
	switch {
	case len(args) >= 1 && args[0] == "init":
		return m.configInit(ctx, args[1:])
	case len(args) == 2 && args[0] == "check":
		return m.configCheck(args[1])
	case len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help"):
		fmt.Fprintln(m.Stdout, configUsage)
		return exitOK
	}
	fmt.Fprintln(m.Stderr, configUsage)
	return exitUsage
}

// configCheck validates a configuration file and prints each problem as
// FILE:LINE: field: why.
func (m *Main) configCheck(path string) int {
	data, err := limitedfile.Read(path, config.MaxSize)
	if err != nil {
		err = configSizeError(path, err)
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
