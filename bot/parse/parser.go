package parse

import (
	"strconv"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// Parser understands request texts with the vocabularies it was built
// from. It is read-only after New and safe for concurrent use.
type Parser struct {
	langs []langSigns
	// names maps a folded language name to its language.
	names         map[string]string
	before, after wordList

	check, problem, ports, outgoing, incoming  wordList
	configure, clients, help, announce, public wordList
}

// langSigns tell one language apart.
type langSigns struct {
	lang    string
	words   map[string]bool
	letters string
}

var _ bot.Parser = (*Parser)(nil)

// New builds a Parser from the vocabularies of the languages it should
// understand; their words are used together.
func New(vocabs ...Vocabulary) *Parser {
	p := &Parser{names: make(map[string]string)}
	for _, v := range vocabs {
		signs := langSigns{lang: v.Lang, words: make(map[string]bool), letters: v.Language.Letters}
		for _, w := range v.Language.Words {
			for _, f := range words(fold(w)) {
				signs.words[f] = true
			}
		}
		p.langs = append(p.langs, signs)
		for _, n := range v.Language.Names {
			if ws := words(fold(n)); len(ws) == 1 {
				p.names[ws[0]] = v.Lang
			}
		}
		p.before.add(v.Language.Before)
		p.after.add(v.Language.After)
		in := v.Intents
		p.check.add(in.Check)
		p.problem.add(in.Problem)
		p.ports.add(in.Ports)
		p.outgoing.add(in.Outgoing)
		p.incoming.add(in.Incoming)
		p.configure.add(in.Configure)
		p.clients.add(in.Clients)
		p.help.add(in.Help)
		p.announce.add(in.Announce)
		p.public.add(in.Public)
	}
	return p
}

// Parse reads a request text and says what it asks. It never fails: text
// it cannot understand gives IntentUnknown. Text longer than
// bot.MaxTextBytes is cut there; the Router refuses it before.
func (p *Parser) Parse(text string) bot.Parsed {
	plain := bot.Clean(bot.Truncate(text, bot.MaxTextBytes))
	addrs, addrSpans := findAddresses(plain)
	rest := blank(plain, addrSpans)
	hosts, hostSpans := findHosts(rest)
	rest = blank(rest, hostSpans)
	ws := words(fold(rest))

	out := bot.Parsed{Addresses: len(addrs), Client: findClient(ws)}
	if len(addrs) > 0 {
		out.Address = addrs[0]
	}
	if len(hosts) > 0 {
		out.Host = hosts[0]
	}
	if l := p.explicitLang(ws); l != "" {
		out.Lang, out.LangExplicit = l, true
	} else {
		out.Lang = p.detectLang(ws, plain)
	}

	var s signals
	for i, w := range ws {
		s.announce = s.announce || p.announce.at(ws, i)
		s.check = s.check || p.check.at(ws, i)
		s.problem = s.problem || p.problem.at(ws, i)
		s.outgoing = s.outgoing || p.outgoing.at(ws, i)
		s.incoming = s.incoming || p.incoming.at(ws, i)
		s.configure = s.configure || p.configure.at(ws, i)
		s.clients = s.clients || p.clients.at(ws, i)
		s.help = s.help || p.help.at(ws, i)
		s.ports = s.ports || p.ports.at(ws, i)
		out.Public = out.Public || p.public.at(ws, i)
		if n, err := strconv.Atoi(w); err == nil && knowledge.IsMailPort(n) && !containsInt(out.Ports, n) {
			out.Ports = append(out.Ports, n)
			s.ports = true
		}
	}
	if s.ports {
		switch {
		case s.outgoing && !s.incoming:
			out.Direction = bot.DirectionOutgoing
		case s.incoming && !s.outgoing:
			out.Direction = bot.DirectionIncoming
		}
	}
	s.client = out.Client != ""
	s.address = len(addrs) > 0
	s.target = s.address || out.Host != ""
	s.empty = len(ws) == 0 && !s.target
	out.Intent = decide(s)
	return out
}

// signals are what the words of a request hint at.
type signals struct {
	announce                                                            bool
	check, problem, ports, outgoing, incoming, configure, clients, help bool
	client, address, target, empty                                      bool
}

// decide picks the intent from the signals, most specific first.
func decide(s signals) bot.Intent {
	switch {
	case s.empty:
		return bot.IntentHelp
	case s.announce:
		return bot.IntentAnnounce
	case s.check && !(s.configure && s.client):
		// "check alice@domaine.com", "vérifie bm.domaine.com"; but "check
		// the settings of my BlackBerry" is a configure question.
		return bot.IntentCheck
	case s.problem && s.target && !s.client && !s.configure:
		// "alice@domaine.com ne marche pas": a live check helps most.
		return bot.IntentCheck
	case s.ports && !(s.configure && s.client):
		return bot.IntentPorts
	case s.clients && !s.address && !s.configure:
		return bot.IntentClients
	case s.client || s.configure || s.address:
		return bot.IntentConfigure
	case s.help:
		return bot.IntentHelp
	default:
		return bot.IntentUnknown
	}
}

// blank replaces the spans of s with spaces, keeping the other offsets.
func blank(s string, spans []span) string {
	if len(spans) == 0 {
		return s
	}
	b := []byte(s)
	for _, sp := range spans {
		for i := sp.start; i < sp.end; i++ {
			b[i] = ' '
		}
	}
	return string(b)
}

func containsInt(s []int, n int) bool {
	for _, v := range s {
		if v == n {
			return true
		}
	}
	return false
}
