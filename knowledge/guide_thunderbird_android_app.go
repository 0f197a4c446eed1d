package knowledge

// This file is not named guide_thunderbird_android.go: Go would build a
// file ending in _android.go only for GOOS=android.

// thunderbirdAndroidGuide follows Thunderbird for Android (formerly K-9
// Mail), version 8 and later, set up by hand as an IMAP account: the
// email address screen, then the incoming and outgoing server screens,
// each checked by the app, then the account options. K-9 Mail's recent
// versions share these screens.
//
// Sources of the labels. No Mozilla help page (SUMO) for Thunderbird for
// Android was found in the stored pages or docs, in any language; the
// labels were therefore taken from the strings the app itself ships,
// Mozilla's own translations, github.com/thunderbird/thunderbird-android,
// read at the THUNDERBIRD_8_0 tag (October 2024) and at the August 2026
// main branch:
//   - en: res/values/strings.xml of feature/onboarding/welcome,
//     feature/navigation/drawer, legacy/ui/legacy, feature/account/setup,
//     feature/account/common, feature/account/server/settings,
//     feature/account/server/certificate, and
//     components/ui/bolt/src/commonMain/composeResources/values/strings.xml
//     (email address and password fields);
//   - fr, de, es: the same files in values-fr, values-de, values-es.
//
// Unconfirmed, so described instead of quoted: the side menu button (an
// icon, written ☰); the password field of the server screens (its label
// was split from the common one in June 2026 and is not translated yet in
// French and Spanish); in Spanish, the username label (“Usuario” in 8.0,
// “Nombre de usuario” later) and the name option (“Su nombre”, later “Tu
// nombre”). The security menu shows “SSL/TLS” and “StartTLS” untranslated
// in every language.
var thunderbirdAndroidGuide = Guide{
	// Port 25 offers STARTTLS without requiring it.
	SecurityLabels: map[Security]string{
		ImplicitTLS: "SSL/TLS",
		StartTLS:    "StartTLS",
		OptionalTLS: "StartTLS",
	},
	Steps: []Step{
		{Text: "tba.step.open"},
		{Text: "tba.step.address", Fields: []Field{
			{Label: "tba.label.email_address", Value: ValueAddress},
		}},
		{Text: "tba.step.manual"},
		{Text: "tba.step.incoming", Fields: []Field{
			{Label: "tba.label.protocol", Fixed: "tba.value.imap"},
			{Label: "tba.label.server", Value: ValueIncomingHost, Hint: "tba.hint.server"},
			{Label: "tba.label.security", Value: ValueIncomingSecurity},
			{Label: "tba.label.port", Value: ValueIncomingPort},
			{Label: "tba.label.authentication", Fixed: "tba.value.normal_password", Hint: "tba.hint.normal_password"},
			{Label: "tba.label.username", Value: ValueUsername, Hint: "tba.hint.username"},
			{Label: "tba.label.password", Ask: "tba.ask.password"},
		}},
		{Text: "tba.step.outgoing", Fields: []Field{
			{Label: "tba.label.server", Value: ValueOutgoingHost},
			{Label: "tba.label.security", Value: ValueOutgoingSecurity},
			{Label: "tba.label.port", Value: ValueOutgoingPort},
			{Label: "tba.label.authentication", Fixed: "tba.value.normal_password", Hint: "tba.hint.smtp_auth"},
			{Label: "tba.label.username", Value: ValueUsername, Hint: "tba.hint.username"},
			{Label: "tba.label.password", Ask: "tba.ask.password"},
		}},
		{Text: "tba.step.certificate"},
		{Text: "tba.step.folders"},
		{Text: "tba.step.display", Fields: []Field{
			{Label: "tba.label.account_name", Hint: "tba.hint.account_name"},
			{Label: "tba.label.your_name", Ask: "tba.ask.your_name"},
		}},
		{Text: "tba.step.sync", Fields: []Field{
			{Label: "tba.label.check_frequency", Fixed: "tba.value.your_choice", Hint: "tba.hint.check_frequency"},
			{Label: "tba.label.notifications", Fixed: "tba.value.on", Hint: "tba.hint.notifications"},
		}},
		{Text: "tba.step.done"},
	},
	Notes: []string{"tba.note.versions"},
}

func init() { setGuide(ThunderbirdAndroid, &thunderbirdAndroidGuide) }
