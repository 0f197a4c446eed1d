package bot

import (
	"strconv"

	"github.com/mailhelp/mailhelp/knowledge"
)

// Intent is what a request asks for.
type Intent string

// The intents mailhelp understands.
const (
	// IntentConfigure: set up a client for an address.
	IntentConfigure Intent = "configure"
	// IntentCheck: test a server live (by address or host).
	IntentCheck Intent = "check"
	// IntentPorts: questions on ports, security and sending.
	IntentPorts Intent = "ports"
	// IntentClients: which clients are supported.
	IntentClients Intent = "clients"
	// IntentHelp: what the bot can do.
	IntentHelp Intent = "help"
	// IntentAnnounce: an admin posts a domain's settings in a channel.
	IntentAnnounce Intent = "announce"
	// IntentUnknown: nothing recognized; answered with examples.
	IntentUnknown Intent = "unknown"
)

// Direction narrows a ports question to one side of the account.
type Direction string

// Directions of a ports question; DirectionBoth when not narrowed.
const (
	DirectionBoth     Direction = ""
	DirectionIncoming Direction = "incoming"
	DirectionOutgoing Direction = "outgoing"
)

// Parsed is what the parser understood of a request text.
type Parsed struct {
	Intent Intent `json:"intent"`
	// Client is the client named, or "" when none was.
	Client knowledge.ClientID `json:"client,omitempty"`
	// Address is the first address found.
	Address Address `json:"address"`
	// Addresses is how many addresses the text held (capped).
	Addresses int `json:"addresses"`
	// Host is the first host name found outside addresses.
	Host string `json:"host,omitempty"`
	// Lang is the language the text asked for or is written in, or "".
	Lang string `json:"lang,omitempty"`
	// LangExplicit is set when the text asked for a language ("in English").
	LangExplicit bool `json:"lang_explicit,omitempty"`
	// Direction narrows a ports question.
	Direction Direction `json:"direction,omitempty"`
	// Ports are the mail port numbers the text mentions.
	Ports []int `json:"ports,omitempty"`
	// Channel is the first channel the text links to (Slack's <#C123|x>,
	// Discord's <#123>), by id.
	Channel string `json:"channel,omitempty"`
}

// Keyword sets, on folded words (lowercase, no accents).
var (
	checkWords = wordSet(`check checks checking verify verifie verifier verifiez verifies verif
		teste tester testez test tests testing diagnose diagnostic diagnostique diagnostiquer probe ping
		controle controler controlez joignable reachable`)
	problemWords = wordSet(`marche fonctionne works working broken panne erreur error fails failing failed
		echoue connexion connection connect joindre`)
	portWords = wordSet(`port ports smtp imap ssl tls starttls securite security chiffrement encryption
		sortant sortants outgoing entrant entrants incoming envoi envoyer send sending receive receiving recevoir
		reception authentification authentication auth chiffre encrypted`)
	outgoingWords  = wordSet(`smtp sortant sortants outgoing envoi envoyer send sending envoie`)
	incomingWords  = wordSet(`imap entrant entrants incoming receive receiving recevoir reception`)
	configureWords = wordSet(`configure configurer configurez configuration config setup installer install
		parametrer parametrage parametres parametre ajouter add synchroniser synchronisation sync connecter
		regler reglages settings setting reglage`)
	clientsWords = wordSet(`supported supportes supporte compatible compatibles clients appareils devices
		logiciels applications apps telephones phones`)
	helpWords     = wordSet(`help aide aidez usage commands commandes commande bonjour hello hi salut hey menu`)
	announceWords = wordSet(`announce announcement annonce annoncer annoncez`)
)

// Parse reads a request text and says what it asks. It never fails: text
// it cannot understand gives IntentUnknown. Text longer than MaxTextBytes
// is cut there; callers should refuse it before (see Router).
func Parse(text string) Parsed {
	cleaned := Clean(truncateUTF8(text, MaxTextBytes))
	channel := firstChannel(cleaned)
	plain := unwrapMarkup(cleaned)
	addrs, addrSpans := findAddresses(plain)
	rest := blank(plain, addrSpans)
	hosts, hostSpans := findHosts(rest)
	rest = blank(rest, hostSpans)
	ws := words(fold(rest))

	p := Parsed{Addresses: len(addrs), Client: findClient(ws), Channel: channel}
	if len(addrs) > 0 {
		p.Address = addrs[0]
	}
	if len(hosts) > 0 {
		p.Host = hosts[0]
	}
	if l := explicitLang(ws); l != "" {
		p.Lang, p.LangExplicit = l, true
	} else {
		p.Lang = detectLang(ws, plain)
	}

	var check, problem, ports, outgoing, incoming, configure, clientsQ, help, announce bool
	for i, w := range ws {
		announce = announce || announceWords[w]
		check = check || checkWords[w]
		problem = problem || problemWords[w]
		outgoing = outgoing || outgoingWords[w]
		incoming = incoming || incomingWords[w]
		configure = configure || configureWords[w] || (w == "set" && i+1 < len(ws) && ws[i+1] == "up")
		clientsQ = clientsQ || clientsWords[w]
		help = help || helpWords[w]
		if portWords[w] {
			ports = true
		}
		if n, err := strconv.Atoi(w); err == nil && knowledge.IsMailPort(n) && !containsInt(p.Ports, n) {
			p.Ports = append(p.Ports, n)
			ports = true
		}
	}
	if ports {
		switch {
		case outgoing && !incoming:
			p.Direction = DirectionOutgoing
		case incoming && !outgoing:
			p.Direction = DirectionIncoming
		}
	}
	hasTarget := len(addrs) > 0 || p.Host != ""
	p.Intent = decide(intentSignals{
		announce: announce,
		check:    check, problem: problem, ports: ports, configure: configure,
		clients: clientsQ, help: help, client: p.Client != "",
		address: len(addrs) > 0, target: hasTarget, empty: len(ws) == 0 && !hasTarget,
	})
	return p
}

type intentSignals struct {
	announce                                        bool
	check, problem, ports, configure, clients, help bool
	client, address, target, empty                  bool
}

// decide picks the intent from the signals, most specific first.
func decide(s intentSignals) Intent {
	switch {
	case s.empty:
		return IntentHelp
	case s.announce:
		return IntentAnnounce
	case s.check && !(s.configure && s.client):
		// "check alice@domaine.com", "vérifie bm.domaine.com"; but "check
		// the settings of my BlackBerry" is a configure question.
		return IntentCheck
	case s.problem && s.target && !s.client && !s.configure:
		// "alice@domaine.com ne marche pas": a live check helps most.
		return IntentCheck
	case s.ports && !(s.configure && s.client):
		return IntentPorts
	case s.clients && !s.address && !s.configure:
		return IntentClients
	case s.client || s.configure || s.address:
		return IntentConfigure
	case s.help:
		return IntentHelp
	default:
		return IntentUnknown
	}
}

// firstChannel finds the first channel link: <#C0123|name> (Slack) or
// <#123456> (Discord); its id is letters and digits only.
func firstChannel(s string) string {
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '<' || s[i+1] != '#' {
			continue
		}
		end := i + 2
		for end < len(s) && end-i < 40 && (s[end] >= 'A' && s[end] <= 'Z' || s[end] >= '0' && s[end] <= '9') {
			end++
		}
		if end > i+2 && end < len(s) && (s[end] == '>' || s[end] == '|') {
			return s[i+2 : end]
		}
	}
	return ""
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

// String returns the intent's name.
func (i Intent) String() string { return string(i) }

// Valid reports whether i is one of the defined intents.
func (i Intent) Valid() bool {
	switch i {
	case IntentConfigure, IntentCheck, IntentPorts, IntentClients, IntentHelp, IntentAnnounce, IntentUnknown:
		return true
	}
	return false
}
