package bot

import "log/slog"

// Request is one message a person sent, as an adapter hands it to the
// Router. Adapters fill the input fields, with their platform's markup
// removed from Text; Router.Plan fills Parsed, Lang and Loc.
type Request struct {
	// Text is the message as received, untrusted.
	Text string
	// Size is the size in bytes of the original message when the adapter
	// had to cut it to build Text (a huge line on stdin); 0 means len(Text).
	Size int
	// Platform names the adapter ("cli", "web", "slack", "discord").
	Platform string
	// UserID identifies the sender on the platform, for rate limits and
	// audit; never shown to other users.
	UserID string
	// ForceLang, when set, is the answer language whatever the text says
	// (the CLI's --lang, a "Show in French" button).
	ForceLang string
	// LocaleHint is the sender's platform locale ("fr-FR"), used when the
	// text's own language is unclear.
	LocaleHint string
	// Form, when set, is what the request asks as fields (a permalink, a
	// slash command's options, flags): Text is then not parsed.
	Form *Form
	// Conversation names where the message was said (a Slack thread, a
	// Discord channel, a web chat session), so that a follow-up from the
	// same user there is understood with the previous answer; "" for none.
	Conversation string
	// Channel is a channel the message links to, by id, with its
	// platform's markup removed by the adapter (announcements).
	Channel string
	// Roles are the sender's platform roles or groups, by id (Slack user
	// groups, Discord roles, "manage_server" when Discord grants Manage
	// Server), for authorization.
	Roles []string
	// Account, with a check Form, asks for the account test of the
	// Form's address (log in, mailbox, push, and optionally a message to
	// oneself). Only the command line and the HTTPS API set it: chat
	// never asks for nor accepts a password.
	Account *AccountTest
	// Resumed is set by an adapter taking over a live check whose
	// replica died (Journal): the person's latest check is refunded,
	// so they are not charged twice (the target's count stays). Never
	// set from input.
	Resumed bool

	// Parsed is what the request asks, from Text or Form. Set by the
	// Router.
	Parsed Parsed
	// Lang is the language of the answer. Set by the Router.
	Lang string
	// Loc translates messages into Lang. Set by the Router.
	Loc Localizer
}

// AccountTest is what an account test needs beyond the address: the
// login and its password. The password is never logged, stored, audited
// nor echoed; String and GoString hide it from any %v.
type AccountTest struct {
	// Username is the login; empty means the address.
	Username string
	Password string `json:"-"`
	// Send also sends a test message to the address and waits for it.
	Send bool
}

// String hides the password.
func (a AccountTest) String() string { return "AccountTest{password hidden}" }

// GoString hides the password.
func (a AccountTest) GoString() string { return a.String() }

// LogValue hides the password from log/slog.
func (a AccountTest) LogValue() slog.Value { return slog.StringValue(a.String()) }
