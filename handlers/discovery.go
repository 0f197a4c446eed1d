package handlers

import (
	"context"
	"errors"
	"time"

	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/probe"
)

// DiscoveryChecker checks what a domain publishes for clients to
// configure themselves; *verify.Checker implements it.
type DiscoveryChecker interface {
	Check(ctx context.Context, d knowledge.Domain, address string) (*discovery.Report, error)
}

// Discovery answers "check autoconfig for domaine.com": it fetches the
// domain's SRV records, autoconfig and Autodiscover, and says per source
// whether it is published, valid and the same as the configured settings
// and the live server, with the fix for each problem. In Slack and
// Discord only admins may ask (it is an administrator's question, and
// its answer names the domain's infrastructure); on the web side and the
// command line it is open, within the same rate limits as live checks.
func Discovery(d Deps) bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, req *bot.Request) (*bot.Reply, error) {
		p := req.Parsed
		if d.Discovery == nil {
			return nil, &bot.Error{Kind: bot.KindUnavailable, Code: bot.CodeDiscoveryOff, MsgID: "discovery.error.off"}
		}
		if !openPlatform(req.Platform) && (d.Announcements == nil || !d.Announcements.Policy().Allows(req)) {
			recordDiscovery(d, req, "", "refused:not_admin")
			return nil, &bot.Error{Kind: bot.KindUnauthorized, Code: bot.CodeNotAdmin, MsgID: "discovery.error.not_admin"}
		}
		name, address := p.Host, ""
		if !p.Address.IsZero() {
			name, address = p.Address.Domain, p.Address.Username()
		}
		if name == "" {
			return nil, &bot.Error{Kind: bot.KindInvalidInput, Code: bot.CodeNoDomain, MsgID: "discovery.error.no_domain"}
		}
		dom, ok := d.Directory.Lookup(name)
		if !ok {
			if dom, ok = d.Directory.LookupHost(name); !ok {
				return nil, &bot.Error{Kind: bot.KindNotFound, Code: bot.CodeUnknownDomain, MsgID: "discovery.error.unknown_domain",
					Data: map[string]any{"Domain": name}}
			}
			// An address at the server's name (alice@bm.domaine.com) is
			// not one Autodiscover knows: ask about the domain.
			address = ""
		}
		if d.Limiter != nil {
			release, err := d.Limiter.Acquire(req.Platform+":"+req.UserID, "discovery:"+dom.Name)
			var le *probe.LimitError
			if errors.As(err, &le) {
				recordDiscovery(d, req, dom.Name, "refused:rate_limited")
				n := le.RetrySeconds()
				return nil, &bot.Error{Kind: bot.KindUnavailable, Code: bot.CodeRateLimited, MsgID: "check.error.rate_limited",
					Count: &n, RetryAfter: time.Duration(n) * time.Second}
			}
			if err != nil {
				return nil, err
			}
			defer release()
		}
		rep, err := d.Discovery.Check(ctx, dom, address)
		if err != nil {
			recordDiscovery(d, req, dom.Name, "error")
			return nil, &bot.Error{Kind: bot.KindUnavailable, Code: bot.CodeCheckFailed, MsgID: "check.error.failed", Err: err}
		}
		recordDiscovery(d, req, dom.Name, string(rep.Verdict))
		r := DiscoveryReply(req.Loc, rep)
		r.Discovery = rep
		return r, nil
	})
}

// openPlatform reports whether anyone on platform may run the discovery
// check: the web side (rate-limited, same-origin) and the operator's
// command line. Everywhere else — Slack, Discord, any platform to come —
// it takes an admin.
func openPlatform(platform string) bool { return platform == "web" || platform == "cli" }

func recordDiscovery(d Deps, req *bot.Request, domain, result string) {
	if d.Audit == nil {
		return
	}
	_ = d.Audit.Record(audit.Entry{Platform: req.Platform, User: cmpOr(req.UserID, req.Platform),
		Action: "discovery", Target: domain, Result: result})
}
