package handlers

import (
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// Directory finds configured domains; *knowledge.Directory implements it.
type Directory interface {
	Lookup(domain string) (knowledge.Domain, bool)
	LookupHost(host string) (knowledge.Domain, bool)
	Domains() []knowledge.Domain
}

// Deps is what the handlers need.
type Deps struct {
	// Directory holds the configured domains. Required.
	Directory Directory
}

// Register installs a handler for every intent on r.
func Register(r *bot.Router, d Deps) {
	r.Handle(bot.IntentConfigure, Configure(d))
	r.Handle(bot.IntentCheck, Check(d))
	r.Handle(bot.IntentPorts, Ports(d))
	r.Handle(bot.IntentClients, Clients(d))
	r.Handle(bot.IntentHelp, Help(d))
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
