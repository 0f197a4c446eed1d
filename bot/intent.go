package bot

import "github.com/mailhelp/mailhelp/knowledge"

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
	// IntentTroubleshoot: a problem ("I can receive but not send"), by
	// symptom; with an address or host, the live check narrows it down.
	IntentTroubleshoot Intent = "troubleshoot"
	// IntentDiscovery: check what a domain publishes for clients to
	// configure themselves (autoconfig, Autodiscover, SRV records).
	IntentDiscovery Intent = "discovery"
	// IntentThanks: a thank-you, answered politely.
	IntentThanks Intent = "thanks"
	// IntentUnknown: nothing recognized; answered with examples.
	IntentUnknown Intent = "unknown"
)

// Intents lists every intent, for validation and metrics.
var Intents = []Intent{IntentConfigure, IntentCheck, IntentPorts, IntentClients, IntentHelp, IntentAnnounce,
	IntentTroubleshoot, IntentDiscovery, IntentThanks, IntentUnknown}

// String returns the intent's name.
func (i Intent) String() string { return string(i) }

// Valid reports whether i is one of the defined intents.
func (i Intent) Valid() bool {
	for _, v := range Intents {
		if i == v {
			return true
		}
	}
	return false
}

// Direction narrows a ports question to one side of the account.
type Direction string

// Directions of a ports question; DirectionBoth when not narrowed.
const (
	DirectionBoth     Direction = ""
	DirectionIncoming Direction = "incoming"
	DirectionOutgoing Direction = "outgoing"
)

// Parsed is what a request asks, understood from its text by a Parser or
// read from a Form.
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
	// Public is set when the text asks for the answer to be shown to the
	// whole channel ("public", "publier"): Slack's /mailhelp honours it.
	Public bool `json:"public,omitempty"`
	// Account is set when a check asks about the person's own account
	// ("test my account"): logging in needs a password, which chat never
	// takes, so the answer says how to run the account test instead.
	Account bool `json:"account,omitempty"`
	// Symptom is the problem a troubleshoot request brings.
	Symptom knowledge.Symptom `json:"symptom,omitempty"`
	// Topic is what an unsupported question is about (Symptom
	// "unsupported").
	Topic knowledge.Topic `json:"topic,omitempty"`
	// Continued is set when the request was understood with the
	// conversation's previous one (its address, device or problem).
	Continued bool `json:"continued,omitempty"`
}

// Context is what a conversation was last about, so that a follow-up
// ("it still does not work", "and for iPhone?") is understood with it.
type Context struct {
	Intent  Intent
	Client  knowledge.ClientID
	Address Address
	Host    string
	Symptom knowledge.Symptom
	Topic   knowledge.Topic
}

// Target is what a check or an answer is about, as a person reads it:
// the address's username, else the host.
func (p Parsed) Target() string {
	if !p.Address.IsZero() {
		return p.Address.Username()
	}
	return p.Host
}

// Parser understands request texts and forms; *parse.Parser implements it.
type Parser interface {
	// Parse reads a text and says what it asks. It never fails: text it
	// cannot understand gives IntentUnknown.
	Parse(text string) Parsed
	// Continue reads a text that follows prev in a conversation: what it
	// leaves out (the address, the device, the problem) comes from prev.
	Continue(text string, prev Context) Parsed
	// Form reads structured input; an invalid field is an *Error.
	Form(f Form) (Parsed, error)
	// Clients lists the clients a person may name, for pickers.
	Clients() []ClientName
}

// ClientName is a client as pickers show it.
type ClientName struct {
	ID   knowledge.ClientID
	Name string
}

// Form is a request given as fields rather than a sentence: a permalink's
// path and query, a slash command's options, command-line flags, the JSON
// API's fields. It is validated, never written out and parsed again.
type Form struct {
	Intent Intent
	// Client is a client's id or one of its names; optional.
	Client string
	// Target is one mail address or one host name, alone; optional.
	Target string
	// Kind says what Target must be: TargetAddress, TargetHost, or
	// TargetAny (the zero value) for either.
	Kind TargetKind
	// Symptom, for IntentTroubleshoot, is the problem's code.
	Symptom string
}

// TargetKind narrows what a Form's Target may be.
type TargetKind int

// The kinds of Form target.
const (
	TargetAny TargetKind = iota
	TargetAddress
	TargetHost
)
