package handlers

import (
	"context"
	"iter"

	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/probe"
)

// Directory finds configured domains; *knowledge.Directory implements it.
type Directory interface {
	Lookup(domain string) (knowledge.Domain, bool)
	LookupHost(host string) (knowledge.Domain, bool)
	Domains() []knowledge.Domain
	// All yields the domains without copying them.
	All() iter.Seq[knowledge.Domain]
}

// Prober runs live checks; *probe.Checker implements it.
type Prober interface {
	Check(ctx context.Context, t probe.Target, creds *probe.Credentials) (*probe.Report, error)
}

// Limiter admits live checks; *probe.Limiter implements it. A Limiter
// that is also a Refunder is refunded the checks the dial policy
// refused: they dialed nothing, and do not count against the quotas.
type Limiter interface {
	Acquire(user, target string) (release func(), err error)
}

// Refunder takes back an admitted check that dialed nothing;
// *probe.Limiter implements it.
type Refunder interface {
	Refund(user, target string)
}

// UserRefunder takes back the latest check counted for a person, not
// for its target: a check taken over from a replica that died replaces
// that replica's, which counted. (Its target's count stays: which of
// the target's checks was the dead one's is not known, and a target's
// limit protects someone else's server.) *probe.Limiter implements it.
type UserRefunder interface {
	RefundUser(user string)
}

// Deps is what the handlers need.
type Deps struct {
	// Directory holds the configured domains. Required.
	Directory Directory
	// Prober runs live checks; nil answers check requests with the
	// settings to verify by hand.
	Prober Prober
	// Limiter bounds live checks per user and target; nil for none.
	Limiter Limiter
	// AccountLimiter bounds account tests per address (its "user" and
	// "target" are both "account:<address>"), whoever asks; nil for
	// none.
	AccountLimiter Limiter
	// Audit records every live check, refusals included; nil for none.
	Audit Recorder
	// Discovery checks what domains publish for self-configuration; nil
	// turns the discovery check off.
	Discovery DiscoveryChecker
	// Announcements handles admins' announcements; nil turns them off.
	Announcements *Announcements
	// Translator names the languages mailhelp speaks, in the help.
	// Required.
	Translator bot.Translator
}

// Recorder keeps the audit trail; *audit.Log implements it, sums
// refusals so that a flood of them costs a few records, and logs and
// counts its own failed writes (audit.Hooks): a handler goes on with its
// answer when Record fails.
type Recorder interface {
	Record(audit.Entry) error
}

// Register installs a handler for every intent on r.
func Register(r *bot.Router, d Deps) {
	r.Handle(bot.IntentConfigure, Configure(d))
	// A live check takes seconds; without a prober the answer is a list.
	r.Route(bot.IntentCheck, bot.Route{Handler: Check(d), Slow: slowWithTarget(d)})
	r.Handle(bot.IntentPorts, Ports(d))
	r.Handle(bot.IntentClients, Clients(d))
	r.Handle(bot.IntentHelp, Help(d))
	r.Handle(bot.IntentAnnounce, Announce(d))
	r.Route(bot.IntentTroubleshoot, bot.Route{Handler: Troubleshoot(d), Slow: slowWithTarget(d)})
	r.Route(bot.IntentDiscovery, bot.Route{Handler: Discovery(d), Slow: func(p bot.Parsed) bool {
		return d.Discovery != nil && (!p.Address.IsZero() || p.Host != "")
	}})
	r.Handle(bot.IntentThanks, Thanks(d))
	r.Handle(bot.IntentUnknown, Unknown(d))
}

// DomainLang returns the configured language of the domain a parsed
// request is about, for bot.RouterOptions.DomainLang.
func DomainLang(dir Directory) func(bot.Parsed) string {
	return func(p bot.Parsed) string {
		if !p.Address.IsZero() {
			if d, ok := dir.Lookup(p.Address.Domain); ok {
				return d.Language
			}
		}
		if p.Host != "" {
			if d, ok := dir.LookupHost(p.Host); ok {
				return d.Language
			}
		}
		return ""
	}
}

// slowWithTarget says a request is slow when it will run a live check:
// a prober is configured and the request names an address or a host.
func slowWithTarget(d Deps) func(bot.Parsed) bool {
	if d.Prober == nil {
		return nil
	}
	// "Test my account" answers how to run the account test: nothing
	// is checked in chat.
	return func(p bot.Parsed) bool { return p.Target() != "" && !p.Account }
}
