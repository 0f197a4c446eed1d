package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"

	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/discovery/profile"
	"github.com/mailhelp/mailhelp/discovery/publish"
	"github.com/mailhelp/mailhelp/discovery/verify"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/internal/limitedfile"
	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/probe"
)

// newSigner reads the profile-signing certificate and key.
func newSigner(ps *config.ProfileSigning) (*profile.Signer, error) {
	cert, err := limitedfile.Read(ps.Cert, 1<<20)
	if err != nil {
		return nil, fmt.Errorf("web.profile_signing.cert: %w", err)
	}
	key, err := limitedfile.Read(ps.Key, 1<<20)
	if err != nil {
		return nil, fmt.Errorf("web.profile_signing.key: %w", err)
	}
	s, err := profile.NewSigner(cert, key)
	if err != nil {
		return nil, fmt.Errorf("web.profile_signing: %w", err)
	}
	return s, nil
}

// nameServer is a resolver that asks check.dns, or the system's resolver
// when it is not set.
func nameServer(cfg *config.Config) *net.Resolver {
	if !cfg.Check.DNS.IsValid() {
		return net.DefaultResolver
	}
	server := cfg.Check.DNS.String()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, server)
	}}
}

// checkResolver resolves the hosts checks dial: check.hosts first, then
// the name server.
func checkResolver(cfg *config.Config) probe.Resolver {
	if len(cfg.Check.Hosts) == 0 {
		return nameServer(cfg)
	}
	return probe.PinnedResolver{Hosts: cfg.Check.Hosts, Next: nameServer(cfg)}
}

// discoveryResolver resolves what a discovery check fetches: SRV records
// from the name server, and addresses like the live check.
type discoveryResolver struct {
	probe.Resolver
	srv *net.Resolver
}

// LookupSRV implements verify.Resolver.
func (r discoveryResolver) LookupSRV(ctx context.Context, service, proto, name string) (string, []*net.SRV, error) {
	return r.srv.LookupSRV(ctx, service, proto, name)
}

// newDiscovery builds the discovery check of a configuration: the same
// roots, budget and name pins as the live check, which it also runs
// (prober) to compare what is published with what the server does.
func newDiscovery(cfg *config.Config, prober handlers.Prober) (*verify.Checker, error) {
	roots, err := roots(cfg)
	if err != nil {
		return nil, err
	}
	opts := verify.Options{Roots: roots, Budget: cfg.Check.Budget,
		Resolver: discoveryResolver{Resolver: checkResolver(cfg), srv: nameServer(cfg)}}
	if prober != nil {
		opts.Live = func(ctx context.Context, d knowledge.Domain) (*probe.Report, error) {
			return prober.Check(ctx, handlers.DomainTarget(d), nil)
		}
	}
	return verify.New(opts), nil
}

// PublishSettings are what the web side's autoconfig, Autodiscover and
// profiles are served from: the current configuration's.
func (a *App) PublishSettings() publish.Settings {
	a.mu.Lock()
	cfg, p := a.cur.cfg, a.cur.parts
	a.mu.Unlock()
	return publish.Settings{Directory: cfg.Directory, DefaultLang: cfg.DefaultLanguage,
		PublicURL: cfg.Web.PublicURL, Signer: p.signer}
}

// ErrNotConfigured is wrapped by Discovery's error for a domain that is
// not in the configuration.
var ErrNotConfigured = errors.New("not a configured domain")

// Discovery checks what a configured domain publishes for clients to
// configure themselves, for the operator at the terminal: target is a
// domain, a host of one, or an address (whose domain is checked and
// which Autodiscover is asked about). It runs whether or not live
// checks are on in chat, within the configured budget, and is recorded
// in the audit trail. The reply is in lang, else the domain's, else the
// configuration's language.
func (a *App) Discovery(ctx context.Context, target, lang string) (*bot.Reply, error) {
	a.mu.Lock()
	cfg, p := a.cur.cfg, a.cur.parts
	a.mu.Unlock()
	name, address := target, ""
	if local, domain, ok := cutAddress(target); ok {
		name, address = domain, local+"@"+domain
	}
	d, ok := cfg.Directory.Lookup(name)
	if !ok {
		if d, ok = cfg.Directory.LookupHost(name); !ok {
			return nil, fmt.Errorf("%s: %w", name, ErrNotConfigured)
		}
	}
	checker := p.discovery
	if checker == nil {
		live, err := newChecker(cfg)
		if err != nil {
			return nil, err
		}
		if checker, err = newDiscovery(cfg, live); err != nil {
			return nil, err
		}
	}
	rep, err := checker.Check(ctx, d, address)
	result := "error"
	if err == nil {
		result = string(rep.Verdict)
	}
	a.recordCLI(p, "discovery", d.Name, result)
	if err != nil {
		return nil, err
	}
	langs := a.cat.Languages()
	loc := a.cat.For(langs.Pick(lang, d.Language, cfg.DefaultLanguage))
	reply := handlers.DiscoveryReply(loc, rep)
	reply.Lang, reply.Discovery = langs.Pick(lang, d.Language, cfg.DefaultLanguage), rep
	return reply, nil
}

// Records returns the DNS records a configured domain should publish,
// as zone-file lines, with autoconfig and autodiscover pointing at the
// host of web.public_url (when set).
func (a *App) Records(name string) (string, error) {
	cfg := a.Config()
	d, ok := cfg.Directory.Lookup(name)
	if !ok {
		return "", fmt.Errorf("%s: %w", name, ErrNotConfigured)
	}
	return discovery.Zone(discovery.For(d), webHost(cfg.Web.PublicURL)), nil
}

func cutAddress(s string) (local, domain string, ok bool) {
	for i := len(s) - 1; i > 0; i-- {
		if s[i] == '@' {
			return s[:i], s[i+1:], i+1 < len(s)
		}
	}
	return "", "", false
}

// recordCLI writes an operator's action in the audit trail, opening it
// for this one record when the configuration did not need it open.
func (a *App) recordCLI(p *parts, action, target, result string) {
	trail := p.trail
	if trail == nil {
		t, err := a.openAudit(a.Config())
		if err != nil || t == nil {
			return
		}
		defer t.Close()
		trail = t
	}
	_ = trail.Record(audit.Entry{Platform: "cli", User: "cli", Action: action, Target: target, Result: result})
}

// webHost is the host name of a public URL, or "".
func webHost(publicURL string) string {
	u, err := url.Parse(publicURL)
	if err != nil {
		return ""
	}
	return u.Hostname()
}
