package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mailhelp/mailhelp/locales"
)

// outputFlags are the flags every answering subcommand shares.
type outputFlags struct {
	format, lang, config *string
}

// register adds --format, --lang and --config to fs; langDefault says
// where the language comes from when --lang is not given.
func (o *outputFlags) register(fs *flag.FlagSet, langDefault string) {
	o.format = fs.String("format", "text", "output format: text, markdown or json")
	o.lang = fs.String("lang", "", "answer language: one of "+strings.Join(locales.Tags(), ", ")+" (default: "+langDefault+")")
	o.config = fs.String("config", "", "configuration file (default: $MAILHELP_CONFIG, else built in)")
}

// validate reports a wrong --format or --lang on stderr.
func (o *outputFlags) validate(stderr io.Writer, cmd string) bool {
	switch *o.format {
	case "text", "markdown", "json":
	default:
		fmt.Fprintf(stderr, "mailhelp %s: unknown format %q (want text, markdown or json)\n", cmd, *o.format)
		return false
	}
	if langs := locales.Tags(); *o.lang != "" && !slices.Contains(langs, *o.lang) {
		fmt.Fprintf(stderr, "mailhelp %s: unknown language %q (want one of %s)\n", cmd, *o.lang, strings.Join(langs, ", "))
		return false
	}
	return true
}

// parseFlags parses args; code is the exit code to return when ok is
// false (help asked: 0, bad flags: usage error).
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	return 0, true
}

// parseInterspersed is parseFlags for a command whose arguments may come
// before, after or between its flags ("discovery check domaine.com
// --format json"), and returns the arguments; after "--" everything is
// an argument.
func parseInterspersed(fs *flag.FlagSet, args []string) (rest []string, code int, ok bool) {
	for {
		if code, ok := parseFlags(fs, args); !ok {
			return nil, code, false
		}
		left := fs.Args()
		if n := len(args) - len(left); n > 0 && args[n-1] == "--" {
			return append(rest, left...), 0, true
		}
		if len(left) == 0 {
			return rest, 0, true
		}
		rest, args = append(rest, left[0]), left[1:]
	}
}
