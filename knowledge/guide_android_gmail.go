package knowledge

// This file is not named guide_android.go: Go reads a _android suffix as a
// build constraint (GOOS=android) and would leave the guide out of every
// other build.

// gmailGuide follows the Gmail app on Android adding a non-Google account:
// the app's account menu, the choice for other providers, manual setup as
// a personal IMAP account, then the incoming and outgoing server screens.
// Android's own settings (accounts, add account, personal IMAP) lead to the
// same screens; a note says so.
//
// Sources of the labels (the Gmail Help page for adding accounts to the
// app, support.google.com/mail/answer/6078445, is not in the stored
// corpora, in any language, so none of its labels could be checked):
//   - en: Google Android Help, "Add or remove an account on Android"
//     (support.google.com/android/answer/7664951), read through a
//     verbatim copy at
//     https://anantitsolutions.blogspot.com/2017/08/add-or-remove-account-on-your-android.html
//     confirms "Personal (IMAP)".
//   - fr: the same Android Help page in French, read through its mirror
//     https://google-support.mirrorblogs.com/android/answer/7664951?hl=fr&ref_topic=7340599
//     confirms « Personnel (IMAP) », « Paramètres », « Mots de passe et
//     comptes », « Utilisateurs et comptes », « Ajouter un compte ».
//   - de: Gmail Help, "Gmail-Funktionen in anderen E-Mail-Konten verwenden",
//     https://support.google.com/mail/answer/6304825?hl=de&co=GENIE.Platform%3DAndroid
//     confirms the app's menu („Menüsymbol“) and „Einstellungen“.
//   - es: no Spanish (Spain) Google page was found; the Latin American
//     Android Help page https://support.google.com/nexus/answer/2840815?hl=es-419
//     names Android's own settings («Contraseñas y cuentas», «Agregar
//     cuenta») in Latin American wording, so nothing is quoted in Spanish.
//
// Unconfirmed in every language, so the messages describe them instead of
// quoting them: the profile picture menu's entry for adding another
// account, the account-type list's entry for other providers, the manual
// setup button, the screen titles for the incoming and outgoing servers,
// the field labels (username, password, server, port, security type), the
// security menu's entries, the sign-in requirement for outgoing mail, the
// sync options, the name screens and the Next buttons. In German and
// Spanish the personal IMAP account type is unconfirmed too.
var gmailGuide = Guide{
	SecurityMessages: map[Security]string{
		ImplicitTLS: "gmail.security.ssl_tls",
		StartTLS:    "gmail.security.starttls",
		OptionalTLS: "gmail.security.optional",
	},
	Steps: []Step{
		{Text: "gmail.step.open"},
		{Text: "gmail.step.other"},
		{Text: "gmail.step.address", Fields: []Field{
			{Label: "gmail.label.address", Value: ValueAddress},
		}},
		{Text: "gmail.step.account_type"},
		{Text: "gmail.step.password", Fields: []Field{
			{Label: "gmail.label.password", Ask: "gmail.ask.password"},
		}},
		{Text: "gmail.step.incoming", Fields: []Field{
			{Label: "gmail.label.username", Value: ValueUsername, Hint: "gmail.hint.username"},
			{Label: "gmail.label.password", Ask: "gmail.ask.password"},
			{Label: "gmail.label.server", Value: ValueIncomingHost, Hint: "gmail.hint.server"},
			{Label: "gmail.label.port", Value: ValueIncomingPort},
			{Label: "gmail.label.security", Value: ValueIncomingSecurity, Hint: "gmail.hint.security"},
		}},
		{Text: "gmail.step.outgoing", Fields: []Field{
			{Label: "gmail.label.smtp_server", Value: ValueOutgoingHost, Hint: "gmail.hint.same_server"},
			{Label: "gmail.label.port", Value: ValueOutgoingPort},
			{Label: "gmail.label.security", Value: ValueOutgoingSecurity},
			{Label: "gmail.label.sign_in", Fixed: "gmail.value.on", Hint: "gmail.hint.sign_in"},
			{Label: "gmail.label.username", Value: ValueUsername},
			{Label: "gmail.label.password", Ask: "gmail.ask.password"},
		}},
		{Text: "gmail.step.certificate"},
		{Text: "gmail.step.options", Fields: []Field{
			{Label: "gmail.label.sync_frequency", Hint: "gmail.hint.sync_frequency"},
		}},
		{Text: "gmail.step.names", Fields: []Field{
			{Label: "gmail.label.account_name", Hint: "gmail.hint.account_name"},
			{Label: "gmail.label.your_name", Ask: "gmail.ask.your_name"},
		}},
		{Text: "gmail.step.verify"},
	},
	Notes: []string{"gmail.note.versions", "gmail.note.system_settings", "gmail.note.labels"},
}

func init() { setGuide(Android, &gmailGuide) }
