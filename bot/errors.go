package bot

import (
	"fmt"
	"time"
)

// ErrorKind classifies what went wrong, for the user and for metrics.
type ErrorKind string

// The kinds of error a handler may return.
const (
	KindInvalidInput ErrorKind = "invalid_input"
	KindUnauthorized ErrorKind = "unauthorized"
	KindNotFound     ErrorKind = "not_found"
	KindUnavailable  ErrorKind = "unavailable"
	KindInternal     ErrorKind = "internal"
)

// Stable codes of refusals and errors, put in Reply.Code: JSON clients
// and metrics rely on them.
const (
	CodeTooLong        = "too_long"
	CodeInternal       = "internal"
	CodeRateLimited    = "rate_limited"
	CodeNotAllowed     = "not_allowed"
	CodeBlockedAddress = "blocked_address"
	CodeBadHost        = "bad_host"
	CodePort           = "port"
	CodeUnknownDomain  = "unknown_domain"
	CodeCheckFailed    = "check_failed"
	CodeNoTarget       = "no_target"
	CodeBadTarget      = "bad_target"
	CodeBadClient      = "bad_client"
	CodeBadSymptom     = "bad_symptom"
	CodeAnnounceOff    = "announce_off"
	CodeNotAdmin       = "not_admin"
	CodeNoDomain       = "no_domain"
	CodeNoChannel      = "no_channel"
	CodeDiscoveryOff   = "discovery_off"
)

// Error is an error with a message meant for the user. The Router shows
// the localized MsgID; Err, if any, is only logged.
type Error struct {
	Kind ErrorKind
	// Code is the stable code put in Reply.Code ("too_long").
	Code string
	// MsgID is the message shown to the user, filled with Data.
	MsgID string
	Data  map[string]any
	// Count, when non-nil, selects the plural form of MsgID.
	Count *int
	// RetryAfter, for CodeRateLimited, is how long to wait.
	RetryAfter time.Duration
	// Err is the underlying cause, for logs.
	Err error
}

// Error describes the error for logs; it does not include user text.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s (%s): %v", e.Code, e.Kind, e.Err)
	}
	return fmt.Sprintf("%s (%s)", e.Code, e.Kind)
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }
