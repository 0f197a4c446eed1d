package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/discordbot"
	"github.com/mailhelp/mailhelp/bot/render"
	"github.com/mailhelp/mailhelp/bot/slackbot"
	"github.com/mailhelp/mailhelp/locales"
)

// announce posts a domain's settings card to Slack and/or Discord
// channels, after showing it and asking for confirmation. Whoever holds
// the bots' tokens is an admin here; the post is audited as the CLI's.
func (m *Main) announce(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("announce", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	domain := fs.String("domain", "", "the mail domain whose settings to announce")
	slackCh := fs.String("slack-channel", "", "Slack channel id (needs SLACK_BOT_TOKEN)")
	discordCh := fs.String("discord-channel", "", "Discord channel id (needs DISCORD_BOT_TOKEN)")
	lang := fs.String("lang", "", "language of the card: en or fr (default: the channel's from announce.channels, else the domain's, else the configuration's)")
	yes := fs.Bool("yes", false, "post without asking for confirmation")
	cfgPath := fs.String("config", "", "configuration file (default: $MAILHELP_CONFIG, else built in)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *domain == "" || (*slackCh == "" && *discordCh == "") {
		fmt.Fprintln(m.Stderr, "mailhelp announce: give --domain and at least one of --slack-channel, --discord-channel")
		return exitUsage
	}
	if *lang != "" && !bot.Supported(*lang) {
		fmt.Fprintf(m.Stderr, "mailhelp announce: unknown language %q (want en or fr)\n", *lang)
		return exitUsage
	}
	if *slackCh != "" && m.Getenv("SLACK_BOT_TOKEN") == "" || *discordCh != "" && m.Getenv("DISCORD_BOT_TOKEN") == "" {
		fmt.Fprintln(m.Stderr, "mailhelp announce: posting needs SLACK_BOT_TOKEN for Slack and DISCORD_BOT_TOKEN for Discord")
		return exitUsage
	}
	cfg, err := m.loadConfig(*cfgPath)
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp announce: %v\n", err)
		return exitFail
	}
	d, ok := cfg.Directory.Lookup(*domain)
	if !ok {
		fmt.Fprintf(m.Stderr, "mailhelp announce: %s is not in the configuration\n", *domain)
		return exitFail
	}
	l := cmpOr(bot.NormalizeLang(*lang), cmpOr(bot.NormalizeLang(d.Language), cfg.DefaultLanguage))
	cat, err := locales.Load()
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp announce: %v\n", err)
		return exitFail
	}
	pol := newAnnouncer(cfg, cat)
	if *lang != "" {
		pol.ChannelLang = nil // the flag wins over the channels' languages
	}
	cardsOf := func(channel string) []*bot.Reply { return pol.Cards(channel, l, d) }
	shown := map[string]bool{}
	for _, ch := range []string{*slackCh, *discordCh} {
		for _, card := range cardsOf(ch) {
			if ch != "" && !shown[card.Lang] {
				shown[card.Lang] = true
				fmt.Fprint(m.Stdout, render.Text(card))
			}
		}
	}
	if !*yes {
		fmt.Fprint(m.Stdout, "\nPost this? [y/N] ")
		line, _, err := readLine(bufio.NewReader(m.Stdin), 16)
		if err != nil && err != io.EOF || !strings.EqualFold(strings.TrimSpace(line), "y") && !strings.EqualFold(strings.TrimSpace(line), "yes") {
			fmt.Fprintln(m.Stdout, "Nothing posted.")
			return exitOK
		}
	}
	trail, _ := openAudit(cfg)
	record := func(channel, result string) {
		if trail != nil {
			_ = trail.Record(audit.Entry{Platform: "cli", User: "cli", Action: "announce", Target: d.Name, Channel: channel, Result: result})
		}
	}
	defer func() {
		if trail != nil {
			_ = trail.Close()
		}
	}()
	code := exitOK
	quiet := m.logger()
	type target struct {
		name, channel string
		post          func() error
	}
	var targets []target
	if *slackCh != "" {
		sa := slackbot.New(slackbot.NewClient(m.Getenv("SLACK_BOT_TOKEN"), "", m.Getenv("SLACK_API_URL")),
			slackbot.Options{Translator: cat, Logger: quiet})
		targets = append(targets, target{"Slack", *slackCh, func() error {
			return postAll(cardsOf(*slackCh), func(c *bot.Reply) error { return sa.PostReply(ctx, *slackCh, c) })
		}})
	}
	if *discordCh != "" {
		db, err := discordbot.New(discordbot.Config{Token: m.Getenv("DISCORD_BOT_TOKEN"), APIURL: m.Getenv("DISCORD_API_URL")},
			discordbot.Options{Translator: cat, Logger: quiet})
		if err != nil {
			fmt.Fprintf(m.Stderr, "mailhelp announce: %v\n", err)
			return exitFail
		}
		targets = append(targets, target{"Discord", *discordCh, func() error {
			return postAll(cardsOf(*discordCh), func(c *bot.Reply) error { return db.Adapter.PostReply(ctx, *discordCh, c) })
		}})
	}
	for _, t := range targets {
		if err := t.post(); err != nil {
			record(t.channel, "failed")
			fmt.Fprintf(m.Stderr, "mailhelp announce: %s channel %s: %v\n", t.name, t.channel, err)
			code = exitFail
			continue
		}
		record(t.channel, "posted")
		fmt.Fprintf(m.Stdout, "Posted to %s channel %s.\n", t.name, t.channel)
	}
	return code
}

// postAll posts cards in order, stopping at the first failure.
func postAll(cards []*bot.Reply, post func(*bot.Reply) error) error {
	_, err := bot.PostCards(&bot.Announcement{ID: "cli", Cards: cards}, post)
	return err
}
