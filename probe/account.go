package probe

// The account test: after the endpoint checks pass, log in on the
// recommended IMAP endpoint, look at the mailbox, prove push and,
// optionally, send a message to the user and see it arrive. Its IMAP
// commands go through github.com/emersion/go-imap/v2's imapclient, on a
// connection the probe dialed through its policy and secured with its
// own certificate verification, bounded by the probe's byte and time
// budgets.

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
	// ([UNAVAILABLE], [EXPIRED], [PRIVACYREQUIRED], [CONTACTADMIN]).
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
	// message (sender, recipient or data).
	CodeSubmissionRejected = "submission_rejected"
	// CodeNotDelivered: the test message was accepted but did not reach
	// the mailbox in time.
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
	// configured one is refused and the server allows another attempt,
	// the test says whether this one would work.
	OtherUsername string
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
	Endpoint  Endpoint `json:"endpoint"`
	Submitted bool     `json:"submitted"`
	Delivered bool     `json:"delivered"`
	// DelayMS is from the end of DATA to the message in INBOX.
	DelayMS int64 `json:"delay_ms,omitempty"`
	// CleanedUp is whether every test message was deleted again.
	CleanedUp bool `json:"cleaned_up"`
}
