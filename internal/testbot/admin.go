package testbot

import (
	"context"
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/locales"
)

// OKDiscovery is a discovery checker that finds every domain publishing
// the right settings, without fetching anything.
type OKDiscovery struct{}

// Check implements handlers.DiscoveryChecker.
func (OKDiscovery) Check(_ context.Context, d knowledge.Domain, _ string) (*discovery.Report, error) {
	return &discovery.Report{Domain: d.Name, Verdict: discovery.VerdictOK}, nil
}

// AdminRouter is a router over Config whose admins are admins, with
// announcements and the discovery checks of dc (none when nil).
func AdminRouter(t testing.TB, admins map[string]config.AdminSet, dc handlers.DiscoveryChecker) (*bot.Router, *handlers.Announcements, *locales.Catalog) {
	t.Helper()
	cfg, cat := load(t)
	an := handlers.NewAnnouncements(&handlers.Previews{}, &handlers.AnnouncePolicy{Admins: admins, Translator: cat})
	r := bot.NewRouter(bot.RouterOptions{Translator: cat, Parser: cat.Parser(), Logger: Quiet()})
	handlers.Register(r, handlers.Deps{Directory: cfg.Directory, Announcements: an, Translator: cat, Discovery: dc})
	return r, an, cat
}
