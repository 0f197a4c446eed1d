package main

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/locales"
	"github.com/mailhelp/mailhelp/probe"
)

// loadConfig reads the configuration named by the flag, else by
// MAILHELP_CONFIG, else the embedded default.
func (m *Main) loadConfig(flagPath string) (*config.Config, error) {
	path := flagPath
	if path == "" {
		path = m.Getenv("MAILHELP_CONFIG")
	}
	if path == "" {
		return config.Default()
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, config.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("config: %s: %w", path, err)
	}
	cfg, err := config.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// newRouter wires the parser, the handlers, the messages and, when
// enabled, the live checker.
func (m *Main) newRouter(cfg *config.Config, log *slog.Logger) (*bot.Router, func(), error) {
	return m.newRouterObserved(cfg, log, nil)
}

// newRouterObserved is newRouter with an observer of every answer. The
// returned func closes what it opened (the audit trail).
func (m *Main) newRouterObserved(cfg *config.Config, log *slog.Logger, obs bot.Observer) (*bot.Router, func(), error) {
	if cfg == nil {
		return nil, nil, errors.New("no configuration")
	}
	cat, err := locales.Load()
	if err != nil {
		return nil, nil, err
	}
	r := bot.NewRouter(bot.RouterOptions{
		Translator:  cat,
		DefaultLang: cfg.DefaultLanguage,
		DomainLang:  handlers.DomainLang(cfg.Directory),
		Logger:      log,
		Observer:    obs,
		PublicURL:   cfg.Web.PublicURL,
	})
	deps := handlers.Deps{Directory: cfg.Directory}
	closer := func() {}
	policy := newAnnouncer(cfg, cat)
	deps.Announcer = m.announcer
	if deps.Announcer == nil {
		deps.Announcer = &handlers.Announcer{}
	}
	var trail *audit.Log
	if cfg.Check.Enabled || adminsConfigured(cfg) {
		if trail, err = openAudit(cfg); err != nil {
			return nil, nil, err
		}
	}
	if trail != nil {
		policy.Audit = trail
		closer = func() { _ = trail.Close() }
	}
	deps.Announcer.SetPolicy(policy)
	if cfg.Check.Enabled {
		checker, err := m.newChecker(cfg)
		if err != nil {
			return nil, nil, err
		}
		if trail != nil {
			deps.Audit = trail
		}
		deps.Prober = checker
		deps.Limiter = probe.NewLimiter(probe.Limits{
			PerUser: cfg.Check.PerUser, PerTarget: cfg.Check.PerTarget,
			Window: cfg.Check.Window, MaxConcurrent: cfg.Check.MaxConcurrent,
		}, nil)
	}
	handlers.Register(r, deps)
	return r, closer, nil
}

// newAnnouncer builds the announcements' policy from the configuration.
func newAnnouncer(cfg *config.Config, tr bot.Translator) *handlers.Announcer {
	admins := handlers.Admins{}
	for platform, set := range cfg.Admins {
		roles := append([]string(nil), set.Roles...)
		if set.ManageServer {
			roles = append(roles, "manage_server")
		}
		admins[platform] = handlers.AdminSet{Users: set.Users, Roles: roles}
	}
	return &handlers.Announcer{Admins: admins, Expiry: cfg.Announce.Expiry, ChannelLang: cfg.Announce.ChannelLang,
		PublicURL: cfg.Web.PublicURL, Translator: tr}
}

// adminsConfigured reports whether anyone may run admin actions.
func adminsConfigured(cfg *config.Config) bool {
	for _, set := range cfg.Admins {
		if len(set.Users) > 0 || len(set.Roles) > 0 || set.ManageServer {
			return true
		}
	}
	return false
}

// openAudit opens the configured audit trail, or nil when it is "off".
func openAudit(cfg *config.Config) (*audit.Log, error) {
	if cfg.Audit.File == "off" {
		return nil, nil
	}
	return audit.Open(cfg.Audit.File, cfg.Audit.MaxBytes, cfg.Audit.Keep)
}

// newChecker builds the live checker of a configuration: its dial policy,
// its budget, and the system roots plus the configured CA file.
func (m *Main) newChecker(cfg *config.Config) (*probe.Checker, error) {
	roots, err := x509.SystemCertPool()
	if err != nil {
		roots = x509.NewCertPool()
	}
	if cfg.Check.CAFile != "" {
		pemData, err := readFileLimited(cfg.Check.CAFile, 1<<20)
		if err != nil {
			return nil, fmt.Errorf("check.ca_file: %w", err)
		}
		if !roots.AppendCertsFromPEM(pemData) {
			return nil, fmt.Errorf("check.ca_file: %s holds no PEM certificate", cfg.Check.CAFile)
		}
	}
	var resolver probe.Resolver
	if len(cfg.Check.Hosts) > 0 {
		resolver = probe.PinnedResolver{Hosts: cfg.Check.Hosts}
	}
	return probe.New(probe.Options{
		Policy: handlers.CheckPolicy(cfg.Directory, cfg.Check.AllowAnyHost, resolver),
		Budget: cfg.Check.Budget,
		Roots:  roots,
	}), nil
}

func readFileLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is over %d bytes", path, limit)
	}
	return data, nil
}

// logger writes warnings and errors to stderr; never message text.
func (m *Main) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}
