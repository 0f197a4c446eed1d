// Command mailhelp answers mail-client setup questions: "configure
// BlackBerry for alice@domaine.com", "quel port pour le serveur sortant ?".
//
// Usage:
//
//	mailhelp ask [--format text|markdown|json] [--lang LANG] [--config FILE] [QUESTION...]
//	mailhelp check [--format text|markdown|json] [--lang LANG] [--config FILE] [--user USER] ADDRESS | --host HOST
//	mailhelp check --account ADDRESS [--user LOGIN] [--send] [--format …] (password from $MAILHELP_PASSWORD or stdin)
//	mailhelp serve [--config FILE] [--listen ADDR]
//	mailhelp discovery records [--config FILE] DOMAIN
//	mailhelp discovery check [--format text|markdown|json] [--lang LANG] [--config FILE] DOMAIN|ADDRESS
//	mailhelp announce --domain D [--slack-channel C] [--discord-channel C] [--lang L] [--yes]
//	mailhelp audit [--file F] [--action A] [--user U] [--platform P] [--since D] [--json]
//	mailhelp config check FILE
//	mailhelp doctor [--config FILE] [--format text|json] [--check] [--timeout D]
//	mailhelp healthcheck [--url URL]
//	mailhelp version
//
// With no question, ask reads one question per line from standard input.
// The configuration comes from --config, else the MAILHELP_CONFIG
// environment variable, else the built-in default (domain domaine.com).
package main

import (
	"context"

	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // the command could not do its job
	exitUsage = 2 // the command line is wrong
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	code := m.Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// Main is the program with its environment, so tests can run it whole.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads the environment; the only place secrets and paths come
	// from besides flags.
	Getenv func(string) string
	// HUP, when set, replaces SIGHUP as the reload signal (tests).
	HUP <-chan struct{}
}

// hangups delivers SIGHUP (or m.HUP) until ctx is done.
func (m *Main) hangups(ctx context.Context) <-chan struct{} {
	if m.HUP != nil {
		return m.HUP
	}
	out := make(chan struct{}, 1)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGHUP)
	go func() {
		defer signal.Stop(sig)
		for {
			select {
			case <-ctx.Done():
				return
			case <-sig:
				select {
				case out <- struct{}{}:
				default:
				}
			}
		}
	}()
	return out
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(m *Main, ctx context.Context, args []string) int
}

var commands = []command{
	{"ask", "answer questions from the arguments or from standard input", (*Main).ask},
	{"check", "check a mail server live: TLS, certificate, capabilities, login", (*Main).check},
	{"serve", "serve the web chat, answer pages, JSON API, health and metrics", (*Main).serve},
	{"discovery", "discovery records|check: DNS records to publish for self-configuring apps, or check what a domain publishes", (*Main).discoveryCmd},
	{"announce", "post a domain's settings card to Slack and/or Discord channels", (*Main).announce},
	{"audit", "print the audit trail of live checks and admin actions", (*Main).auditCmd},
	{"config", "config init|check: write a starter configuration, or validate one with the line of each problem", (*Main).configCmd},
	{"doctor", "verify a deployment: configuration, audit trail, Slack, Discord, public URL, domains", (*Main).doctor},
	{"healthcheck", "exit 0 when a running serve answers /healthz (for containers)", (*Main).healthcheck},
	{"version", "print the version", (*Main).version},
}

// Run runs the subcommand named by args[0] and returns the exit code.
func (m *Main) Run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		m.usage(m.Stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		m.usage(m.Stdout)
		return exitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(m, ctx, args[1:])
		}
	}
	fmt.Fprintf(m.Stderr, "mailhelp: unknown command %q\n\n", args[0])
	m.usage(m.Stderr)
	return exitUsage
}

func (m *Main) usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: mailhelp <command> [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "mailhelp <command> -h" for a command's flags.`)
}
