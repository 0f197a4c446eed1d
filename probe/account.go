package probe

// The account test: after the endpoint checks pass, log in on the
// recommended IMAP endpoint, look at the mailbox, prove push and,
// optionally, send a message to the user and see it arrive. Its IMAP
// commands go through github.com/emersion/go-imap/v2's imapclient, on a
// connection the probe dialed through its policy and secured with its
// own certificate verification, bounded by the probe's byte and time
// budgets.

import "fmt"

// Problem codes of the account test. Like the others, they are stable.
// A refused login is CodeAuthFailed, with the server's response code in
// the detail.
const (
	// CodeUsernameForm: the login failed in the configured form (full
	// address or local part) and the other form is the one the server
	// knows.
	CodeUsernameForm = "username_form"
	// CodeAccountUnavailable: the account exists but cannot log in now:
	// disabled, locked, expired, or the server needs another protection
	// ([EXPIRED], [PRIVACYREQUIRED], [CONTACTADMIN],
	// [AUTHORIZATIONFAILED]); or, temporarily, the server is busy or the
	// account has too many sessions ([UNAVAILABLE], [LIMIT], [INUSE]: see
	// LoginResult.Temporary).
	CodeAccountUnavailable = "account_unavailable"
	// CodeNoSentFolder: no mailbox is marked \Sent (RFC 6154): the device
	// must be told which folder keeps sent mail, or sent mail is lost.
	CodeNoSentFolder = "no_sent_folder"
	// CodeQuotaNearlyFull: the mailbox uses QuotaWarnPercent or more of
	// its quota (RFC 9208): new mail will soon bounce.
	CodeQuotaNearlyFull = "quota_nearly_full"
	// CodeIdleNotDelivered: IDLE is not offered, or an IDLE session did
	// not see the test message arrive: the device will not get mail at
	// once.
	CodeIdleNotDelivered = "idle_not_delivered"
	// CodeSubmissionRejected: the submission server refused the test
	// message (sender, recipient or data), or the login that works for
	// IMAP.
	CodeSubmissionRejected = "submission_rejected"
	// CodeNotDelivered: the test message was accepted but did not reach
	// the mailbox in time; or (a warning) it arrived in another folder
	// than INBOX, such as Junk (RoundTripReport.Folder).
	CodeNotDelivered = "not_delivered"
)

// QuotaWarnPercent is the use of a quota at which the account test warns.
const QuotaWarnPercent = 90

// AccountOptions configures an account test.
type AccountOptions struct {
	// Send submits a short, clearly labelled test message from the user
	// to the user over the recommended submission endpoint, waits for it
	// through IDLE, and deletes it. Without it, push is proven with an
	// APPEND of a marked message to INBOX, then deleted.
	Send bool
	// OtherUsername is the login in the other form (local part when the
	// configured one is the full address, and the reverse): when the
	// configured one is refused and the server allows another attempt
	// (it keeps the connection open), the test says whether this one
	// would work. It never reconnects for it, and never tries a third.
	OtherUsername string
	// Address is the user's address, for the round trip (sender and
	// recipient of the test message) and the appended message's header;
	// default: the username when it is an address, else OtherUsername.
	// With Send, an Address that is not a plain ASCII address is an
	// error; without, it is ignored.
	Address string
}

// AccountReport is the result of an account test.
type AccountReport struct {
	// Username is the login tried (the configured form).
	Username string `json:"username"`
	// Login is the outcome of the login on the IMAP endpoint.
	Login *LoginResult `json:"login,omitempty"`
	// Mailbox is what the account's mailbox holds, once logged in.
	Mailbox *MailboxReport `json:"mailbox,omitempty"`
	// Push says whether new mail reaches an IDLE session, and how fast.
	Push *PushReport `json:"push,omitempty"`
	// RoundTrip is the test message's trip, with Send.
	RoundTrip *RoundTripReport `json:"round_trip,omitempty"`
	Problems  []Problem        `json:"problems,omitempty"`
	Verdict   Status           `json:"verdict"`
	// DurationMS is the account test's own time.
	DurationMS int64 `json:"duration_ms"`
}

// LoginResult is the outcome of the account test's login.
type LoginResult struct {
	Endpoint  Endpoint `json:"endpoint"`
	Mechanism string   `json:"mechanism,omitempty"`
	OK        bool     `json:"ok"`
	// ResponseCode is the server's code for a refusal
	// ("AUTHENTICATIONFAILED", "UNAVAILABLE"…), when it gave one.
	ResponseCode string `json:"response_code,omitempty"`
	// OtherFormWorks is set when the configured username was refused and
	// the other form was tried: whether it logged in.
	OtherFormWorks *bool `json:"other_form_works,omitempty"`
	// Temporary: the refusal is temporary ([UNAVAILABLE], [LIMIT],
	// [INUSE]: the server is busy, or the account has too many
	// connections); trying again later may work.
	Temporary bool `json:"temporary,omitempty"`
}

// MailboxReport is what the account's mailbox holds.
type MailboxReport struct {
	// SpecialUse maps each special-use attribute found ("\\Sent") to its
	// mailbox name.
	SpecialUse map[string]string `json:"special_use,omitempty"`
	// SentFolder is the folder the device should keep sent mail in; ""
	// when none is marked \Sent.
	SentFolder string `json:"sent_folder,omitempty"`
	// Messages is INBOX's message count.
	Messages uint32 `json:"messages"`
	// Quota is INBOX's storage quota, when the server has one.
	Quota *Quota `json:"quota,omitempty"`
}

// Quota is a storage quota's use, in KiB (RFC 9208 STORAGE).
type Quota struct {
	Root    string `json:"root"`
	UsedKB  int64  `json:"used_kb"`
	LimitKB int64  `json:"limit_kb"`
	Percent int    `json:"percent"`
}

// PushReport says whether new mail reaches an IDLE session.
type PushReport struct {
	// Offered is whether the server announces IDLE.
	Offered bool `json:"offered"`
	// Delivered is whether the IDLE session saw the test message.
	Delivered bool `json:"delivered"`
	// DelayMS is from the message's APPEND or submission to its EXISTS.
	DelayMS int64 `json:"delay_ms,omitempty"`
	// Method is "append" or "send".
	Method string `json:"method,omitempty"`
}

// RoundTripReport is the test message's trip, with Send.
type RoundTripReport struct {
	Endpoint Endpoint `json:"endpoint"`
	// Submitted: the submission server accepted the test message (the
	// end of DATA). When false, nothing was sent (or the server refused
	// to take it).
	Submitted bool `json:"submitted"`
	// Delivered: the test message reached the mailbox: INBOX, or the
	// folder named by Folder.
	Delivered bool `json:"delivered"`
	// Folder names where the test message arrived when not in INBOX
	// (the folder marked \Junk: a filter moved it); "" for INBOX.
	Folder string `json:"folder,omitempty"`
	// DelayMS is from the end of DATA to the message found in INBOX (or
	// in Folder, which is looked at less often: an upper bound).
	DelayMS int64 `json:"delay_ms,omitempty"`
	// CleanedUp: no test message of this run is left in the mailbox.
	// Every one found in INBOX and in the folders marked \Sent, \Junk
	// and \All was deleted (UID EXPUNGE), or none was ever stored: it is
	// also true when the submission was refused before the message was
	// taken (Submitted false: nothing was sent). It is false when a test
	// message may be left: one could not be deleted (or, without
	// UIDPLUS, is only flagged \Deleted), or the server accepted it but
	// it was not found (it may still arrive).
	CleanedUp bool `json:"cleaned_up"`
}

// String hides the password: Credentials printed with %v, %+v or %s
// show the username only.
func (c Credentials) String() string {
	if c.Password == "" {
		return fmt.Sprintf("Credentials{Username: %q, no password}", c.Username)
	}
	return fmt.Sprintf("Credentials{Username: %q, password hidden}", c.Username)
}

// GoString hides the password from %#v.
func (c Credentials) GoString() string { return c.String() }
