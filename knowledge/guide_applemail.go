package knowledge

// appleMailGuide follows Apple Mail on macOS Ventura and later: the
// account is added from System Settings > Internet Accounts (or from
// Mail's own menu) as an IMAP mail account, the servers are typed in when
// Mail cannot find them, and the ports and security are then set in
// Mail's Server Settings with automatic connection management turned off.
// macOS Monterey and earlier take the same steps from System Preferences
// and Mail's Preferences (version note).
//
// Label sources (Apple's own help pages, as stored for this project;
// quoted in the messages only where a page confirms them):
//
//	en: https://support.apple.com/en-euro/guide/mail/cpmlprefacctadv/15.0/mac/12.0
//	    (Change Server Settings in Mail on Mac: “Mail” > “Preferences”,
//	    “Accounts”, “Server Settings”, “Username”, “Password”, “Host Name”,
//	    “Automatically manage connection settings”, “Save”);
//	    https://support.apple.com/en-az/guide/mail/change-outgoing-server-settings-cpmlprefsmtpserver/15.0/mac/12.0
//	    (the same for the SMTP server);
//	    https://support.apple.com/en-us/HT204208 (“Port”, “Use SSL”,
//	    “Authentication” as Mail's setting names, older Mail);
//	    https://support.apple.com/en-afri/HT204208 (authentication methods
//	    Password, MD5, NTLM, Kerberos, None; the “Server Settings” tab).
//	fr: https://support.apple.com/fr-ca/HT201951 and
//	    https://support.apple.com/fr-ci/HT201951 (archived Exchange
//	    article: « Mail » menu, « Préférences », « Comptes »).
//	de: https://support.apple.com/de-de/HT203995 (the settings Mail asks
//	    for when it cannot set an account up itself: „Account-Typ“,
//	    „Benutzername“, „Passwort“, „Port“, „Authentifizierung“);
//	    https://support.apple.com/de-li/HT204208 („Mail“ > „Einstellungen“,
//	    „Accounts“, „Servereinstellungen“, „Verbindungseinstellungen
//	    automatisch verwalten“, method Passwort);
//	    https://support.apple.com/de-ch/guide/mail/server-settings-preferences-cpmlprefacctadv/11.0/mac/10.13
//	    („Hostname“, „Benutzername“, „Passwort“).
//	es: no Apple page was found; the Spanish steps describe every item.
//
// Unconfirmed in every language, so described rather than quoted: System
// Settings / System Preferences, Internet Accounts, Add Account, Add
// Other Account, Mail account, Mail > Add Account, Other Mail Account,
// Name, Email Address, Sign In, Incoming/Outgoing Mail Server in the
// add-account dialog, Mail > Settings (Ventura and later, in English,
// French and Spanish), Use TLS/SSL (the current checkbox), Done, the
// certificate alert and its buttons; in English also User Name, Password
// and Account Type in the add-account dialog; in French and Spanish also
// every Server Settings label.
//
// Security: Mail has one checkbox for both modes; with port 993 or 465 it
// means TLS from the first byte, with 587 (or 143) Mail secures the
// connection with STARTTLS. SecurityMessages says what to set it to.
var appleMailGuide = Guide{
	SecurityMessages: map[Security]string{
		ImplicitTLS: "applemail.security.ssl_tls",
		StartTLS:    "applemail.security.starttls",
		OptionalTLS: "applemail.security.optional",
	},
	Steps: []Step{
		{Text: "applemail.step.start"},
		{Text: "applemail.step.identity", Fields: []Field{
			{Label: "applemail.label.name", Ask: "applemail.ask.your_name", Hint: "applemail.hint.name"},
			{Label: "applemail.label.email", Value: ValueAddress},
			{Label: "applemail.label.dialog_password", Ask: "applemail.ask.password"},
		}},
		{Text: "applemail.step.manual", Fields: []Field{
			{Label: "applemail.label.dialog_username", Value: ValueUsername, Hint: "applemail.hint.username"},
			{Label: "applemail.label.dialog_password", Ask: "applemail.ask.password"},
			{Label: "applemail.label.account_type", Fixed: "applemail.value.imap", Hint: "applemail.hint.imap"},
			{Label: "applemail.label.incoming_server", Value: ValueIncomingHost, Hint: "applemail.hint.host"},
			{Label: "applemail.label.outgoing_server", Value: ValueOutgoingHost, Hint: "applemail.hint.same_login"},
		}},
		{Text: "applemail.step.sign_in"},
		{Text: "applemail.step.certificate"},
		{Text: "applemail.step.open_server_settings"},
		{Text: "applemail.step.server_incoming", Fields: []Field{
			{Label: "applemail.label.auto_manage", Fixed: "applemail.value.unticked", Hint: "applemail.hint.auto_manage"},
			{Label: "applemail.label.username", Value: ValueUsername},
			{Label: "applemail.label.password", Ask: "applemail.ask.password"},
			{Label: "applemail.label.host_name", Value: ValueIncomingHost},
			{Label: "applemail.label.port", Value: ValueIncomingPort},
			{Label: "applemail.label.tls", Value: ValueIncomingSecurity, Hint: "applemail.hint.tls"},
			{Label: "applemail.label.authentication", Fixed: "applemail.value.password"},
		}},
		{Text: "applemail.step.server_outgoing", Fields: []Field{
			{Label: "applemail.label.auto_manage", Fixed: "applemail.value.unticked"},
			{Label: "applemail.label.username", Value: ValueUsername},
			{Label: "applemail.label.password", Ask: "applemail.ask.password"},
			{Label: "applemail.label.host_name", Value: ValueOutgoingHost},
			{Label: "applemail.label.port", Value: ValueOutgoingPort},
			{Label: "applemail.label.tls", Value: ValueOutgoingSecurity},
			{Label: "applemail.label.authentication", Fixed: "applemail.value.password", Hint: "applemail.hint.smtp_auth"},
		}},
		{Text: "applemail.step.save"},
	},
	Notes: []string{"applemail.note.versions", "applemail.note.labels"},
}

func init() { setGuide(AppleMail, &appleMailGuide) }
