package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/render"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/locales"
	"github.com/mailhelp/mailhelp/probe"
)

// check runs a live check of an address's or a host's mail server.
func (m *Main) check(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	host := fs.String("host", "", "check this server instead of an address's")
	var of outputFlags
	of.register(fs, "the configuration's")
	user := fs.String("user", "", "also log in as this user; the password comes from $MAILHELP_PASSWORD, else the first line of standard input")
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "Usage: mailhelp check [flags] ADDRESS | --host HOST")
		fmt.Fprintln(m.Stderr, "Exit status: 0 the recommended settings work, 1 something they need fails, 2 usage error.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if !of.validate(m.Stderr, "check") {
		return exitUsage
	}
	format, lang := of.format, of.lang
	subject := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if (subject == "") == (*host == "") {
		fmt.Fprintln(m.Stderr, "mailhelp check: give an address, or --host HOST, not both")
		fs.Usage()
		return exitUsage
	}
	if *host != "" {
		subject = *host
	}
	p := bot.Parse("check " + subject)
	if p.Address.IsZero() && p.Host == "" {
		fmt.Fprintf(m.Stderr, "mailhelp check: %q is neither an address nor a host name\n", subject)
		return exitUsage
	}
	cfg, err := m.loadConfig(*of.config)
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp check: %v\n", err)
		return exitFail
	}
	var creds *probe.Credentials
	if *user != "" {
		pw, err := m.password()
		if err != nil {
			fmt.Fprintf(m.Stderr, "mailhelp check: %v\n", err)
			return exitUsage
		}
		creds = &probe.Credentials{Username: *user, Password: pw}
	}
	checker, err := m.newChecker(cfg)
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp check: %v\n", err)
		return exitFail
	}
	cat, err := locales.Load()
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp check: %v\n", err)
		return exitFail
	}
	l := bot.NormalizeLang(*lang)
	if l == "" {
		l = cmpOr(handlers.DomainLang(cfg.Directory)(p), cfg.DefaultLanguage)
	}
	loc := cat.For(l)

	target, err := handlers.CheckTarget(cfg.Directory, p)
	if err != nil {
		return m.refuse(loc, err)
	}
	trail, err := openAudit(cfg)
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp check: %v\n", err)
		return exitFail
	}
	rep, err := checker.Check(ctx, target, creds)
	if trail != nil {
		result := "error"
		var pe *probe.PolicyError
		switch {
		case errors.As(err, &pe):
			result = "refused:" + pe.Code
		case err == nil:
			result = string(rep.Verdict)
		}
		_ = trail.Record(audit.Entry{Platform: "cli", User: "cli", Action: "check", Target: target.Host, Result: result})
		_ = trail.Close()
	}
	if err != nil {
		return m.refuse(loc, err)
	}
	out := bufio.NewWriter(m.Stdout)
	defer out.Flush()
	switch *format {
	case "json":
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(m.Stderr, "mailhelp check: %v\n", err)
			return exitFail
		}
	case "markdown":
		reply := handlers.CheckReply(loc, rep)
		reply.Lang = l
		_, _ = io.WriteString(out, render.Markdown(reply))
	default:
		reply := handlers.CheckReply(loc, rep)
		reply.Lang = l
		_, _ = io.WriteString(out, render.Text(reply))
	}
	if rep.Verdict == probe.StatusFail {
		return exitFail
	}
	return exitOK
}

// refuse explains why a check could not run; exit 1.
func (m *Main) refuse(loc bot.Localizer, err error) int {
	var be *bot.Error
	var pe *probe.PolicyError
	switch {
	case errors.As(err, &be):
		fmt.Fprintf(m.Stderr, "mailhelp check: %s\n", loc.Text(be.MsgID, be.Data))
	case errors.As(err, &pe):
		fmt.Fprintf(m.Stderr, "mailhelp check: %v\n", pe)
	default:
		fmt.Fprintf(m.Stderr, "mailhelp check: %v\n", err)
	}
	return exitFail
}

// password reads the password from the environment, else from the first
// line of standard input. It is never a flag, never echoed, never logged.
func (m *Main) password() (string, error) {
	if pw := m.Getenv("MAILHELP_PASSWORD"); pw != "" {
		return pw, nil
	}
	line, _, err := readLine(bufio.NewReader(m.Stdin), 1024)
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the password from standard input: %w", err)
	}
	if line == "" {
		return "", errors.New("--user needs a password in $MAILHELP_PASSWORD or on standard input")
	}
	return line, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
