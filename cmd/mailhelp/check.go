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

	"golang.org/x/term"

	"github.com/mailhelp/mailhelp/app"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/render"
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
	account := fs.String("account", "", "test this address's account: log in (as --user, default the address), look at the mailbox, prove push; password as for --user")
	send := fs.Bool("send", false, "with --account, also send a test message to the address, see it arrive, and delete it")
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "Usage: mailhelp check [flags] ADDRESS | --host HOST | --account ADDRESS [--user LOGIN] [--send]")
		fmt.Fprintln(m.Stderr, "Exit status: 0 the recommended settings work, 1 something they need fails, 2 usage error.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if !of.validate(m.Stderr, "check") {
		return exitUsage
	}
	subject := strings.TrimSpace(strings.Join(fs.Args(), " "))
	var cr app.CheckRequest
	var ok bool
	if *account != "" || *send {
		cr, ok = m.accountRequest(subject, *account, *host, *user, *send, *of.lang)
	} else {
		cr, ok = m.checkRequest(subject, *host, *user, *of.lang)
	}
	if !ok {
		fs.Usage()
		return exitUsage
	}
	a, err := m.newApp(*of.config, app.Options{})
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp check: %v\n", err)
		return exitFail
	}
	defer a.Close()
	reply, err := a.Check(ctx, cr)
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp check: %v\n", err)
		return exitFail
	}
	if reply.Code == bot.CodeBadTarget {
		fmt.Fprintf(m.Stderr, "mailhelp check: %q is neither an address nor a host name\n", cr.Target)
		return exitUsage
	}
	if reply.Check == nil {
		fmt.Fprintf(m.Stderr, "mailhelp check: %s\n", reply.Title)
		return exitFail
	}
	return m.printCheck(*of.format, reply)
}

// checkRequest reads check's arguments: an address or --host, and with
// --user the password.
func (m *Main) checkRequest(subject, host, user, lang string) (app.CheckRequest, bool) {
	if (subject == "") == (host == "") {
		fmt.Fprintln(m.Stderr, "mailhelp check: give an address, or --host HOST, not both")
		return app.CheckRequest{}, false
	}
	cr := app.CheckRequest{Target: subject, Kind: bot.TargetAny, Lang: lang}
	if host != "" {
		cr.Target, cr.Kind = host, bot.TargetHost
	}
	if user != "" {
		pw, err := m.password()
		if err != nil {
			fmt.Fprintf(m.Stderr, "mailhelp check: %v\n", err)
			return app.CheckRequest{}, false
		}
		cr.Creds = &probe.Credentials{Username: user, Password: pw}
	}
	return cr, true
}

// accountRequest reads check's arguments for an account test: the
// address (--account, or as the argument), the login and the password.
func (m *Main) accountRequest(subject, account, host, user string, send bool, lang string) (app.CheckRequest, bool) {
	switch {
	case account == "":
		fmt.Fprintln(m.Stderr, "mailhelp check: --send needs --account ADDRESS")
		return app.CheckRequest{}, false
	case host != "" || (subject != "" && subject != account):
		fmt.Fprintln(m.Stderr, "mailhelp check: --account takes the address; give no other address nor --host")
		return app.CheckRequest{}, false
	}
	pw, err := m.password()
	if err != nil || pw == "" {
		fmt.Fprintln(m.Stderr, "mailhelp check: the account test needs the password, in $MAILHELP_PASSWORD or as the first line of standard input")
		return app.CheckRequest{}, false
	}
	return app.CheckRequest{Target: account, Kind: bot.TargetAddress, Lang: lang,
		Account: &bot.AccountTest{Username: user, Password: pw, Send: send}}, true
}

// printCheck writes a check's result; exit 1 when what the recommended
// settings need fails.
func (m *Main) printCheck(format string, reply *bot.Reply) int {
	if err := m.writeResult(format, reply, reply.Check); err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp check: %v\n", err)
		return exitFail
	}
	if reply.Check.Verdict == probe.StatusFail {
		return exitFail
	}
	return exitOK
}

// writeResult writes a check's reply on stdout in format: report as
// indented JSON, else the reply as Markdown or terminal text.
func (m *Main) writeResult(format string, reply *bot.Reply, report any) error {
	out := bufio.NewWriter(m.Stdout)
	switch format {
	case "json":
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return err
		}
	case "markdown":
		_, _ = io.WriteString(out, render.Markdown(reply))
	default:
		_, _ = io.WriteString(out, render.Text(reply))
	}
	return out.Flush()
}

// password reads the password from the environment, else from standard
// input: typed at a prompt without echo when it is a terminal, else its
// first line. It is never a flag, never echoed, never logged.
func (m *Main) password() (string, error) {
	if pw := m.Getenv("MAILHELP_PASSWORD"); pw != "" {
		return pw, nil
	}
	if f, ok := m.Stdin.(fder); ok && isTerminal(m.Stdin) {
		fmt.Fprint(m.Stderr, "Password (not shown): ")
		pw, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(m.Stderr)
		if err != nil {
			return "", fmt.Errorf("reading the password from the terminal: %w", err)
		}
		if len(pw) == 0 {
			return "", errors.New("--user needs a password in $MAILHELP_PASSWORD or on standard input")
		}
		return string(pw), nil
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
