package knowledge

// outlookMobileGuide follows the Outlook app for iPhone, iPad and Android:
// the account is added from the app's settings, as an IMAP account whose
// server fields appear once the advanced settings are turned on. The two
// systems place the buttons differently; the fields are the same.
//
// Sources of the device's labels (looked up with the search tool, stored
// copies only; no live page was read):
//   - en, fr, de, es: no Microsoft Support page for the mobile app was
//     found in the stored corpora (searched "Set up email in Outlook for
//     Android app", "Set up email in Outlook for iOS mobile app",
//     "Configurer la messagerie dans l'application Outlook pour Android",
//     "E-Mail in der Outlook für Android-App einrichten", "Configurar el
//     correo electrónico en la aplicación Outlook para Android"). The
//     Microsoft Learn pages that were found (Outlook for iOS and Android
//     in Exchange Online, and its FAQ, in en and fr-fr) are for
//     administrators and name none of these screens:
//     https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/outlook-for-ios-and-android/outlook-for-ios-and-android-faq
//     A reviewer with web access should check Microsoft Support's "Set up
//     email in the Outlook for Android app" page (article id
//     886db551-8dfa-4fd5-b835-f8e532091872, as linked from a hosting
//     provider's guide) and its iOS counterpart, in en-us, fr-fr, de-de
//     and es-es.
//
// Confirmed: "IMAP", "SMTP", "SSL/TLS" and "STARTTLS", protocol names the
// app shows untranslated in every language.
// Unconfirmed, so the messages describe them without quoting: Settings,
// Add mail account, Add an email account, Add account, Continue, Setup
// account manually, Change account provider, Display name, Description,
// Advanced settings, IMAP host name, Port, Security type, IMAP/SMTP
// username and password, Sign in, and the check mark button.
var outlookMobileGuide = Guide{
	SecurityLabels: map[Security]string{
		ImplicitTLS: "SSL/TLS",
		StartTLS:    "STARTTLS",
		// Port 25 without a security of its own: the server offers
		// STARTTLS, so the device asks for it.
		OptionalTLS: "STARTTLS",
	},
	Steps: []Step{
		{Text: "outlookmobile.step.open"},
		{Text: "outlookmobile.step.enter_address", Fields: []Field{
			{Label: "outlookmobile.label.email_address", Value: ValueAddress},
		}},
		{Text: "outlookmobile.step.choose_imap"},
		{Text: "outlookmobile.step.identity", Fields: []Field{
			{Label: "outlookmobile.label.display_name", Ask: "outlookmobile.ask.your_name", Hint: "outlookmobile.hint.display_name"},
			{Label: "outlookmobile.label.description", Hint: "outlookmobile.hint.description"},
		}},
		{Text: "outlookmobile.step.advanced"},
		{Text: "outlookmobile.step.incoming", Fields: []Field{
			{Label: "outlookmobile.label.host", Value: ValueIncomingHost, Hint: "outlookmobile.hint.server"},
			{Label: "outlookmobile.label.port", Value: ValueIncomingPort},
			{Label: "outlookmobile.label.security", Value: ValueIncomingSecurity, Hint: "outlookmobile.hint.security"},
			{Label: "outlookmobile.label.username", Value: ValueUsername, Hint: "outlookmobile.hint.username"},
			{Label: "outlookmobile.label.password", Ask: "outlookmobile.ask.password"},
		}},
		{Text: "outlookmobile.step.outgoing", Fields: []Field{
			{Label: "outlookmobile.label.host", Value: ValueOutgoingHost},
			{Label: "outlookmobile.label.port", Value: ValueOutgoingPort},
			{Label: "outlookmobile.label.security", Value: ValueOutgoingSecurity},
			{Label: "outlookmobile.label.username", Value: ValueUsername, Hint: "outlookmobile.hint.smtp_auth"},
			{Label: "outlookmobile.label.password", Ask: "outlookmobile.ask.password"},
		}},
		{Text: "outlookmobile.step.save"},
		{Text: "outlookmobile.step.certificate"},
		{Text: "outlookmobile.step.verify"},
	},
	Notes: []string{"outlookmobile.note.versions", "outlookmobile.note.cloud"},
}

func init() { setGuide(OutlookMobile, &outlookMobileGuide) }
