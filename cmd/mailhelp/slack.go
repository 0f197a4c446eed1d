package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/slackbot"
	"github.com/mailhelp/mailhelp/bot/web"
	"github.com/mailhelp/mailhelp/handlers"
)

// slackSetup is the Slack side of serve, when its tokens are present.
type slackSetup struct {
	adapter *slackbot.Adapter
	client  *slackbot.Client
	socket  bool         // Socket Mode (else HTTP mode)
	mount   http.Handler // HTTP mode endpoints under /slack/
}

// startSlack builds the Slack adapter from the environment, or returns
// nil when SLACK_BOT_TOKEN is not set. Secrets come only from there.
func (m *Main) startSlack(ctx context.Context, router bot.Answerer, tr bot.Translator, log *slog.Logger, metrics *web.Metrics) (*slackSetup, error) {
	botToken := m.Getenv("SLACK_BOT_TOKEN")
	if botToken == "" {
		return nil, nil
	}
	appToken, secret := m.Getenv("SLACK_APP_TOKEN"), m.Getenv("SLACK_SIGNING_SECRET")
	if appToken == "" && secret == "" {
		return nil, errors.New("slack: SLACK_BOT_TOKEN needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)")
	}
	client := slackbot.NewClient(botToken, appToken, m.Getenv("SLACK_API_URL"))
	groups := func() []string { // the running configuration's, reloads included
		set, _ := m.adminsOf("slack")
		return set.Roles
	}
	a := slackbot.New(client, slackbot.Options{
		Router: router, Translator: tr, Logger: log,
		Reconnected:   func() { metrics.Reconnected("slack") },
		Announcements: m.announcer, AdminGroups: groups,
	})
	if err := a.Identify(ctx, client); err != nil {
		return nil, fmt.Errorf("slack: %w", err)
	}
	s := &slackSetup{adapter: a, client: client, socket: appToken != ""}
	if secret != "" {
		s.mount = a.HTTPHandler(ctx, secret)
	}
	return s, nil
}

// ready reports the Slack connection for /readyz.
func (s *slackSetup) ready() error {
	if s != nil && s.socket && !s.adapter.Connected() {
		return errors.New("slack: Socket Mode not connected")
	}
	return nil
}

// adminsOf is a platform's admins in the running configuration.
func (m *Main) adminsOf(platform string) (handlers.AdminSet, bool) {
	if m.announcer == nil {
		return handlers.AdminSet{}, false
	}
	set, ok := m.announcer.AdminsOf(platform)
	return set, ok
}
