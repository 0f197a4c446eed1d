package handlers

import (
	"strconv"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// account is what one answer knows of the user's account: their address
// (possibly none) and their domain's settings (possibly unknown).
type account struct {
	addr   bot.Address
	domain knowledge.Domain
	known  bool // the domain is configured
	// addrText and login are addr.String() and addr.Username(), made
	// once: an answer shows them many times.
	addrText, login string
	// in and out are the endpoints of endpoint(IMAP) and endpoint(SMTP),
	// worked out once for the same reason.
	in, out knowledge.Endpoint
}

// accountFor resolves the request's address, or its host for checks.
func accountFor(dir Directory, p bot.Parsed) account {
	a := account{addr: p.Address, addrText: p.Address.String()}
	a.login = a.addrText
	if p.Address.Tag != "" {
		a.login = p.Address.Username()
	}
	switch {
	case !p.Address.IsZero():
		a.domain, a.known = dir.Lookup(p.Address.Domain)
	case p.Host != "":
		// A server name ("bm.domaine.com") or a mail domain ("domaine.com").
		if a.domain, a.known = dir.LookupHost(p.Host); !a.known {
			a.domain, a.known = dir.Lookup(p.Host)
		}
	}
	return a.withEndpoints()
}

// withEndpoints works out the account's endpoints, once its domain is
// known (or known to be unknown).
func (a account) withEndpoints() account {
	if !a.known {
		in, out := knowledge.RecommendedPort(knowledge.IMAP), knowledge.RecommendedPort(knowledge.SMTP)
		a.in = knowledge.Endpoint{Port: in.Port, Security: in.Security}
		a.out = knowledge.Endpoint{Port: out.Port, Security: out.Security}
		return a
	}
	a.in, a.out = a.domain.Incoming(), a.domain.Outgoing()
	return a
}

// username is the login to type, or a placeholder.
func (a account) username(loc bot.Localizer) string {
	if a.addr.IsZero() {
		return loc.Text("placeholder.username", nil)
	}
	return a.login
}

// host returns the server of a protocol, or a placeholder when the domain
// is not configured.
func (a account) endpoint(p knowledge.Protocol) (knowledge.Endpoint, bool) {
	if p == knowledge.IMAP {
		return a.in, a.known
	}
	return a.out, a.known
}

func (a account) hostText(loc bot.Localizer, p knowledge.Protocol) string {
	if e, ok := a.endpoint(p); ok {
		return e.Host
	}
	return loc.Text("placeholder.host", nil)
}

// field fills a guide field from the account: the user's value, the
// recommended choice, or what to type that mailhelp cannot know (marked
// as a placeholder, like a value it cannot fill in).
func (a account) field(loc bot.Localizer, g *knowledge.Guide, f knowledge.Field) bot.Field {
	out := bot.Field{Label: loc.Text(f.Label, nil)}
	switch {
	case f.Value != knowledge.ValueNone:
		out.Value, out.Placeholder = a.value(loc, g, f.Value)
	case f.Fixed != "":
		out.Value = loc.Text(f.Fixed, nil)
	case f.Ask != "":
		out.Value, out.Placeholder = loc.Text(f.Ask, nil), true
	}
	if f.Hint != "" {
		out.Hint = loc.Text(f.Hint, nil)
	}
	return out
}

// value is a user's setting for a guide field, and whether it is only a
// placeholder (no address given, a domain not configured).
func (a account) value(loc bot.Localizer, g *knowledge.Guide, v knowledge.Value) (string, bool) {
	in, _ := a.endpoint(knowledge.IMAP)
	out, _ := a.endpoint(knowledge.SMTP)
	switch v {
	case knowledge.ValueAddress:
		if a.addr.IsZero() {
			return loc.Text("placeholder.address", nil), true
		}
		return a.addrText, false
	case knowledge.ValueUsername:
		return a.username(loc), a.addr.IsZero()
	case knowledge.ValueIncomingHost:
		return a.hostText(loc, knowledge.IMAP), !a.known
	case knowledge.ValueIncomingPort:
		return strconv.Itoa(in.Port), false
	case knowledge.ValueIncomingSecurity:
		return guideSecurity(loc, g, in.Security), false
	case knowledge.ValueOutgoingHost:
		return a.hostText(loc, knowledge.SMTP), !a.known
	case knowledge.ValueOutgoingPort:
		return strconv.Itoa(out.Port), false
	case knowledge.ValueOutgoingSecurity:
		return guideSecurity(loc, g, out.Security), false
	}
	return "", false
}

// guideSecurity is what to pick on the device for a security mode: its
// translated choice when the guide has one, else its own label.
func guideSecurity(loc bot.Localizer, g *knowledge.Guide, s knowledge.Security) string {
	if id, ok := g.SecurityMessages[s]; ok {
		return loc.Text(id, nil)
	}
	return g.SecurityLabel(s)
}

// subject names the account in titles: the address, else the domain's
// host, else a generic word.
func (a account) subject(loc bot.Localizer) string {
	switch {
	case !a.addr.IsZero():
		return a.addrText
	case a.known:
		return a.domain.Host
	default:
		return loc.Text("placeholder.your_address", nil)
	}
}

// settingGroups is the generic settings card: incoming and outgoing.
func (a account) settingGroups(loc bot.Localizer) []bot.SettingGroup {
	return []bot.SettingGroup{a.group(loc, knowledge.IMAP), a.group(loc, knowledge.SMTP)}
}

func (a account) group(loc bot.Localizer, p knowledge.Protocol) bot.SettingGroup {
	e, _ := a.endpoint(p)
	g := bot.SettingGroup{Title: loc.Text("settings.incoming", nil)}
	if p == knowledge.SMTP {
		g.Title = loc.Text("settings.outgoing", nil)
	}
	serverHint := ""
	if !a.known {
		serverHint = loc.Text("hint.server", nil)
	}
	g.Fields = []bot.Field{
		{Label: loc.Text("label.server", nil), Value: a.hostText(loc, p), Hint: serverHint, Placeholder: !a.known},
		{Label: loc.Text("label.port", nil), Value: strconv.Itoa(e.Port)},
		{Label: loc.Text("label.security", nil), Value: securityText(loc, e.Security)},
		{Label: loc.Text("label.username", nil), Value: a.username(loc), Hint: loc.Text("hint.username", nil), Placeholder: a.addr.IsZero()},
		{Label: loc.Text("label.password", nil), Value: loc.Text("value.password", nil), Placeholder: true},
	}
	if p == knowledge.SMTP {
		g.Fields = append(g.Fields, bot.Field{
			Label: loc.Text("label.authentication", nil), Value: loc.Text("value.auth_required", nil),
			Hint: loc.Text("hint.smtp_auth", nil),
		})
	}
	return g
}

// securityText is the generic (not device-specific) name of a mode.
func securityText(loc bot.Localizer, s knowledge.Security) string {
	switch s {
	case knowledge.ImplicitTLS:
		return loc.Text("security.ssl_tls", nil)
	case knowledge.StartTLS:
		return loc.Text("security.starttls", nil)
	default:
		return loc.Text("security.optional", nil)
	}
}

// notes are the remarks every account answer carries when they apply:
// sub-address, several addresses, unknown domain, support contact.
func (a account) notes(loc bot.Localizer, p bot.Parsed) []bot.Note {
	var notes []bot.Note
	if p.Addresses > 1 {
		notes = append(notes, bot.Note{Severity: bot.SeverityInfo,
			Text: loc.Plural("note.many_addresses", p.Addresses, map[string]any{"Address": a.addrText})})
	}
	if a.addr.Tag != "" {
		notes = append(notes, bot.Note{Severity: bot.SeverityTip,
			Text: loc.Text("note.sub_address", map[string]any{"Address": a.addrText, "Username": a.login})})
	}
	if !a.addr.IsZero() && !a.known {
		notes = append(notes, bot.Note{Severity: bot.SeverityWarning,
			Text: loc.Text("note.unknown_domain", map[string]any{"Domain": a.addr.Domain})})
	}
	if a.addr.IsZero() {
		notes = append(notes, bot.Note{Severity: bot.SeverityTip, Text: loc.Text("note.personalize", nil)})
	}
	if a.known && a.domain.Support != "" {
		notes = append(notes, bot.Note{Severity: bot.SeverityInfo,
			Text: loc.Text("note.support", map[string]any{"Support": a.domain.Support})})
	}
	return notes
}

// links are the account's useful pages.
func (a account) links(loc bot.Localizer) []bot.Link {
	if !a.known {
		return nil
	}
	return []bot.Link{{Label: loc.Text("link.webmail", nil), URL: a.domain.WebmailURL()}}
}

// about describes the account for Reply.About: its address and the
// configured server of its domain, or else the host named, if any.
func (a account) about(client knowledge.ClientID, named string) bot.About {
	ab := bot.About{Client: string(client), Address: a.addrText, Host: named}
	if c, ok := knowledge.ClientByID(client); ok && c.SelfConfig == knowledge.SelfConfigProfile {
		// Only a configured domain's address has a profile to install.
		ab.Profile = a.known && !a.addr.IsZero()
	}
	if a.known {
		ab.Host = a.domain.Incoming().Host
		if a.addr.IsZero() {
			ab.Domain = knowledge.DisplayDomain(a.domain.Name)
		}
	}
	return ab
}

// checkAction suggests a live check of the account's server.
func (a account) checkAction(loc bot.Localizer) []bot.Action {
	target := ""
	switch {
	case !a.addr.IsZero():
		target = a.login
	case a.known:
		target = a.domain.Host
	default:
		return nil
	}
	return []bot.Action{{
		Kind:   bot.ActionCheck,
		Label:  loc.Text("action.check", nil),
		Phrase: loc.Text("phrase.check", map[string]any{"Target": target}),
		Target: target,
	}}
}
