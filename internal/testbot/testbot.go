// Package testbot builds what the chat adapters' tests share: a router on
// a small test configuration, and a prober that answers like a healthy
// server after a pause, so tests never dial anything.
package testbot

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/locales"
	"github.com/mailhelp/mailhelp/probe"
)

// Config is the test configuration: domaine.com served at
// bm.domaine.com, and exemple.fr, whose answers are in French.
const Config = `
default_language: en
domains:
  - domain: domaine.com
    host: bm.domaine.com
    support: support@domaine.com
  - domain: exemple.fr
    host: mail.exemple.fr
    language: fr
`

// Router returns a router on Config with prober for live checks, a
// conversation memory of half an hour, and the messages; logs are
// discarded.
func Router(t testing.TB, prober handlers.Prober) (*bot.Router, *locales.Catalog) {
	t.Helper()
	return RouterWith(t, prober, bot.NewLocalMemory(30*time.Minute, 1000, nil))
}

// RouterWith is Router with the given conversation memory (nil for none).
func RouterWith(t testing.TB, prober handlers.Prober, mem bot.Memory) (*bot.Router, *locales.Catalog) {
	t.Helper()
	cfg, cat := load(t)
	r := bot.NewRouter(bot.RouterOptions{Translator: cat, Parser: cat.Parser(), DefaultLang: "en", Logger: Quiet(),
		DomainLang: handlers.DomainLang(cfg.Directory), Memory: mem})
	handlers.Register(r, handlers.Deps{Directory: cfg.Directory, Prober: prober, Translator: cat})
	return r, cat
}

// load parses Config and loads the messages.
func load(t testing.TB) (*config.Config, *locales.Catalog) {
	t.Helper()
	cfg, err := config.Parse([]byte(Config))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	return cfg, cat
}

// Quiet is a logger that discards everything.
func Quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// SlowProber reports a healthy server (IMAP 993, submission 587, push)
// after Pause, or stops when ctx is done.
type SlowProber struct{ Pause time.Duration }

// Check implements handlers.Prober.
func (p SlowProber) Check(ctx context.Context, t probe.Target, c *probe.Credentials) (*probe.Report, error) {
	select {
	case <-time.After(p.Pause):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	in := &probe.Endpoint{Protocol: probe.IMAP, Port: 993, Security: probe.ImplicitTLS}
	out := &probe.Endpoint{Protocol: probe.SMTP, Port: 587, Security: probe.StartTLS, Submission: true}
	return &probe.Report{Host: t.Host, Verdict: probe.StatusOK, Endpoints: []probe.EndpointReport{
		{Endpoint: *in, Status: probe.StatusOK, Push: true}, {Endpoint: *out, Status: probe.StatusOK}},
		Recommended: probe.Recommendation{Incoming: in, Outgoing: out, Push: true}}, nil
}
