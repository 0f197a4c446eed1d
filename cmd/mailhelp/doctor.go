package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/mailhelp/mailhelp/app"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/internal/doctor"
	"github.com/mailhelp/mailhelp/locales"
	"github.com/mailhelp/mailhelp/probe"
)

// doctor verifies a deployment (configuration, audit trail, Slack,
// Discord, the public address, the domains' servers) and prints a
// checklist with a fix for each problem: exit 1 when something blocks,
// 0 otherwise (warnings included).
func (m *Main) doctor(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	cfgPath := fs.String("config", "", "configuration file (default: $MAILHELP_CONFIG, else built in)")
	format := fs.String("format", "text", "output format: text (a checklist) or json")
	live := fs.Bool("check", false, "also run a live check of each configured domain's servers (as mailhelp check does)")
	timeout := fs.Duration("timeout", 10*time.Second, "bound on each network call")
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "Usage: mailhelp doctor [flags]")
		fmt.Fprintln(m.Stderr, "Checks the configuration, the audit trail, the Slack and Discord tokens, scopes, intents,")
		fmt.Fprintln(m.Stderr, "commands and channels, web.public_url and each domain's servers, with the same environment")
		fmt.Fprintln(m.Stderr, "as mailhelp serve (SLACK_BOT_TOKEN, DISCORD_BOT_TOKEN, MAILHELP_CONFIG…).")
		fmt.Fprintln(m.Stderr, "Exit status: 0 nothing blocks (warnings allowed), 1 something blocks, 2 usage error.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if (*format != "text" && *format != "json") || *timeout <= 0 || fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	opts := m.doctorOptions(*cfgPath, *timeout)
	if *live && opts.Config != nil {
		a, err := m.newApp(*cfgPath, app.Options{})
		if err != nil {
			opts.LiveCheck = func(context.Context, string) (*probe.Report, error) { return nil, err }
		} else {
			defer a.Close()
			opts.LiveCheck = liveCheck(a)
		}
	}
	report := doctor.Run(ctx, opts)
	var err error
	if *format == "json" {
		err = report.WriteJSON(m.Stdout)
	} else {
		err = report.WriteText(m.Stdout)
	}
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp doctor: %v\n", err)
		return exitFail
	}
	if report.Blocking() {
		return exitFail
	}
	return exitOK
}

// doctorOptions gathers what doctor checks: the configuration as serve
// would load it, its audit trail as serve would resolve it, and the
// chat platforms' variables. Secrets come only from the environment.
func (m *Main) doctorOptions(cfgPath string, timeout time.Duration) doctor.Options {
	stampWebBuild() // the version compared with the public instance's
	opts := doctor.Options{ConfigSource: m.configPath(cfgPath), Timeout: timeout, Env: doctor.Env{
		SlackBotToken: m.Getenv("SLACK_BOT_TOKEN"), SlackAppToken: m.Getenv("SLACK_APP_TOKEN"),
		SlackSigningSecret: m.Getenv("SLACK_SIGNING_SECRET"), SlackAPIURL: m.Getenv("SLACK_API_URL"),
		DiscordBotToken: m.Getenv("DISCORD_BOT_TOKEN"), DiscordAppID: m.Getenv("DISCORD_APP_ID"),
		DiscordGuildID: m.Getenv("DISCORD_GUILD_ID"), DiscordAPIURL: m.Getenv("DISCORD_API_URL"),
	}}
	if cat, err := locales.Load(); err == nil {
		opts.Translator = cat
	}
	cfg, err := m.loadConfig(cfgPath)
	if err != nil {
		opts.ConfigErr = err
		return opts
	}
	opts.Config = cfg
	opts.AuditErr = m.resolveAudit(cfg)
	opts.AuditFile = cfg.Audit.File
	return opts
}

// liveCheck checks a configured domain through mailhelp check's path
// (app.App.Check: same target, dial policy and audit trail).
func liveCheck(a *app.App) doctor.LiveCheck {
	return func(ctx context.Context, domain string) (*probe.Report, error) {
		ctx, cancel := context.WithTimeout(ctx, a.Config().Check.Budget+5*time.Second)
		defer cancel()
		reply, err := a.Check(ctx, app.CheckRequest{Target: "postmaster@" + domain, Kind: bot.TargetAddress})
		if err != nil {
			return nil, fmt.Errorf("live check of %s: %w", domain, err)
		}
		if reply.Check == nil {
			return nil, errors.New(reply.Title)
		}
		return reply.Check, nil
	}
}
