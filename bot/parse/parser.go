package parse

import (
	"strconv"
	"strings"

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
	discovery, account                         wordList
	thanks, followup                           wordList
	// symptoms are in knowledge.Symptoms' order, which breaks ties.
	symptoms []symptomWords
	topics   []topicWords
	// idx indexes all the above by word.
	idx index
}

type symptomWords struct {
	symptom knowledge.Symptom
	words   wordList
}

type topicWords struct {
	topic knowledge.Topic
	words wordList
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
	for _, s := range knowledge.Symptoms {
		if s != knowledge.SymptomUnsupported {
			p.symptoms = append(p.symptoms, symptomWords{symptom: s})
		}
	}
	for _, t := range knowledge.Topics {
		p.topics = append(p.topics, topicWords{topic: t})
	}
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
		p.discovery.add(in.Discovery)
		p.account.add(in.Account)
		p.public.add(in.Public)
		p.thanks.add(in.Thanks)
		p.followup.add(in.Followup)
		for i := range p.symptoms {
			p.symptoms[i].words.add(v.Symptoms[string(p.symptoms[i].symptom)])
		}
		for i := range p.topics {
			p.topics[i].words.add(v.Unsupported[string(p.topics[i].topic)])
		}
	}
	p.idx = p.buildIndex()
	return p
}

// Parse reads a request text and says what it asks. It never fails: text
// it cannot understand gives IntentUnknown. Text longer than
// bot.MaxTextBytes is cut there; the Router refuses it before.
func (p *Parser) Parse(text string) bot.Parsed {
	out, s := p.read(text)
	out.Intent = decide(s)
	return out
}

// Continue reads a text that follows prev in a conversation. What the
// text leaves out comes from prev: the address or host (unless the text
// asks for help, thanks or the list of devices), the device, and — when
// the text has no intent of its own ("it still does not work", "and for
// iPhone?") — the problem. "Still not working" after an answer without a
// problem asks for a live check of the conversation's server.
func (p *Parser) Continue(text string, prev bot.Context) bot.Parsed {
	out, s := p.read(text)
	general := s.help || s.thanks || s.clients || s.announce
	if !general && !s.target && (!prev.Address.IsZero() || prev.Host != "") {
		out.Address, out.Host, out.Continued = prev.Address, prev.Host, true
		if !out.Address.IsZero() {
			out.Addresses = 1
		}
		s.address, s.target = !out.Address.IsZero(), true
	}
	vague := !s.ownIntent()
	if !general && out.Client == "" && prev.Client != "" && (vague || s.configure || s.symptom) {
		out.Client, s.client, out.Continued = prev.Client, true, true
	}
	if vague && out.Symptom == "" && prev.Symptom != "" {
		out.Symptom, out.Topic, s.symptom, out.Continued = prev.Symptom, prev.Topic, true, true
	}
	out.Intent = decide(s)
	if vague && s.followup && s.problem && !s.symptom && s.target {
		out.Intent = bot.IntentCheck
	}
	return out
}

// read finds everything a text holds, and the signals for its intent.
func (p *Parser) read(text string) (bot.Parsed, signals) {
	plain := bot.Clean(bot.Truncate(text, bot.MaxTextBytes))
	addrs, addrSpans := findAddresses(plain)
	rest := blank(plain, addrSpans)
	hosts, hostSpans := findHosts(rest)
	rest = blank(rest, hostSpans)
	ws := words(fold(rest))

	out := bot.Parsed{Addresses: len(addrs)}
	if len(addrs) > 0 {
		out.Address = addrs[0]
	}
	if len(hosts) > 0 {
		out.Host = hosts[0]
	}
	// One pass over the words, one index lookup each: the lists they
	// hit, the languages they are signs of, an explicit language request.
	var s signals
	var seen mask
	var scoreBuf [16]int
	scores := scoreBuf[:0]
	if len(p.langs) <= len(scoreBuf) {
		scores = scoreBuf[:len(p.langs)]
	} else {
		scores = make([]int, len(p.langs))
	}
	explicit := ""
	for i, w := range ws {
		if e := p.idx.words[w]; e != nil {
			seen |= e.at(ws, i)
			for _, l := range e.langs {
				scores[l]++
			}
			if explicit == "" && e.names != "" && p.asksFor(ws, i) {
				explicit = e.names
			}
			if out.Client == "" && e.clients != nil {
				out.Client = clientAt(e.clients, ws, i)
			}
		}
		if isDigits(w) {
			if n, err := strconv.Atoi(w); err == nil && knowledge.IsMailPort(n) && !containsInt(out.Ports, n) {
				out.Ports = append(out.Ports, n)
				s.ports = true
			}
		}
	}
	s.announce = seen.has(listAnnounce)
	s.discovery = seen.has(listDiscovery)
	s.account = seen.has(listAccount)
	s.check = seen.has(listCheck)
	s.problem = seen.has(listProblem)
	s.outgoing = seen.has(listOutgoing)
	s.incoming = seen.has(listIncoming)
	s.configure = seen.has(listConfigure)
	s.clients = seen.has(listClients)
	s.help = seen.has(listHelp)
	s.ports = s.ports || seen.has(listPorts)
	s.thanks = seen.has(listThanks)
	s.followup = seen.has(listFollowup)
	out.Public = seen.has(listPublic)
	if out.Client == "" {
		out.Client = fuzzyClient(ws)
	}
	if explicit != "" {
		out.Lang, out.LangExplicit = explicit, true
	} else {
		out.Lang = p.detectLang(scores, plain)
	}
	out.Account = s.account
	out.Symptom, out.Topic = p.symptom(seen)
	s.symptom = out.Symptom != ""
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
	return out, s
}

// symptom finds the problem named by a text whose words hit the lists
// in seen: an unsupported topic first, then the symptoms in their order
// of preference.
func (p *Parser) symptom(seen mask) (knowledge.Symptom, knowledge.Topic) {
	for i, t := range p.topics {
		if seen.has(p.topicList(i)) {
			return knowledge.SymptomUnsupported, t.topic
		}
	}
	for i, sw := range p.symptoms {
		if seen.has(symptomBase + list(i)) {
			return sw.symptom, ""
		}
	}
	return "", ""
}

// isDigits reports whether w is a non-empty run of ASCII digits, which
// is all a port number can be.
func isDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

// signals are what the words of a request hint at.
type signals struct {
	announce, discovery, account                                        bool
	check, problem, ports, outgoing, incoming, configure, clients, help bool
	thanks, followup, symptom                                           bool
	client, address, target, empty                                      bool
}

// ownIntent reports whether the words ask for something themselves, not
// only name a device, an address, a follow-up or that it does not work.
func (s signals) ownIntent() bool {
	return s.announce || s.discovery || s.account || s.check || s.ports || s.configure || s.clients || s.help || s.thanks || s.symptom
}

// decide picks the intent from the signals, most specific first.
func decide(s signals) bot.Intent {
	switch {
	case s.empty:
		return bot.IntentHelp
	case s.announce:
		return bot.IntentAnnounce
	case s.discovery && (s.check || s.problem && s.target) && !s.symptom && !s.configure && !s.client:
		// "check autoconfig for domaine.com", "vérifie l'autoconfiguration
		// de domaine.com", "autodiscover does not work for domaine.com":
		// what the domain publishes for clients. Setting a device up
		// "with autoconfig" stays a configure question.
		return bot.IntentDiscovery
	case s.symptom:
		// "my phone says certificate error", "I can receive but not send":
		// the problem comes first, with or without a check.
		return bot.IntentTroubleshoot
	case s.account && !s.configure && !s.client && !s.ports && !s.thanks:
		// "test my account alice@domaine.com": the account test, which
		// needs a password chat never takes. Only explicit phrases count
		// ("my account" alone is in ordinary questions).
		return bot.IntentCheck
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
	case s.thanks:
		return bot.IntentThanks
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
	var b strings.Builder
	b.Grow(len(s))
	// Spans come in order of their start, and may overlap (an address's
	// local part can reach back into the one before).
	at := 0
	for _, sp := range spans {
		start := max(sp.start, at)
		b.WriteString(s[at:start])
		for range sp.end - start {
			b.WriteByte(' ')
		}
		at = max(at, sp.end)
	}
	b.WriteString(s[at:])
	return b.String()
}

func containsInt(s []int, n int) bool {
	for _, v := range s {
		if v == n {
			return true
		}
	}
	return false
}
