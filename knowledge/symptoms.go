package knowledge

// Symptom is a problem people bring ("I can receive but not send"), by a
// stable code: it appears in JSON answers.
type Symptom string

// The symptoms mailhelp recognizes.
const (
	SymptomCertWarning   Symptom = "cert_warning"
	SymptomAuthFailed    Symptom = "auth_failed"
	SymptomCannotSend    Symptom = "cannot_send"
	SymptomCannotReceive Symptom = "cannot_receive"
	SymptomNotSyncing    Symptom = "not_syncing"
	SymptomCannotConnect Symptom = "cannot_connect"
	SymptomSentFolder    Symptom = "sent_folder"
	SymptomUnsupported   Symptom = "unsupported"
)

// Symptoms lists every symptom, in the order the parser prefers them when
// a message names several: the most specific first ("calendar not
// syncing" is about calendars, which mailhelp does not cover; "password
// rejected, cannot send" is about the password).
var Symptoms = []Symptom{
	SymptomUnsupported, SymptomCertWarning, SymptomAuthFailed, SymptomSentFolder,
	SymptomCannotSend, SymptomCannotReceive, SymptomNotSyncing, SymptomCannotConnect,
}

// Valid reports whether s is one of the symptoms.
func (s Symptom) Valid() bool {
	for _, v := range Symptoms {
		if s == v {
			return true
		}
	}
	return false
}

// Topic is what an unsupported question is about.
type Topic string

// The topics mailhelp does not cover, and says so.
const (
	TopicPOP3     Topic = "pop3"
	TopicExchange Topic = "exchange"
	TopicCalendar Topic = "calendar"
	TopicContacts Topic = "contacts"
)

// Topics lists the unsupported topics.
var Topics = []Topic{TopicPOP3, TopicExchange, TopicCalendar, TopicContacts}

// Advice is what to tell someone with a symptom, before or without a
// live check. Every string is a message ID; the messages may use Host,
// OutHost, InPort, OutPort, InSecurity, OutSecurity and Username.
type Advice struct {
	Symptom Symptom
	// Title and Intro head the answer.
	Title, Intro string
	// Causes are the likely causes, most likely first, each with what to
	// check on the device.
	Causes []string
	// Settings says which settings to show for checking: the incoming
	// side, the outgoing side, or both.
	Incoming, Outgoing bool
	// Check is set when a live check of the server helps.
	Check bool
}

// advice is the table of symptoms' answers. The ranking follows the
// seed's facts: the username is the full address; SMTP on 25 without
// authentication only reaches the organisation's own domains; a
// certificate warning must not be "continued" out of habit.
var advice = []Advice{
	{Symptom: SymptomCertWarning, Title: "ts.cert_warning.title", Intro: "ts.cert_warning.intro", Incoming: true, Outgoing: true, Check: true,
		Causes: []string{"ts.cert_warning.server_name", "ts.cert_warning.date", "ts.cert_warning.server_cert", "ts.cert_warning.network"}},
	{Symptom: SymptomAuthFailed, Title: "ts.auth_failed.title", Intro: "ts.auth_failed.intro", Incoming: true, Outgoing: true, Check: true,
		Causes: []string{"ts.auth_failed.username", "ts.auth_failed.password", "ts.auth_failed.changed", "ts.auth_failed.outgoing", "ts.auth_failed.locked"}},
	{Symptom: SymptomCannotSend, Title: "ts.cannot_send.title", Intro: "ts.cannot_send.intro", Outgoing: true, Check: true,
		Causes: []string{"ts.cannot_send.auth", "ts.cannot_send.port25", "ts.cannot_send.blocked", "ts.cannot_send.server", "ts.cannot_send.outbox"}},
	{Symptom: SymptomCannotReceive, Title: "ts.cannot_receive.title", Intro: "ts.cannot_receive.intro", Incoming: true, Check: true,
		Causes: []string{"ts.cannot_receive.webmail", "ts.cannot_receive.folders", "ts.cannot_receive.settings", "ts.cannot_receive.quota"}},
	{Symptom: SymptomNotSyncing, Title: "ts.not_syncing.title", Intro: "ts.not_syncing.intro", Incoming: true, Check: true,
		Causes: []string{"ts.not_syncing.push", "ts.not_syncing.interval", "ts.not_syncing.timeframe", "ts.not_syncing.battery", "ts.not_syncing.remove"}},
	{Symptom: SymptomCannotConnect, Title: "ts.cannot_connect.title", Intro: "ts.cannot_connect.intro", Incoming: true, Outgoing: true, Check: true,
		Causes: []string{"ts.cannot_connect.server_name", "ts.cannot_connect.network", "ts.cannot_connect.ports", "ts.cannot_connect.webmail"}},
	{Symptom: SymptomSentFolder, Title: "ts.sent_folder.title", Intro: "ts.sent_folder.intro",
		Causes: []string{"ts.sent_folder.device_copy", "ts.sent_folder.folder", "ts.sent_folder.other_device"}},
	{Symptom: SymptomUnsupported, Title: "ts.unsupported.title", Intro: "ts.unsupported.intro"},
}

// AdviceFor returns a symptom's advice.
func AdviceFor(s Symptom) (Advice, bool) {
	for _, a := range advice {
		if a.Symptom == s {
			return a, true
		}
	}
	return Advice{}, false
}

// TopicMessage is the message ID that answers an unsupported topic.
func TopicMessage(t Topic) string { return "ts.unsupported." + string(t) }

// Side says which connections a diagnosis row looks at.
type Side string

// The sides of an account.
const (
	SideIncoming Side = "incoming"
	SideOutgoing Side = "outgoing"
	SideAny      Side = "any"
)

// ProblemOK is the pseudo-problem of a side where the check found
// nothing wrong: the explanation then points back to the device.
const ProblemOK = "ok"

// ProblemNoPush is the pseudo-problem of an incoming side that works
// without push (IDLE).
const ProblemNoPush = "no_push"

// Diagnosis explains, for one symptom, what a live check's problem means
// and what to do. Text may use Host, Ports, Date, Names, and Port and
// Security: the working alternative on the symptom's side. When that
// side has no working alternative, NoAlternative (if set) is used
// instead.
type Diagnosis struct {
	Symptom       Symptom
	Side          Side
	Problem       string // a probe problem code, ProblemOK or ProblemNoPush
	Text          string
	NoAlternative string
}

// diagnoses is the table symptom × problem → explanation; rows are
// looked up, never chained in code. Problem codes are the probe's
// (probe/report.go), repeated here as strings: knowledge imports nothing.
var diagnoses = []Diagnosis{
	// Cannot send: the outgoing side.
	{SymptomCannotSend, SideOutgoing, "starttls_missing", "diag.cannot_send.starttls_missing", "diag.cannot_send.nothing_works"},
	{SymptomCannotSend, SideOutgoing, "refused", "diag.cannot_send.port_closed", "diag.cannot_send.nothing_works"},
	{SymptomCannotSend, SideOutgoing, "timeout", "diag.cannot_send.port_blocked", "diag.cannot_send.nothing_works"},
	{SymptomCannotSend, SideOutgoing, "unreachable", "diag.cannot_send.port_blocked", "diag.cannot_send.nothing_works"},
	{SymptomCannotSend, SideOutgoing, "tls_handshake", "diag.cannot_send.port_closed", "diag.cannot_send.nothing_works"},
	{SymptomCannotSend, SideOutgoing, "no_auth", "diag.cannot_send.no_auth", "diag.cannot_send.nothing_works"},
	{SymptomCannotSend, SideOutgoing, "dns", "diag.any.dns", ""},
	{SymptomCannotSend, SideOutgoing, ProblemOK, "diag.cannot_send.ok", ""},
	// Certificate warnings: any side.
	{SymptomCertWarning, SideAny, "cert_expired", "diag.cert_warning.expired", ""},
	{SymptomCertWarning, SideAny, "cert_not_yet_valid", "diag.cert_warning.not_yet_valid", ""},
	{SymptomCertWarning, SideAny, "cert_hostname_mismatch", "diag.cert_warning.hostname", ""},
	{SymptomCertWarning, SideAny, "cert_untrusted", "diag.cert_warning.untrusted", ""},
	{SymptomCertWarning, SideAny, "starttls_injection", "diag.cert_warning.tampering", ""},
	{SymptomCertWarning, SideAny, "dns", "diag.any.dns", ""},
	{SymptomCertWarning, SideAny, ProblemOK, "diag.cert_warning.ok", ""},
	// Authentication: any side.
	{SymptomAuthFailed, SideAny, "auth_failed", "diag.auth_failed.rejected", ""},
	{SymptomAuthFailed, SideAny, "plaintext_auth", "diag.auth_failed.plaintext", ""},
	{SymptomAuthFailed, SideAny, "auth_mechanism", "diag.auth_failed.mechanism", ""},
	{SymptomAuthFailed, SideAny, "cert_expired", "diag.auth_failed.cert", ""},
	{SymptomAuthFailed, SideAny, "cert_untrusted", "diag.auth_failed.cert", ""},
	{SymptomAuthFailed, SideAny, "cert_hostname_mismatch", "diag.auth_failed.cert", ""},
	{SymptomAuthFailed, SideAny, "dns", "diag.any.dns", ""},
	{SymptomAuthFailed, SideAny, ProblemOK, "diag.auth_failed.ok", ""},
	// Cannot connect: any side.
	{SymptomCannotConnect, SideAny, "dns", "diag.any.dns", ""},
	{SymptomCannotConnect, SideAny, "refused", "diag.cannot_connect.port_closed", "diag.cannot_connect.nothing_works"},
	{SymptomCannotConnect, SideAny, "timeout", "diag.cannot_connect.port_blocked", "diag.cannot_connect.nothing_works"},
	{SymptomCannotConnect, SideAny, "unreachable", "diag.cannot_connect.port_blocked", "diag.cannot_connect.nothing_works"},
	{SymptomCannotConnect, SideAny, "tls_handshake", "diag.cannot_connect.port_closed", "diag.cannot_connect.nothing_works"},
	{SymptomCannotConnect, SideAny, "cert_expired", "diag.cert_warning.expired", ""},
	{SymptomCannotConnect, SideAny, "cert_untrusted", "diag.cert_warning.untrusted", ""},
	{SymptomCannotConnect, SideAny, "cert_hostname_mismatch", "diag.cert_warning.hostname", ""},
	{SymptomCannotConnect, SideAny, ProblemOK, "diag.cannot_connect.ok", ""},
	// Cannot receive: the incoming side.
	{SymptomCannotReceive, SideIncoming, "dns", "diag.any.dns", ""},
	{SymptomCannotReceive, SideIncoming, "refused", "diag.cannot_receive.port_closed", "diag.cannot_receive.nothing_works"},
	{SymptomCannotReceive, SideIncoming, "timeout", "diag.cannot_receive.port_blocked", "diag.cannot_receive.nothing_works"},
	{SymptomCannotReceive, SideIncoming, "unreachable", "diag.cannot_receive.port_blocked", "diag.cannot_receive.nothing_works"},
	{SymptomCannotReceive, SideIncoming, ProblemOK, "diag.cannot_receive.ok", ""},
	// Not syncing: the incoming side and push.
	{SymptomNotSyncing, SideIncoming, "dns", "diag.any.dns", ""},
	{SymptomNotSyncing, SideIncoming, "refused", "diag.cannot_receive.port_closed", "diag.cannot_receive.nothing_works"},
	{SymptomNotSyncing, SideIncoming, "timeout", "diag.cannot_receive.port_blocked", "diag.cannot_receive.nothing_works"},
	{SymptomNotSyncing, SideIncoming, ProblemNoPush, "diag.not_syncing.no_push", ""},
	{SymptomNotSyncing, SideIncoming, ProblemOK, "diag.not_syncing.ok", ""},
}

// Diagnoses returns the table's rows of a symptom, in order.
func Diagnoses(s Symptom) []Diagnosis {
	var out []Diagnosis
	for _, d := range diagnoses {
		if d.Symptom == s {
			out = append(out, d)
		}
	}
	return out
}

// DiagnosisFor returns the row of a symptom and a problem, if any.
func DiagnosisFor(s Symptom, problem string) (Diagnosis, bool) {
	for _, d := range diagnoses {
		if d.Symptom == s && d.Problem == problem {
			return d, true
		}
	}
	return Diagnosis{}, false
}

// SymptomMessageIDs lists every message ID the symptoms' tables use, for
// the key-parity tests.
func SymptomMessageIDs() []string {
	var ids []string
	for _, s := range Symptoms {
		ids = append(ids, "symptom."+string(s))
	}
	for _, a := range advice {
		ids = append(ids, a.Title, a.Intro)
		ids = append(ids, a.Causes...)
	}
	for _, t := range Topics {
		ids = append(ids, TopicMessage(t))
	}
	for _, d := range diagnoses {
		ids = append(ids, d.Text)
		if d.NoAlternative != "" {
			ids = append(ids, d.NoAlternative)
		}
	}
	return ids
}
