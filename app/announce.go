package app

import (
	"fmt"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// Announcement is a domain's settings card as the command line posts it
// to channel: in lang when given, else in the channel's configured
// languages, else in the domain's or the configuration's language. It is
// not kept pending (the operator confirms at the terminal); record its
// outcome with Announcements().Posted.
func (a *App) Announcement(domain, channel, lang string) (*bot.Announcement, error) {
	cfg := a.Config()
	d, ok := cfg.Directory.Lookup(domain)
	if !ok {
		return nil, fmt.Errorf("%s is not in the configuration", domain)
	}
	langs := a.cat.Languages()
	if lang != "" && !langs.Has(lang) {
		return nil, fmt.Errorf("unknown language %q (want one of %v)", lang, []string(langs))
	}
	pol := *a.ann.Policy()
	if lang != "" {
		pol.ChannelLang = nil // the operator's choice wins over the channel's
	}
	fallback := langs.Pick(lang, d.Language, cfg.DefaultLanguage)
	return &bot.Announcement{ID: "cli", Platform: "cli", User: "cli", Channel: channel,
		Domain: knowledge.DisplayDomain(d.Name), Cards: pol.Cards(channel, fallback, d)}, nil
}

// AuditReady opens the running configuration's audit trail now, so that
// an admin action that could not be recorded is refused before it is
// done. It is nil when the trail is off (audit.file: off).
func (a *App) AuditReady() error {
	a.mu.Lock()
	p := a.cur.parts
	a.mu.Unlock()
	if p.trail == nil {
		return nil
	}
	return p.trail.Ready()
}
