package parse

import (
	"net/netip"
	"strings"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// maxTarget bounds a form's target: an address is at most 254 bytes, a
// host name 253; a little more leaves room for Unicode domains.
const maxTarget = 320

// Form reads structured input with the parser's rules: the client is an
// id or a name, the target exactly one address or one bare host name
// (no scheme, port, path or other words). An invalid field is a
// *bot.Error with CodeBadClient or CodeBadTarget.
func (p *Parser) Form(f bot.Form) (bot.Parsed, error) {
	out := bot.Parsed{Intent: f.Intent}
	if f.Symptom != "" {
		s := knowledge.Symptom(f.Symptom)
		if !s.Valid() || s == knowledge.SymptomUnsupported {
			return out, &bot.Error{Kind: bot.KindInvalidInput, Code: bot.CodeBadSymptom, MsgID: "error.bad_symptom"}
		}
		out.Symptom = s
	}
	if f.Client != "" {
		id, ok := clientOf(f.Client)
		if !ok {
			return out, &bot.Error{Kind: bot.KindInvalidInput, Code: bot.CodeBadClient, MsgID: "error.bad_client"}
		}
		out.Client = id
	}
	t := strings.TrimSpace(f.Target)
	if t == "" {
		return out, nil
	}
	bad := &bot.Error{Kind: bot.KindInvalidInput, Code: bot.CodeBadTarget, MsgID: "error.bad_target"}
	if len(t) > maxTarget || strings.ContainsFunc(t, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return out, bad
	}
	t = bot.Clean(t)
	if f.Kind != bot.TargetHost {
		if addrs, spans := findAddresses(t); len(addrs) == 1 && spans[0] == (span{0, len(t)}) {
			out.Address, out.Addresses = addrs[0], 1
			return out, nil
		}
	}
	if f.Kind != bot.TargetAddress {
		if ip, err := netip.ParseAddr(t); err == nil && ip.Is4() {
			out.Host = ip.String()
			return out, nil
		}
		if !strings.ContainsAny(t, "@:/") && strings.Contains(t, ".") && validHostName(t) && !isClientName(words(fold(t))) {
			out.Host = knowledge.DisplayDomain(t)
			return out, nil
		}
	}
	return out, bad
}

// clientOf finds a client by id ("blackberry10") or by one of its names
// ("BlackBerry", "bb10", typos included).
func clientOf(s string) (knowledge.ClientID, bool) {
	if c, ok := knowledge.ClientByID(knowledge.ClientID(strings.TrimSpace(s))); ok {
		return c.ID, true
	}
	ws := words(fold(bot.Clean(bot.Truncate(s, 200))))
	id := findClient(ws)
	return id, id != ""
}

// Clients lists the clients a person may name, for pickers.
func (p *Parser) Clients() []bot.ClientName {
	var out []bot.ClientName
	for _, c := range knowledge.Clients() {
		out = append(out, bot.ClientName{ID: c.ID, Name: c.Name})
	}
	return out
}
