package app

import (
	"crypto/x509"
	"fmt"
	"time"

	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/discovery/profile"
	"github.com/mailhelp/mailhelp/discovery/verify"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/internal/limitedfile"
	"github.com/mailhelp/mailhelp/probe"
	"github.com/mailhelp/mailhelp/store"
)

// parts are what one configuration builds: the router and what it holds
// open.
type parts struct {
	router  *bot.Router
	policy  *handlers.AnnouncePolicy
	trail   *audit.Log // nil when off or not needed
	checker *probe.Checker
	// discovery checks what domains publish; signer signs profiles.
	discovery *verify.Checker
	signer    *profile.Signer
	deps      handlers.Deps
}

// AccountLimits bound the account tests of one address, whoever asks:
// each is a login with a password, and servers lock accounts (or ban
// mailhelp's address) after a few failures.
var AccountLimits = probe.Limits{PerUser: 3, PerTarget: 3, Window: 10 * time.Minute, MaxConcurrent: 4}

// close releases what the parts opened.
func (p *parts) close() {
	if p.trail != nil {
		_ = p.trail.Close()
	}
}

// build wires a configuration: audit trail, checker and limits, the
// announcements' policy, the handlers on a router.
func (a *App) build(cfg *config.Config) (*parts, error) {
	p := &parts{}
	if cfg.Check.Enabled || adminsConfigured(cfg) || a.opts.AuditAlways {
		trail, err := a.openAudit(cfg)
		if err != nil {
			return nil, err
		}
		p.trail = trail
	}
	p.policy = &handlers.AnnouncePolicy{Admins: cfg.Admins, Expiry: cfg.Announce.Expiry,
		ChannelLang: cfg.Announce.ChannelLang, PublicURL: cfg.Web.PublicURL, Translator: a.cat}
	p.deps = handlers.Deps{Directory: cfg.Directory, Announcements: a.ann, Prober: a.opts.Prober, Translator: a.cat}
	if p.trail != nil {
		p.policy.Audit = p.trail
		p.deps.Audit = p.trail
	}
	if cfg.Web.ProfileSigning != nil {
		signer, err := newSigner(cfg.Web.ProfileSigning)
		if err != nil {
			p.close()
			return nil, err
		}
		p.signer = signer
	}
	if cfg.Check.Enabled {
		checker, err := newChecker(cfg)
		if err != nil {
			p.close()
			return nil, err
		}
		p.checker = checker
		if p.deps.Prober == nil {
			p.deps.Prober = checker
		}
		if p.discovery, err = newDiscovery(cfg, p.deps.Prober); err != nil {
			p.close()
			return nil, err
		}
		p.deps.Discovery = p.discovery
		p.deps.Limiter, p.deps.AccountLimiter = a.limiters(probe.Limits{
			PerUser: cfg.Check.PerUser, PerTarget: cfg.Check.PerTarget,
			Window: cfg.Check.Window, MaxConcurrent: cfg.Check.MaxConcurrent,
		})
	}
	p.router = bot.NewRouter(bot.RouterOptions{
		Translator:  a.cat,
		Parser:      a.parser,
		DefaultLang: cfg.DefaultLanguage,
		DomainLang:  handlers.DomainLang(cfg.Directory),
		Logger:      a.opts.Logger,
		Observer:    a.opts.Observer,
		PublicURL:   cfg.Web.PublicURL,
		Memory:      a.memory,
	})
	handlers.Register(p.router, p.deps)
	if p.trail != nil && a.store != nil {
		// Replicas sum refusals together (see store.Refusals). Set last:
		// a trail closed because the build failed would write every
		// replica's pending sums early.
		p.trail.SetTally(store.NewRefusals(a.store))
	}
	return p, nil
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

// AuditFailureCounter is an Observer that also counts the audit trail's
// failed writes; bot/web's Metrics is one. The trail tells it each
// failure.
type AuditFailureCounter interface {
	AuditWriteFailed()
}

// openAudit opens the configured audit trail, or nil when it is "off",
// with its failed writes logged once per streak and counted by the
// Observer when it is an AuditFailureCounter.
func (a *App) openAudit(cfg *config.Config) (*audit.Log, error) {
	trail, err := OpenAudit(cfg)
	if err != nil || trail == nil {
		return nil, err
	}
	h := audit.Hooks{Logger: a.opts.Logger}
	if c, ok := a.opts.Observer.(AuditFailureCounter); ok {
		h.Failed = func(error) { c.AuditWriteFailed() }
	}
	trail.SetHooks(h)
	return trail, nil
}

// OpenAudit opens the configured audit trail, or nil when it is "off".
func OpenAudit(cfg *config.Config) (*audit.Log, error) {
	if cfg.Audit.File == "off" {
		return nil, nil
	}
	return audit.Open(cfg.Audit.File, cfg.Audit.MaxBytes, cfg.Audit.Keep)
}

// roots are the authorities checks trust: the system's plus the
// configured CA file. Without a CA file they are nil, which the checks
// read as the system's, loaded at the first certificate they verify:
// parsing the system's authorities takes milliseconds that a command
// without a live check should not spend.
func roots(cfg *config.Config) (*x509.CertPool, error) {
	if cfg.Check.CAFile == "" {
		return nil, nil
	}
	roots, err := x509.SystemCertPool()
	if err != nil {
		roots = x509.NewCertPool()
	}
	pemData, err := limitedfile.Read(cfg.Check.CAFile, 1<<20)
	if err != nil {
		return nil, fmt.Errorf("check.ca_file: %w", err)
	}
	if !roots.AppendCertsFromPEM(pemData) {
		return nil, fmt.Errorf("check.ca_file: %s holds no PEM certificate", cfg.Check.CAFile)
	}
	return roots, nil
}

// newChecker builds the live checker of a configuration: its dial policy,
// its budget, and the system roots plus the configured CA file.
func newChecker(cfg *config.Config) (*probe.Checker, error) {
	roots, err := roots(cfg)
	if err != nil {
		return nil, err
	}
	return probe.New(probe.Options{
		Policy: handlers.CheckPolicy(cfg.Directory, cfg.Check.AllowAnyHost, checkResolver(cfg)),
		Budget: cfg.Check.Budget,
		Roots:  roots,
	}), nil
}
