package knowledge

// iOSMailGuide follows the Mail app of iOS and iPadOS 18, where mail
// accounts are added from the Settings app as an IMAP account ("Other"),
// then the security settings the first form does not show are checked in
// the account's advanced and outgoing server screens. iOS 12 to 17 take
// the same steps from another starting point (step 1 and the version
// note).
//
// Label sources (Apple's own help pages, as stored for this project):
//
//	en: no Apple page about adding a mail account on iPhone or iPad was
//	    found ("Add an email account to your iPhone or iPad", the iPhone
//	    User Guide and "Mail settings you might need from your email
//	    provider" were searched in every corpus); the English steps
//	    describe the items without quoting them.
//	fr: none found either; described.
//	de: https://support.apple.com/de-de/HT203995 (E-Mail-Einstellungen,
//	    die Sie möglicherweise von Ihrem Anbieter erfragen müssen: the
//	    setting names of Mail on Mac and iPhone, iPad, iPod touch), for
//	    „Beschreibung“, „Benutzername“, „Passwort“, „Authentifizierung“.
//	es: none found; described.
//
// Unconfirmed in every language, so described rather than quoted: the
// Settings path (Apps, Mail, Mail Accounts; Accounts; Passwords &
// Accounts), Add Account, Other, Add Mail Account, Name, Email, Next,
// Incoming/Outgoing Mail Server, Host Name, Save, Advanced, Use SSL,
// Server Port, SMTP, Primary Server, Done, the "Cannot Verify Server
// Identity" alert and its buttons. "IMAP" and "POP" are protocol names.
//
// Security: iOS has one switch (Use SSL) for both modes; on port 993 or
// 465 it means TLS from the first byte, on 587 (or 143) the iPhone
// secures the connection with STARTTLS. SecurityMessages says what to set
// the switch to for each mode.
var iOSMailGuide = Guide{
	SecurityMessages: map[Security]string{
		ImplicitTLS: "ios.security.ssl_tls",
		StartTLS:    "ios.security.starttls",
		OptionalTLS: "ios.security.optional",
	},
	Steps: []Step{
		{Text: "ios.step.open_settings"},
		{Text: "ios.step.add_account"},
		{Text: "ios.step.identity", Fields: []Field{
			{Label: "ios.label.name", Ask: "ios.ask.your_name", Hint: "ios.hint.name"},
			{Label: "ios.label.email", Value: ValueAddress},
			{Label: "ios.label.password", Ask: "ios.ask.password"},
			{Label: "ios.label.description", Hint: "ios.hint.description"},
		}},
		{Text: "ios.step.choose_imap", Fields: []Field{
			{Label: "ios.label.account_type", Fixed: "ios.value.imap", Hint: "ios.hint.imap"},
		}},
		{Text: "ios.step.incoming", Fields: []Field{
			{Label: "ios.label.host", Value: ValueIncomingHost, Hint: "ios.hint.host"},
			{Label: "ios.label.username", Value: ValueUsername, Hint: "ios.hint.username"},
			{Label: "ios.label.password", Ask: "ios.ask.password"},
		}},
		{Text: "ios.step.outgoing", Fields: []Field{
			{Label: "ios.label.host", Value: ValueOutgoingHost},
			{Label: "ios.label.username", Value: ValueUsername, Hint: "ios.hint.smtp_optional"},
			{Label: "ios.label.password", Ask: "ios.ask.password"},
		}},
		{Text: "ios.step.save"},
		{Text: "ios.step.certificate"},
		{Text: "ios.step.check_incoming", Fields: []Field{
			{Label: "ios.label.ssl", Value: ValueIncomingSecurity, Hint: "ios.hint.ssl"},
			{Label: "ios.label.authentication", Fixed: "ios.value.password"},
			{Label: "ios.label.port", Value: ValueIncomingPort},
		}},
		{Text: "ios.step.check_outgoing", Fields: []Field{
			{Label: "ios.label.host", Value: ValueOutgoingHost},
			{Label: "ios.label.username", Value: ValueUsername},
			{Label: "ios.label.password", Ask: "ios.ask.password"},
			{Label: "ios.label.ssl", Value: ValueOutgoingSecurity},
			{Label: "ios.label.authentication", Fixed: "ios.value.password", Hint: "ios.hint.smtp_auth"},
			{Label: "ios.label.port", Value: ValueOutgoingPort},
		}},
		{Text: "ios.step.test"},
	},
	Notes: []string{"ios.note.versions", "ios.note.labels"},
}

func init() { setGuide(IOSMail, &iOSMailGuide) }
