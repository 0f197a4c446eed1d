package main

import (
	"errors"
	"log/slog"

	"github.com/mailhelp/mailhelp/app"
	"github.com/mailhelp/mailhelp/bot/slackbot"
	"github.com/mailhelp/mailhelp/bot/web"
)

// newSlack builds the Slack adapter from the environment, or returns nil
// when SLACK_BOT_TOKEN is not set. Secrets come only from there.
func (m *Main) newSlack(a *app.App, log *slog.Logger, metrics *web.Metrics) (*slackbot.Adapter, error) {
	cfg := slackbot.Config{BotToken: m.Getenv("SLACK_BOT_TOKEN"), AppToken: m.Getenv("SLACK_APP_TOKEN"),
		SigningSecret: m.Getenv("SLACK_SIGNING_SECRET"), APIURL: m.Getenv("SLACK_API_URL")}
	if cfg.BotToken == "" {
		return nil, nil
	}
	if cfg.AppToken == "" && cfg.SigningSecret == "" {
		return nil, errors.New("slack: SLACK_BOT_TOKEN needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)")
	}
	_, shared := a.StoreStats()
	return slackbot.New(cfg, slackbot.Options{
		Router: a.Answerer(), Translator: a.Catalog(), Logger: log,
		Reconnected:   func() { metrics.Reconnected("slack") },
		Announcements: a.Announcements(), AdminGroups: a.AdminGroups,
		Deliveries: a.Deliveries(), HoldAcks: shared, Journal: a.Journal(),
	})
}
