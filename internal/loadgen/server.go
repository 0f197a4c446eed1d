package loadgen

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/mailhelp/mailhelp/app"
	"github.com/mailhelp/mailhelp/bot/web"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/discovery/publish"
	"github.com/mailhelp/mailhelp/locales"
)

// Mailhelp is the handler mailhelp serve serves for cfg, wired the way
// cmd/mailhelp/serve.go wires it (metrics as the app's observer, the
// discovery handler, profile signing, trusted proxies, public URL) with
// no chat adapter: always ready, and no Slack endpoint mounted. log
// receives what serve's log receives (one line per request).
//
// An audit trail left unset (the embedded default) is turned off, since
// the load generator has no state directory to put it in: configure
// answers never write to it. Close releases what the app opened.
func Mailhelp(cfg *config.Config, log *slog.Logger) (http.Handler, *app.App, error) {
	if cfg.Audit.File == "" {
		cfg.Audit.File = "off"
	}
	metrics := web.NewMetrics()
	// Every language parsed at start, as serve does.
	cat, err := locales.Load()
	if err != nil {
		return nil, nil, fmt.Errorf("loadgen: %w", err)
	}
	a, err := app.New(cfg, app.Options{Logger: log, Observer: metrics, Catalog: cat})
	if err != nil {
		return nil, nil, fmt.Errorf("loadgen: %w", err)
	}
	h, err := web.New(web.Options{
		Router: a.Answerer(), Translator: a.Catalog(), DefaultLang: a.Config().DefaultLanguage,
		PublicURL: a.Config().Web.PublicURL, Logger: log, Metrics: metrics,
		TrustedProxies: a.Config().Web.TrustedProxies,
		Discovery:      publish.New(publish.Options{Settings: a.PublishSettings, Translator: a.Catalog(), Logger: log}),
		ProfileSigned:  func() bool { return a.PublishSettings().Signer != nil },
		Mounts:         map[string]http.Handler{},
	})
	if err != nil {
		a.Close()
		return nil, nil, fmt.Errorf("loadgen: %w", err)
	}
	return h, a, nil
}

// DomainsYAML is a configuration of n domains, d0.example to
// d<n-1>.example, each with its own server (the shape of config's
// BenchmarkParse), checks on as in the default configuration, and no
// audit trail.
func DomainsYAML(n int) []byte {
	var b strings.Builder
	b.Grow(n * 60)
	b.WriteString("default_language: en\naudit: {file: \"off\"}\ndomains:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {domain: d%d.example, host: mail.d%d.example}\n", i, i)
	}
	return []byte(b.String())
}

// Plain is the baseline: a plain net/http handler answering every
// request with the same body of size bytes, as JSON.
func Plain(size int) http.Handler {
	body := []byte(strings.Repeat("x", size))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(body)
	})
}
