package probe

import (
	"fmt"
	"time"
)

// Status is the verdict of an endpoint or of a whole check.
type Status string

// Verdicts, from best to worst.
const (
	StatusOK   Status = "ok"
	StatusWarn Status = "warn"
	StatusFail Status = "fail"
)

// Severity grades a problem.
type Severity string

// Problem severities. Info is not a problem for the verdict: it explains
// an expected behaviour (port 25 without authentication).
const (
	SeverityInfo Severity = "info"
	SeverityWarn Severity = "warn"
	SeverityFail Severity = "fail"
)

// Problem codes. They are stable: the chat answers and any monitoring
// built on the JSON output rely on them.
const (
	CodeDNS               = "dns"
	CodeRefused           = "refused"
	CodeUnreachable       = "unreachable"
	CodeTimeout           = "timeout"
	CodeSlowGreeting      = "slow_greeting"
	CodeGreetingRejected  = "greeting_rejected"
	CodeTLSHandshake      = "tls_handshake"
	CodeTLSOld            = "tls_old_version"
	CodeCertExpired       = "cert_expired"
	CodeCertExpiringSoon  = "cert_expiring_soon"
	CodeCertNotYetValid   = "cert_not_yet_valid"
	CodeCertHostname      = "cert_hostname_mismatch"
	CodeCertUntrusted     = "cert_untrusted"
	CodeSTARTTLSMissing   = "starttls_missing"
	CodeSTARTTLSInjection = "starttls_injection"
	CodePlaintextAuth     = "plaintext_auth"
	CodeNoAuth            = "no_auth"
	CodeProtocol          = "protocol"
	CodeAuthFailed        = "auth_failed"
	CodeAuthMechanism     = "auth_mechanism"
	CodeAuthSkipped       = "auth_skipped"
)

// severities gives each code its weight; problemFor can soften one.
var severities = map[string]Severity{
	CodeDNS: SeverityFail, CodeRefused: SeverityFail, CodeUnreachable: SeverityFail,
	CodeTimeout: SeverityFail, CodeSlowGreeting: SeverityWarn, CodeGreetingRejected: SeverityFail,
	CodeTLSHandshake: SeverityFail, CodeTLSOld: SeverityWarn,
	CodeCertExpired: SeverityFail, CodeCertExpiringSoon: SeverityWarn, CodeCertNotYetValid: SeverityFail,
	CodeCertHostname: SeverityFail, CodeCertUntrusted: SeverityFail,
	CodeSTARTTLSMissing: SeverityFail, CodeSTARTTLSInjection: SeverityFail,
	CodePlaintextAuth: SeverityWarn, CodeNoAuth: SeverityFail, CodeProtocol: SeverityFail,
	CodeAuthFailed: SeverityFail, CodeAuthMechanism: SeverityFail, CodeAuthSkipped: SeverityWarn,
	CodeUsernameForm: SeverityFail, CodeAccountUnavailable: SeverityFail, CodeNoSentFolder: SeverityWarn,
	CodeQuotaNearlyFull: SeverityWarn, CodeIdleNotDelivered: SeverityWarn, CodeSubmissionRejected: SeverityFail,
	CodeNotDelivered: SeverityFail,
}

// Problem is one thing found wrong (or worth knowing) on an endpoint.
// Detail is English for logs and JSON; chat answers are localized from
// Code.
type Problem struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Detail   string   `json:"detail"`
}

func problem(code, format string, args ...any) Problem {
	return Problem{Code: code, Severity: severities[code], Detail: fmt.Sprintf(format, args...)}
}

// Timings are the durations of each step, in milliseconds; 0 when the
// step was not reached.
type Timings struct {
	DNS          int64 `json:"dns_ms"`
	Connect      int64 `json:"connect_ms"`
	TLS          int64 `json:"tls_ms,omitempty"`
	Greeting     int64 `json:"greeting_ms,omitempty"`
	Capabilities int64 `json:"capabilities_ms,omitempty"`
	STARTTLS     int64 `json:"starttls_ms,omitempty"`
	Auth         int64 `json:"auth_ms,omitempty"`
	Total        int64 `json:"total_ms"`
}

// EndpointReport is what the probe found on one endpoint.
type EndpointReport struct {
	Endpoint
	Status Status `json:"status"`
	// Address is the IP and port dialed.
	Address  string    `json:"address,omitempty"`
	Problems []Problem `json:"problems,omitempty"`
	// Banner is the server's greeting text (untrusted, truncated).
	Banner string   `json:"banner,omitempty"`
	TLS    *TLSInfo `json:"tls,omitempty"`
	// CapabilitiesBeforeTLS are those offered in plaintext, before
	// STARTTLS; Capabilities are those offered over TLS (or in plaintext
	// on port 25 without STARTTLS).
	CapabilitiesBeforeTLS []string `json:"capabilities_before_tls,omitempty"`
	Capabilities          []string `json:"capabilities,omitempty"`
	// AuthMechanisms offered over TLS (PLAIN, LOGIN…).
	AuthMechanisms []string `json:"auth_mechanisms,omitempty"`
	// Push: the IMAP server offers IDLE, so devices get new mail at once.
	Push bool `json:"push,omitempty"`
	// SizeLimit is SMTP's SIZE in bytes; 0 when not announced.
	SizeLimit int64 `json:"size_limit,omitempty"`
	// Auth is the result of the optional authenticated check.
	Auth    *AuthResult `json:"auth,omitempty"`
	Timings Timings     `json:"timings"`
}

// AuthResult is the outcome of a login attempt.
type AuthResult struct {
	Mechanism string `json:"mechanism"`
	OK        bool   `json:"ok"`
}

// Report is the result of a whole check.
type Report struct {
	Host      string           `json:"host"`
	Addresses []string         `json:"addresses,omitempty"`
	Endpoints []EndpointReport `json:"endpoints"`
	Verdict   Status           `json:"verdict"`
	// Recommended is what to set on a device, from what works.
	Recommended Recommendation `json:"recommended"`
	Started     time.Time      `json:"started"`
	DurationMS  int64          `json:"duration_ms"`
	// Account is the account test's result, when one was asked for
	// (Checker.CheckAccount).
	Account *AccountReport `json:"account,omitempty"`
}

// Recommendation is the device settings that work, best first.
type Recommendation struct {
	// Incoming and Outgoing are nil when no endpoint of that side works.
	Incoming *Endpoint `json:"incoming,omitempty"`
	Outgoing *Endpoint `json:"outgoing,omitempty"`
	// Push tells whether to turn on push on the device.
	Push bool `json:"push"`
}

func (r *EndpointReport) add(p Problem) { r.Problems = append(r.Problems, p) }

// Has reports whether the endpoint has a problem with code.
func (r *EndpointReport) Has(code string) bool {
	for _, p := range r.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
}
