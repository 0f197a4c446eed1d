package knowledge

// outlookNewGuide follows the new Outlook for Windows (the app that also
// replaces the Mail and Calendar apps of Windows): the account is added
// from the app's settings as an IMAP account, whose server fields appear
// once the more detailed settings are shown.
//
// Sources of the device's labels (looked up with the search tool, stored
// copies only; no live page was read):
//   - en, fr, de, es: no Microsoft Support page for the new Outlook was
//     found in the stored corpora (searched "Add an email account to
//     Outlook for Windows", "Ajouter un compte de messagerie … nouvel
//     Outlook", "E-Mail-Konto … neues Outlook", "Agregar una cuenta …
//     nuevo Outlook", and the pages' own sentences). A reviewer with web
//     access should check Microsoft Support's "Add an email account to
//     Outlook" page in en-us, fr-fr, de-de and es-es.
//
// Confirmed: "IMAP", "SMTP", "SSL/TLS" and "STARTTLS", protocol names that
// the app shows untranslated in every language.
// Unconfirmed, so the messages describe them without quoting: Settings,
// Accounts, Email accounts, Add account, View, View settings, Continue,
// the provider list, Sync, Show more, Display name, the server, port,
// secure-connection and SMTP username/password fields, and the labels of
// the security menu other than the protocol names.
var outlookNewGuide = Guide{
	SecurityLabels: map[Security]string{
		ImplicitTLS: "SSL/TLS",
		StartTLS:    "STARTTLS",
		// Port 25 without a security of its own: the server offers
		// STARTTLS, so the device asks for it.
		OptionalTLS: "STARTTLS",
	},
	Steps: []Step{
		{Text: "outlooknew.step.open_settings"},
		{Text: "outlooknew.step.enter_address", Fields: []Field{
			{Label: "outlooknew.label.email_address", Value: ValueAddress},
		}},
		{Text: "outlooknew.step.choose_imap"},
		{Text: "outlooknew.step.identity", Fields: []Field{
			{Label: "outlooknew.label.display_name", Ask: "outlooknew.ask.your_name", Hint: "outlooknew.hint.display_name"},
			{Label: "outlooknew.label.password", Ask: "outlooknew.ask.password"},
		}},
		{Text: "outlooknew.step.show_more"},
		{Text: "outlooknew.step.incoming", Fields: []Field{
			{Label: "outlooknew.label.incoming_server", Value: ValueIncomingHost, Hint: "outlooknew.hint.server"},
			{Label: "outlooknew.label.port", Value: ValueIncomingPort},
			{Label: "outlooknew.label.security", Value: ValueIncomingSecurity, Hint: "outlooknew.hint.security"},
			{Label: "outlooknew.label.username", Value: ValueUsername, Hint: "outlooknew.hint.username"},
			{Label: "outlooknew.label.password", Ask: "outlooknew.ask.password"},
		}},
		{Text: "outlooknew.step.outgoing", Fields: []Field{
			{Label: "outlooknew.label.outgoing_server", Value: ValueOutgoingHost},
			{Label: "outlooknew.label.port", Value: ValueOutgoingPort},
			{Label: "outlooknew.label.security", Value: ValueOutgoingSecurity},
			{Label: "outlooknew.label.smtp_username", Value: ValueUsername, Hint: "outlooknew.hint.smtp_auth"},
			{Label: "outlooknew.label.smtp_password", Ask: "outlooknew.ask.password"},
		}},
		{Text: "outlooknew.step.connect"},
		{Text: "outlooknew.step.certificate"},
		{Text: "outlooknew.step.verify"},
	},
	Notes: []string{"outlooknew.note.versions", "outlooknew.note.cloud"},
}

func init() { setGuide(OutlookNew, &outlookNewGuide) }
