package knowledge

// samsungGuide follows Samsung Email, the Email app of Galaxy phones: add an
// account from the app (its first screen, or its settings), choose the
// entry for other providers, type the address and password, switch to
// manual setup as an IMAP account, then fill in the incoming and outgoing
// servers. Recent versions show both servers on one screen, earlier ones
// on two; the fields are the same.
//
// Sources of the labels: none could be checked. No Samsung help page on
// adding an email account to Samsung Email was found in the stored corpora
// in any language (searched: samsung.com support pages for the UK, France,
// Germany and Spain, Galaxy user manuals, by the path Email > Add account >
// Other > Manual setup > IMAP account and by the labels' wording in en, fr,
// de and es). The menu structure below (five security types: none, SSL and
// TLS each with and without accepting all certificates) is corroborated by
// the Android Open Source Project's Email app, from which Samsung's app
// descends, not by a Samsung page.
//
// Unconfirmed in every language, so the messages describe every item
// instead of quoting it: the app's name on the home screen, the add
// account entry, the entry for other providers, the manual setup button,
// the IMAP account choice, the field labels (email address, username,
// password, IMAP server, SMTP server, security type, port), the security
// menu's entries (None, SSL, SSL (accept all certificates), TLS, TLS
// (accept all certificates)), the outgoing authentication switch and the
// sign-in button.
var samsungGuide = Guide{
	SecurityMessages: map[Security]string{
		ImplicitTLS: "samsung.security.ssl",
		StartTLS:    "samsung.security.tls",
		OptionalTLS: "samsung.security.optional",
	},
	Steps: []Step{
		{Text: "samsung.step.open"},
		{Text: "samsung.step.other"},
		{Text: "samsung.step.address", Fields: []Field{
			{Label: "samsung.label.address", Value: ValueAddress},
			{Label: "samsung.label.password", Ask: "samsung.ask.password"},
		}},
		{Text: "samsung.step.manual"},
		{Text: "samsung.step.account_type"},
		{Text: "samsung.step.incoming", Fields: []Field{
			{Label: "samsung.label.username", Value: ValueUsername, Hint: "samsung.hint.username"},
			{Label: "samsung.label.password", Ask: "samsung.ask.password"},
			{Label: "samsung.label.imap_server", Value: ValueIncomingHost, Hint: "samsung.hint.server"},
			{Label: "samsung.label.security", Value: ValueIncomingSecurity, Hint: "samsung.hint.security"},
			{Label: "samsung.label.port", Value: ValueIncomingPort, Hint: "samsung.hint.port"},
		}},
		{Text: "samsung.step.outgoing", Fields: []Field{
			{Label: "samsung.label.smtp_server", Value: ValueOutgoingHost, Hint: "samsung.hint.same_server"},
			{Label: "samsung.label.security", Value: ValueOutgoingSecurity},
			{Label: "samsung.label.port", Value: ValueOutgoingPort},
			{Label: "samsung.label.auth", Fixed: "samsung.value.on", Hint: "samsung.hint.auth"},
			{Label: "samsung.label.username", Value: ValueUsername},
			{Label: "samsung.label.password", Ask: "samsung.ask.password"},
		}},
		{Text: "samsung.step.sign_in"},
		{Text: "samsung.step.certificate"},
		{Text: "samsung.step.verify"},
	},
	Notes: []string{"samsung.note.versions", "samsung.note.labels"},
}

func init() { setGuide(SamsungEmail, &samsungGuide) }
