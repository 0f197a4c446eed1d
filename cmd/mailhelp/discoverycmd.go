package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/mailhelp/mailhelp/app"
	"github.com/mailhelp/mailhelp/discovery"
)

// discoveryCmd runs "discovery records DOMAIN" (the DNS records to
// publish) and "discovery check DOMAIN|ADDRESS" (what the domain really
// publishes, compared with its settings and the live server).
func (m *Main) discoveryCmd(ctx context.Context, args []string) int {
	usage := func(w io.Writer) {
		fmt.Fprintln(w, "Usage: mailhelp discovery records [--config FILE] DOMAIN")
		fmt.Fprintln(w, "       mailhelp discovery check [--format text|markdown|json] [--lang LANG] [--config FILE] DOMAIN|ADDRESS")
	}
	if len(args) == 0 {
		usage(m.Stderr)
		return exitUsage
	}
	switch args[0] {
	case "records":
		return m.discoveryRecords(args[1:])
	case "check":
		return m.discoveryCheck(ctx, args[1:])
	case "-h", "-help", "--help", "help":
		usage(m.Stdout)
		return exitOK
	}
	fmt.Fprintf(m.Stderr, "mailhelp discovery: unknown subcommand %q\n", args[0])
	usage(m.Stderr)
	return exitUsage
}

// discoveryRecords prints the zone-file lines a domain should publish.
func (m *Main) discoveryRecords(args []string) int {
	fs := flag.NewFlagSet("discovery records", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	cfgFile := fs.String("config", "", "configuration file (default: $MAILHELP_CONFIG, else built in)")
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "Usage: mailhelp discovery records [--config FILE] DOMAIN")
		fmt.Fprintln(m.Stderr, "Prints the DNS records (zone-file lines) that let mail apps find DOMAIN's servers and mailhelp's autoconfig.")
		fs.PrintDefaults()
	}
	rest, code, ok := parseInterspersed(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		fs.Usage()
		return exitUsage
	}
	a, err := m.newApp(*cfgFile, app.Options{})
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp discovery records: %v\n", err)
		return exitFail
	}
	defer a.Close()
	zone, err := a.Records(rest[0])
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp discovery records: %v\n", err)
		if errors.Is(err, app.ErrNotConfigured) {
			return exitUsage
		}
		return exitFail
	}
	_, _ = io.WriteString(m.Stdout, zone)
	return exitOK
}

// discoveryCheck checks what a domain publishes; exit 1 when something
// published is wrong (verdict fail).
func (m *Main) discoveryCheck(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("discovery check", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	var of outputFlags
	of.register(fs, "the domain's, else the configuration's")
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "Usage: mailhelp discovery check [flags] DOMAIN|ADDRESS")
		fmt.Fprintln(m.Stderr, "Fetches DOMAIN's SRV records, autoconfig and Autodiscover and compares them with its settings and the live server.")
		fmt.Fprintln(m.Stderr, "Exit status: 0 nothing published is wrong, 1 something published is wrong or the check failed, 2 usage error.")
		fs.PrintDefaults()
	}
	rest, code, ok := parseInterspersed(fs, args)
	if !ok {
		return code
	}
	if !of.validate(m.Stderr, "discovery check") {
		return exitUsage
	}
	if len(rest) != 1 || strings.TrimSpace(rest[0]) == "" || strings.ContainsAny(strings.TrimSpace(rest[0]), " \t") {
		fs.Usage()
		return exitUsage
	}
	target := strings.TrimSpace(rest[0])
	a, err := m.newApp(*of.config, app.Options{})
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp discovery check: %v\n", err)
		return exitFail
	}
	defer a.Close()
	reply, err := a.Discovery(ctx, target, *of.lang)
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp discovery check: %v\n", err)
		if errors.Is(err, app.ErrNotConfigured) {
			return exitUsage
		}
		return exitFail
	}
	if err := m.writeResult(*of.format, reply, reply.Discovery); err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp discovery check: %v\n", err)
		return exitFail
	}
	if reply.Discovery.Verdict == discovery.VerdictFail {
		return exitFail
	}
	return exitOK
}
