package knowledge

// outlookClassicGuide follows classic Outlook for Windows (Microsoft 365,
// Outlook 2016 to 2024): the account is added from the File menu with the
// manual setup, as an IMAP account. Outlook 2010 and 2013 use an older
// window, described in a note.
//
// Sources of the device's labels (looked up with the search tool, stored
// copies only; no live page was read):
//   - en: a Microsoft Community thread, on Microsoft's site but written by
//     a community member rather than Microsoft Support, which quotes
//     "Let me set up my account manually" and "Connect":
//     https://answers.microsoft.com/en-us/outlook_com/forum/all/basics-adding-email-accounts-to-outlook-desktop/f78f75ac-3079-46b4-a13d-1675c3961af9
//   - fr, de, es: no Microsoft page in these languages was found in the
//     stored corpora (searched "Utiliser la configuration avancée pour
//     ajouter un compte de messagerie POP ou IMAP dans Outlook pour PC",
//     "Ich möchte mein Konto manuell einrichten", "Permitirme configurar
//     manualmente mi cuenta", and the Support page's own sentences). A
//     reviewer with web access should check Microsoft Support's "Use
//     advanced setup to add a POP or IMAP email account in Outlook for
//     PC" page in en-us, fr-fr, de-de and es-es.
//
// Confirmed: in English only, "Let me set up my account manually" and
// "Connect" (source above); in every language, "IMAP", "SMTP", "SSL/TLS"
// and "STARTTLS", protocol names the encryption menu shows untranslated.
// Unconfirmed, so the messages describe them without quoting: File, Add
// Account, Advanced options (the source writes "Advanced Options"), the
// IMAP account settings fields (Server, Port, Encryption method), Require
// logon using Secure Password Authentication (SPA), Next, Done, Account
// Settings, Change, More Settings, the outgoing server tab and its
// authentication boxes, and every label in French, German and Spanish.
var outlookClassicGuide = Guide{
	SecurityLabels: map[Security]string{
		ImplicitTLS: "SSL/TLS",
		StartTLS:    "STARTTLS",
		// Port 25 without a security of its own: the server offers
		// STARTTLS, so the device asks for it.
		OptionalTLS: "STARTTLS",
	},
	Steps: []Step{
		{Text: "outlookclassic.step.open"},
		{Text: "outlookclassic.step.enter_address", Fields: []Field{
			{Label: "outlookclassic.label.email_address", Value: ValueAddress},
		}},
		{Text: "outlookclassic.step.manual"},
		{Text: "outlookclassic.step.choose_imap"},
		{Text: "outlookclassic.step.incoming", Fields: []Field{
			{Label: "outlookclassic.label.server", Value: ValueIncomingHost, Hint: "outlookclassic.hint.server"},
			{Label: "outlookclassic.label.port", Value: ValueIncomingPort},
			{Label: "outlookclassic.label.encryption", Value: ValueIncomingSecurity, Hint: "outlookclassic.hint.encryption"},
			{Label: "outlookclassic.label.spa", Fixed: "outlookclassic.value.unticked", Hint: "outlookclassic.hint.spa"},
		}},
		{Text: "outlookclassic.step.outgoing", Fields: []Field{
			{Label: "outlookclassic.label.server", Value: ValueOutgoingHost},
			{Label: "outlookclassic.label.port", Value: ValueOutgoingPort},
			{Label: "outlookclassic.label.encryption", Value: ValueOutgoingSecurity},
			{Label: "outlookclassic.label.spa", Fixed: "outlookclassic.value.unticked"},
		}},
		{Text: "outlookclassic.step.password", Fields: []Field{
			{Label: "outlookclassic.label.username", Value: ValueUsername, Hint: "outlookclassic.hint.username"},
			{Label: "outlookclassic.label.password", Ask: "outlookclassic.ask.password"},
		}},
		{Text: "outlookclassic.step.certificate"},
		{Text: "outlookclassic.step.done"},
		{Text: "outlookclassic.step.smtp_auth", Fields: []Field{
			{Label: "outlookclassic.label.smtp_auth", Fixed: "outlookclassic.value.ticked", Hint: "outlookclassic.hint.smtp_auth"},
			{Label: "outlookclassic.label.smtp_same", Fixed: "outlookclassic.value.chosen"},
		}},
	},
	Notes: []string{"outlookclassic.note.versions", "outlookclassic.note.new_outlook"},
}

func init() { setGuide(OutlookClassic, &outlookClassicGuide) }
