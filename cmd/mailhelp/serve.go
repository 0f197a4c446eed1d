package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/mailhelp/mailhelp/app"
	"github.com/mailhelp/mailhelp/bot/discordbot"
	"github.com/mailhelp/mailhelp/bot/slackbot"
	"github.com/mailhelp/mailhelp/bot/web"
	"github.com/mailhelp/mailhelp/discovery/publish"
	"github.com/mailhelp/mailhelp/locales"
)

// shutdownGrace bounds how long in-flight requests (a live check among
// them) may run after a stop signal.
const shutdownGrace = 20 * time.Second

// chatAdapter is what serve needs of a chat adapter: Slack's and
// Discord's have the same shape.
type chatAdapter interface {
	Run(ctx context.Context) error
	Connected() bool
}

// namedAdapter is a chat adapter that serve runs; fix says what to
// check when the platform rejects its token.
type namedAdapter struct {
	name string
	chatAdapter
	fix string
}

// serve runs the web side and the chat adapters until ctx is done
// (SIGINT or SIGTERM).
func (m *Main) serve(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	cfgPath := fs.String("config", "", "configuration file (default: $MAILHELP_CONFIG, else built in)")
	listen := fs.String("listen", "", "address to listen on (default: the configuration's web.listen, 127.0.0.1:8080)")
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "Usage: mailhelp serve [flags]")
		fmt.Fprintln(m.Stderr, "Serves the web chat, the answer pages, the JSON API, /healthz, /readyz and /metrics.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	log := slog.New(slog.NewJSONHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	stampWebBuild()
	metrics := web.NewMetrics()
	// Every language is parsed now: a broken message file stops serve at
	// start, and no request waits for a language's first parse.
	cat, err := locales.Load()
	if err != nil {
		log.Error("setup", "err", err)
		return exitFail
	}
	a, err := m.newApp(*cfgPath, app.Options{Logger: log, Observer: metrics, Catalog: cat, Shared: true})
	if err != nil {
		log.Error("setup", "err", err)
		return exitFail
	}
	defer a.Close()
	if _, ok := a.StoreStats(); ok {
		metrics.SetStore(func() web.StoreStats {
			s, _ := a.StoreStats()
			return web.StoreStats{Up: s.Up, Errors: s.CallsFailed, Fallbacks: s.Fallbacks, Refused: s.Refused}
		})
	}
	rl := &reloader{m: m, app: a, cfgPath: *cfgPath}
	adapters, mounts, err := m.chatAdapters(a, log, metrics)
	if err != nil {
		log.Error("setup", "err", err)
		return exitFail
	}
	if token := m.Getenv("MAILHELP_ADMIN_TOKEN"); token != "" {
		mounts["POST /admin/reload"] = rl.adminHandler(token)
	}
	handler, err := web.New(web.Options{
		Router: a.Answerer(), Translator: a.Catalog(), DefaultLang: a.Config().DefaultLanguage,
		PublicURL: a.Config().Web.PublicURL, Logger: log, Metrics: metrics,
		TrustedProxies: a.Config().Web.TrustedProxies,
		Discovery:      publish.New(publish.Options{Settings: a.PublishSettings, Translator: a.Catalog(), Logger: log}),
		ProfileSigned:  func() bool { return a.PublishSettings().Signer != nil },
		Ready:          func() error { return ready(adapters) }, Degraded: a.StoreDown, Mounts: mounts,
	})
	if err != nil {
		log.Error("setup", "err", err)
		return exitFail
	}
	addr := a.Config().Web.Listen
	if *listen != "" {
		addr = *listen
	}
	return m.run(ctx, addr, handler, adapters, rl, log)
}

// chatAdapters builds the Slack and Discord adapters whose tokens are in
// the environment, registers them with the app for admins' messages, and
// returns the HTTP endpoints they serve (Slack's HTTP mode).
func (m *Main) chatAdapters(a *app.App, log *slog.Logger, metrics *web.Metrics) ([]namedAdapter, map[string]http.Handler, error) {
	var adapters []namedAdapter
	mounts := map[string]http.Handler{}
	slk, err := m.newSlack(a, log, metrics)
	if err != nil {
		return nil, nil, err
	}
	if slk != nil {
		a.SetNotifier("slack", slk)
		adapters = append(adapters, namedAdapter{"slack", slk, "check SLACK_BOT_TOKEN (auth.test) or SLACK_APP_TOKEN (Socket Mode)"})
		if h := slk.HTTPHandler(); h != nil {
			for _, path := range []string{"/slack/events", "/slack/commands", "/slack/interactivity"} {
				mounts["POST "+path] = h
			}
			log.Info("slack: HTTP mode on /slack/events, /slack/commands, /slack/interactivity")
		}
	}
	dsc, err := m.newDiscord(a, log, metrics)
	if err != nil {
		return nil, nil, err
	}
	if dsc != nil {
		a.SetNotifier("discord", dsc.Adapter)
		adapters = append(adapters, namedAdapter{"discord", dsc, "check DISCORD_BOT_TOKEN"})
	}
	return adapters, mounts, nil
}

// ready names every chat adapter that is not connected: one whose
// platform is down keeps trying while the rest serves. (The shared
// store being down degrades answers but does not stop them: /readyz
// says so, and stays ready.)
func ready(adapters []namedAdapter) error {
	var down []string
	for _, ad := range adapters {
		if !ad.Connected() {
			down = append(down, ad.name+": not connected")
		}
	}
	if len(down) > 0 {
		return errors.New(strings.Join(down, "; "))
	}
	return nil
}

// run serves HTTP on addr and runs the adapters until ctx is done or one
// of them stops for good, then stops them in order: HTTP first, then the
// adapters, each finishing what it was answering within shutdownGrace.
// An adapter whose platform is down or failing keeps trying on its own
// (and /readyz names it) while the rest serves; only a rejected token
// or a configuration the platform refuses ends its Run early.
func (m *Main) run(ctx context.Context, addr string, handler http.Handler, adapters []namedAdapter, rl *reloader, log *slog.Logger) int {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Error("listen", "addr", addr, "err", err)
		return exitFail
	}
	srv := web.HTTPServer(addr, handler, log)
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(m.Stdout, "mailhelp is serving on %s\n", url)
	log.Info("serving", "url", url)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	actx, stopAdapters := context.WithCancel(context.Background())
	defer stopAdapters()
	go rl.watchHUP(actx, m.hangups(actx))
	done := make(chan error, len(adapters))
	for _, ad := range adapters {
		go func() { done <- adapterErr(ad, ad.Run(actx)) }()
		log.Info(ad.name + ": starting")
	}
	select {
	case err := <-errc:
		log.Error("serve", "err", err)
		return exitFail
	case err := <-done:
		logStopped(log, err)
		_ = srv.Close()
		return exitFail
	case <-ctx.Done():
	}
	return m.shutdown(srv, errc, stopAdapters, done, len(adapters), log)
}

// stoppedError is why an adapter's Run ended.
type stoppedError struct {
	name, fix string // fix is set when the platform rejected the token
	err       error
}

func (e *stoppedError) Error() string { return e.err.Error() }
func (e *stoppedError) Unwrap() error { return e.err }

// adapterErr names the adapter a Run error comes from, with what to fix
// when its token was rejected; a Run that ends without error before
// shutdown is an error too.
func adapterErr(ad namedAdapter, err error) error {
	if err == nil {
		err = errors.New(ad.name + ": stopped")
	}
	se := &stoppedError{name: ad.name, err: err}
	if errors.Is(err, slackbot.ErrTokenRejected) || errors.Is(err, discordbot.ErrTokenRejected) {
		se.fix = ad.fix
	}
	return se
}

// logStopped says why an adapter stopped, and for a rejected token what
// to fix.
func logStopped(log *slog.Logger, err error) {
	var se *stoppedError
	if !errors.As(err, &se) {
		log.Error("adapter stopped", "err", err)
		return
	}
	if se.fix != "" {
		log.Error(se.name+": the platform rejected the token; "+se.fix, "adapter", se.name, "err", se.err)
		return
	}
	log.Error("adapter stopped", "adapter", se.name, "err", se.err)
}

// shutdown stops the HTTP server, then the adapters, within the grace.
func (m *Main) shutdown(srv *http.Server, errc chan error, stopAdapters func(), done chan error, n int, log *slog.Logger) int {
	log.Info("stopping", "grace", shutdownGrace.String())
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Error("shutdown", "err", err)
		return exitFail
	}
	// Then the adapters: they stop taking events and finish what they
	// were answering.
	stopAdapters()
wait:
	for range n {
		select {
		case <-done:
		case <-sctx.Done():
			log.Warn("adapters did not finish in time")
			break wait
		}
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("serve", "err", err)
		return exitFail
	}
	log.Info("stopped")
	return exitOK
}
