package discovery

import "time"

// Code is a stable problem code of a discovery check; JSON answers and
// tests rely on these names.
type Code string

// The problems a discovery check reports.
const (
	// CodeMissing: the source is not published (no SRV record, HTTP 404,
	// an Autodiscover "not found" error, no such name).
	CodeMissing Code = "missing"
	// CodeInvalid: the source answers, but not with a usable document
	// or record (bad XML, a DTD, no server, a bad port, a redirect to
	// another domain, HTML instead of XML).
	CodeInvalid Code = "invalid"
	// CodeMismatchHost, CodeMismatchPort, CodeMismatchSecurity and
	// CodeMismatchUsername: a published server differs from the
	// configured settings or from what the live check found.
	CodeMismatchHost     Code = "mismatch_host"
	CodeMismatchPort     Code = "mismatch_port"
	CodeMismatchSecurity Code = "mismatch_security"
	CodeMismatchUsername Code = "mismatch_username"
	// CodeInsecureTransport: the settings travel or are used without
	// TLS: only the legacy http:// autoconfig URL answers, or a server is
	// published without TLS.
	CodeInsecureTransport Code = "insecure_transport"
	// CodeFetchFailed: the source could not be reached (DNS failure,
	// connection refused, timeout, TLS certificate error, refused by the
	// dial policy, over the size limit).
	CodeFetchFailed Code = "fetch_failed"
)

// Codes lists every problem code, for tests and documentation.
var Codes = []Code{CodeMissing, CodeInvalid, CodeMismatchHost, CodeMismatchPort, CodeMismatchSecurity,
	CodeMismatchUsername, CodeInsecureTransport, CodeFetchFailed}

// Kind is a kind of source clients configure themselves from.
type Kind string

// The kinds of source a discovery check fetches.
const (
	KindSRV          Kind = "srv"
	KindAutoconfig   Kind = "autoconfig"
	KindAutodiscover Kind = "autodiscover"
)

// What a published value is compared with.
const (
	AgainstConfigured = "configured"
	AgainstLive       = "live"
)

// Problem is one thing wrong with a source.
type Problem struct {
	Code Code `json:"code"`
	// Field is what the problem is about: "imap" or "smtp" (a server),
	// or "document" (the whole source).
	Field string `json:"field,omitempty"`
	// Want is the expected value and Got the published one.
	Want string `json:"want,omitempty"`
	Got  string `json:"got,omitempty"`
	// Against is AgainstConfigured or AgainstLive, for mismatches.
	Against string `json:"against,omitempty"`
	// Detail is a short technical explanation in English (an HTTP
	// status, a parse error), never a secret.
	Detail string `json:"detail,omitempty"`
}

// Status sums up one source.
type Status string

// The statuses of a source.
const (
	// StatusOK: published, valid, and the same as the settings.
	StatusOK Status = "ok"
	// StatusMissing: not published.
	StatusMissing Status = "missing"
	// StatusProblems: published, with problems.
	StatusProblems Status = "problems"
	// StatusFailed: could not be fetched.
	StatusFailed Status = "failed"
	// StatusSkipped: not fetched, because clients stop at an earlier
	// source of the same kind that answered, or the budget ran out.
	StatusSkipped Status = "skipped"
)

// Source is the result for one place clients look.
type Source struct {
	Kind Kind `json:"kind"`
	// Where is the URL fetched, or the DNS name looked up.
	Where  string `json:"where"`
	Status Status `json:"status"`
	// Found is what the source publishes, when it could be read.
	Found    *Settings `json:"found,omitempty"`
	Problems []Problem `json:"problems,omitempty"`
}

// Verdict sums up a whole discovery check.
type Verdict string

// The verdicts of a discovery check.
const (
	// VerdictOK: every kind is published and right.
	VerdictOK Verdict = "ok"
	// VerdictWarning: nothing published is wrong, but some kind is not
	// published, or only insecurely: those clients need manual set-up.
	VerdictWarning Verdict = "warning"
	// VerdictFail: a source clients use publishes wrong settings, or
	// cannot be read: those clients configure themselves wrongly or fail.
	VerdictFail Verdict = "fail"
)

// Report is the result of a discovery check of one domain.
type Report struct {
	Domain     string    `json:"domain"`
	Started    time.Time `json:"started"`
	DurationMS int64     `json:"duration_ms"`
	Verdict    Verdict   `json:"verdict"`
	// Expected is what the domain should publish (For).
	Expected Settings `json:"expected"`
	// Live is the live check's verdict of the configured server, when it
	// ran; published servers are also compared with what it found.
	Live string `json:"live,omitempty"`
	// LiveError says why the live check gave nothing to compare with (it
	// failed, was refused, or ran out of budget), when it was asked for.
	LiveError string   `json:"live_error,omitempty"`
	Sources   []Source `json:"sources"`
}
