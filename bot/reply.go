package bot

import (
	"time"

	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/probe"
)

// Reply is a structured answer. It holds final, localized plain text and
// no markup of any kind: renderers turn it into terminal text, Markdown,
// JSON, Block Kit or HTML, escaping every string for their format.
type Reply struct {
	// Intent is the intent that was answered.
	Intent Intent `json:"intent"`
	// Lang is the language of the text.
	Lang string `json:"lang"`
	// Code is a stable machine-readable code for refusals and errors
	// (one of the Code constants); empty for a normal answer.
	Code string `json:"code,omitempty"`
	// Title is a one-line summary.
	Title string `json:"title"`
	// Intro is an optional paragraph under the title.
	Intro string `json:"intro,omitempty"`
	// Steps are things to do, in order.
	Steps []Step `json:"steps,omitempty"`
	// Settings are groups of key/value settings ("Incoming server").
	Settings []SettingGroup `json:"settings,omitempty"`
	// Notes are remarks, each with a severity.
	Notes []Note `json:"notes,omitempty"`
	// Links point to related pages (webmail, documentation).
	Links []Link `json:"links,omitempty"`
	// Actions are follow-ups the user can ask for next.
	Actions []Action `json:"actions,omitempty"`

	// About says what the answer is about, for permalinks and the JSON
	// envelope; it is not part of the reply's text.
	About About `json:"-"`
	// RetryAfter is how long to wait before asking again, for a refusal
	// with CodeRateLimited; zero otherwise.
	RetryAfter time.Duration `json:"-"`
	// Check is the report of the live check behind the answer, when one
	// ran, for JSON APIs and metrics.
	Check *probe.Report `json:"-"`
	// Discovery is the report of the discovery check behind the answer,
	// when one ran, for JSON APIs.
	Discovery *discovery.Report `json:"-"`
	// Announcement is the pending announcement a preview shows, for the
	// adapter to offer Post and Cancel.
	Announcement *Announcement `json:"-"`
}

// About is the subject of an answer.
type About struct {
	// Client is the client the answer is for, if any.
	Client string
	// Address is the user's address as given, if any.
	Address string
	// Domain is the mail domain the answer is about, when it is known
	// without an address.
	Domain string
	// Host is the mail server the answer is about: the configured host of
	// the address's domain, or the host the user named.
	Host string
	// Symptom is the problem a troubleshooting answer is about.
	Symptom string
	// Profile is set when the client installs a configuration profile
	// (iPhone, iPad, Mac) and the address is known: the answer offers
	// to set the account up in one tap (ProfileLink).
	Profile bool
}

// Step is one instruction, with the form fields it fills.
type Step struct {
	Text   string  `json:"text"`
	Fields []Field `json:"fields,omitempty"`
}

// Field is one labelled value, in a step or a settings group.
type Field struct {
	Label string `json:"label"`
	// Value is what to type or choose; may be empty for a free field.
	Value string `json:"value,omitempty"`
	// Placeholder is set when Value is an instruction ("your usual mail
	// password", "your webmail address") rather than the value itself:
	// renderers show it apart from real values and never copy it.
	Placeholder bool `json:"placeholder,omitempty"`
	// Hint explains the field.
	Hint string `json:"hint,omitempty"`
}

// SettingGroup is a titled set of settings.
type SettingGroup struct {
	Title  string  `json:"title"`
	Fields []Field `json:"fields"`
	// Folded marks technical detail (the connections a check tested):
	// renderers show it last, folded where they can.
	Folded bool `json:"folded,omitempty"`
}

// Severity grades a note.
type Severity string

// Note severities, from least to most serious.
const (
	SeverityInfo    Severity = "info"
	SeverityTip     Severity = "tip"
	SeverityWarning Severity = "warning"
	SeverityError   Severity = "error"
)

// Note is a remark with a severity.
type Note struct {
	Severity Severity `json:"severity"`
	Text     string   `json:"text"`
}

// Link is a labelled URL. URLs come from the configuration, never from
// the request.
type Link struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

// ActionKind names a follow-up.
type ActionKind string

// The follow-ups a reply can suggest.
const (
	ActionCheck     ActionKind = "check"
	ActionConfigure ActionKind = "configure"
	ActionAsk       ActionKind = "ask"
)

// Action is a follow-up the user can ask for: a button on platforms that
// have them, otherwise the phrase to type.
type Action struct {
	Kind ActionKind `json:"kind"`
	// Label is the button text.
	Label string `json:"label"`
	// Phrase is the request that performs it, in the reply's language
	// ("check alice@domaine.com"), for platforms without buttons.
	Phrase string `json:"phrase"`
	// Target is the address or host a check acts on, for buttons that
	// ask for it as a form rather than as a phrase.
	Target string `json:"target,omitempty"`
	// Symptom, for a check offered under a troubleshooting answer, is the
	// problem the check's result is explained for.
	Symptom string `json:"symptom,omitempty"`
}
