package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/mailhelp/mailhelp/app"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/discordbot"
	"github.com/mailhelp/mailhelp/bot/render"
	"github.com/mailhelp/mailhelp/bot/slackbot"
	"github.com/mailhelp/mailhelp/locales"
)

// announceTarget is one channel to post an announcement to.
type announceTarget struct {
	name, channel string
	post          func(ctx context.Context, channel string, card *bot.Reply) error
}

// announce posts a domain's settings card to Slack and/or Discord
// channels, after showing it and asking for confirmation. Whoever holds
// the bots' tokens is an admin here; the post is audited as the CLI's.
func (m *Main) announce(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("announce", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	domain := fs.String("domain", "", "the mail domain whose settings to announce")
	slackCh := fs.String("slack-channel", "", "Slack channel id (needs SLACK_BOT_TOKEN)")
	discordCh := fs.String("discord-channel", "", "Discord channel id (needs DISCORD_BOT_TOKEN)")
	lang := fs.String("lang", "", "language of the card: one of "+strings.Join(locales.Tags(), ", ")+
		" (default: the channel's from announce.channels, else the domain's, else the configuration's)")
	yes := fs.Bool("yes", false, "post without asking for confirmation")
	cfgPath := fs.String("config", "", "configuration file (default: $MAILHELP_CONFIG, else built in)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *domain == "" || (*slackCh == "" && *discordCh == "") {
		fmt.Fprintln(m.Stderr, "mailhelp announce: give --domain and at least one of --slack-channel, --discord-channel")
		return exitUsage
	}
	if !m.knownLang("announce", *lang, locales.Tags()) {
		return exitUsage
	}
	if *slackCh != "" && m.Getenv("SLACK_BOT_TOKEN") == "" || *discordCh != "" && m.Getenv("DISCORD_BOT_TOKEN") == "" {
		fmt.Fprintln(m.Stderr, "mailhelp announce: posting needs SLACK_BOT_TOKEN for Slack and DISCORD_BOT_TOKEN for Discord")
		return exitUsage
	}
	a, err := m.newApp(*cfgPath, app.Options{AuditAlways: true})
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp announce: %v\n", err)
		return exitFail
	}
	defer a.Close()
	// An admin action that cannot be audited is not done.
	if err := a.AuditReady(); err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp announce: the audit trail cannot be written, so nothing is posted: %v\n", err)
		return exitFail
	}
	targets, err := m.announceTargets(a, *slackCh, *discordCh)
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp announce: %v\n", err)
		return exitFail
	}
	anns := make([]*bot.Announcement, len(targets))
	for i, t := range targets {
		if anns[i], err = a.Announcement(*domain, t.channel, *lang); err != nil {
			fmt.Fprintf(m.Stderr, "mailhelp announce: %v\n", err)
			return exitFail
		}
	}
	m.showCards(anns)
	if !*yes && !m.confirm() {
		fmt.Fprintln(m.Stdout, "Nothing posted.")
		return exitOK
	}
	return m.postAnnouncements(ctx, a, targets, anns)
}

// announceTargets are the channels to post to, with the adapters that
// post there; tokens come from the environment only.
func (m *Main) announceTargets(a *app.App, slackCh, discordCh string) ([]announceTarget, error) {
	var targets []announceTarget
	cat, quiet := a.Catalog(), m.logger()
	if slackCh != "" {
		sa, err := slackbot.New(slackbot.Config{BotToken: m.Getenv("SLACK_BOT_TOKEN"),
			APIURL: m.Getenv("SLACK_API_URL")}, slackbot.Options{Translator: cat, Logger: quiet})
		if err != nil {
			return nil, err
		}
		targets = append(targets, announceTarget{"Slack", slackCh, sa.PostReply})
	}
	if discordCh != "" {
		db, err := discordbot.New(discordbot.Config{Token: m.Getenv("DISCORD_BOT_TOKEN"), APIURL: m.Getenv("DISCORD_API_URL")},
			discordbot.Options{Translator: cat, Logger: quiet})
		if err != nil {
			return nil, err
		}
		targets = append(targets, announceTarget{"Discord", discordCh, db.Adapter.PostReply})
	}
	return targets, nil
}

// showCards prints each language's card once.
func (m *Main) showCards(anns []*bot.Announcement) {
	shown := map[string]bool{}
	for _, ann := range anns {
		for _, card := range ann.Cards {
			if !shown[card.Lang] {
				shown[card.Lang] = true
				fmt.Fprint(m.Stdout, render.Text(card))
			}
		}
	}
}

// confirm asks on stdin whether to post.
func (m *Main) confirm() bool {
	fmt.Fprint(m.Stdout, "\nPost this? [y/N] ")
	line, _, err := readLine(bufio.NewReader(m.Stdin), 16)
	answer := strings.TrimSpace(line)
	return (err == nil || err == io.EOF) && (strings.EqualFold(answer, "y") || strings.EqualFold(answer, "yes"))
}

// postAnnouncements posts each announcement's cards in order and records
// the outcome; exit 1 when any channel failed or an outcome could not be
// recorded (its record is then printed on stderr, to be kept by hand).
func (m *Main) postAnnouncements(ctx context.Context, a *app.App, targets []announceTarget, anns []*bot.Announcement) int {
	code := exitOK
	for i, t := range targets {
		_, err := bot.PostCards(anns[i], func(card *bot.Reply) error { return t.post(ctx, t.channel, card) })
		if entry, aerr := a.Announcements().RecordPosted(anns[i], err); aerr != nil {
			b, _ := json.Marshal(entry)
			fmt.Fprintf(m.Stderr, "mailhelp announce: %v; keep this record by hand:\n%s\n", aerr, b)
			code = exitFail
		}
		if err != nil {
			fmt.Fprintf(m.Stderr, "mailhelp announce: %s channel %s: %v\n", t.name, t.channel, err)
			code = exitFail
			continue
		}
		fmt.Fprintf(m.Stdout, "Posted to %s channel %s.\n", t.name, t.channel)
	}
	return code
}
