package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/web"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/locales"
)

// shutdownGrace bounds how long in-flight requests (a live check among
// them) may run after a stop signal.
const shutdownGrace = 20 * time.Second

// serve runs the web side until ctx is done (SIGINT or SIGTERM).
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
	cfg, err := m.loadConfig(*cfgPath)
	if err != nil {
		log.Error("configuration", "err", err)
		return exitFail
	}
	addr := cfg.Web.Listen
	if *listen != "" {
		addr = *listen
	}
	metrics := web.NewMetrics()
	m.announcer = &handlers.Announcer{}
	first, closeFirst, err := m.newRouterObserved(cfg, log, metrics)
	if err != nil {
		log.Error("setup", "err", err)
		return exitFail
	}
	router := bot.NewSwitch(first)
	rl := &reloader{m: m, cfgPath: *cfgPath, log: log, metrics: metrics, sw: router, current: cfg, closers: []func(){closeFirst}}
	defer rl.close()
	cat, err := locales.Load()
	if err != nil {
		log.Error("setup", "err", err)
		return exitFail
	}
	adapters, stopAdapters := context.WithCancel(context.Background())
	defer stopAdapters()
	slk, err := m.startSlack(adapters, router, cat, log, metrics)
	if err != nil {
		log.Error("setup", "err", err)
		return exitFail
	}
	dsc, err := m.newDiscord(router, cat, log, metrics)
	if err != nil {
		log.Error("setup", "err", err)
		return exitFail
	}
	rl.tr = cat
	rl.notifiers = map[string]notifier{}
	if slk != nil {
		rl.notifiers["slack"] = slk.adapter
	}
	if dsc != nil {
		rl.notifiers["discord"] = dsc.Adapter
	}
	mounts := map[string]http.Handler{}
	if token := m.Getenv("MAILHELP_ADMIN_TOKEN"); token != "" {
		mounts["POST /admin/reload"] = rl.adminHandler(token)
	}
	if slk != nil && slk.mount != nil {
		for _, path := range []string{"/slack/events", "/slack/commands", "/slack/interactivity"} {
			mounts["POST "+path] = slk.mount
		}
		log.Info("slack: HTTP mode on /slack/events, /slack/commands, /slack/interactivity")
	}
	handler, err := web.New(web.Options{
		Router: router, Translator: cat, DefaultLang: cfg.DefaultLanguage,
		PublicURL: cfg.Web.PublicURL, Logger: log, Metrics: metrics,
		Ready: func() error {
			if err := slk.ready(); err != nil {
				return err
			}
			if dsc != nil && !dsc.Connected() {
				return errors.New("discord: gateway not connected")
			}
			return nil
		},
		Mounts: mounts,
	})
	if err != nil {
		log.Error("setup", "err", err)
		return exitFail
	}
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
	go rl.watchHUP(adapters, m.hangups(adapters))
	slackDone := make(chan error, 1)
	if slk != nil && slk.socket {
		go func() { slackDone <- slk.adapter.RunSocketMode(adapters, slk.client) }()
		log.Info("slack: Socket Mode")
	}
	discordDone := make(chan error, 1)
	if dsc != nil {
		go func() { discordDone <- dsc.Run(adapters) }()
		log.Info("discord: connecting")
	}
	select {
	case err := <-errc:
		log.Error("serve", "err", err)
		return exitFail
	case err := <-slackDone:
		log.Error("slack", "err", err)
		_ = srv.Close()
		return exitFail
	case err := <-discordDone:
		log.Error("discord", "err", err)
		_ = srv.Close()
		return exitFail
	case <-ctx.Done():
	}
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
	if slk != nil && slk.socket {
		select {
		case <-slackDone:
		case <-sctx.Done():
			log.Warn("slack: did not finish in time")
		}
	}
	if dsc != nil {
		select {
		case <-discordDone:
		case <-sctx.Done():
			log.Warn("discord: did not finish in time")
		}
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("serve", "err", err)
		return exitFail
	}
	log.Info("stopped")
	return exitOK
}
