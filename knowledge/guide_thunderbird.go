package knowledge

// thunderbirdGuide follows Thunderbird for Windows, macOS and Linux,
// version 115 and later, set up by hand as an IMAP account. Two setup
// screens exist in that range: the "Account Setup" tab (115 to 139, and
// the first account up to 149) and the newer Account Hub window (extra
// accounts from 140, every account from 150; comm-central bugs 1968292
// and 1968073). Both ask for the same fields, the Account Hub asking for
// the password last; where a button is named differently, the step gives
// both names.
//
// Sources of the labels. The Mozilla help pages (SUMO) in the stored
// pages are old (Thunderbird 78 to 102 screenshots) and only confirm the
// menu path, the account settings window and the certificate dialog, so
// every label was also checked against the strings Thunderbird ships,
// Mozilla's own translations, at the 115, 128, 140, 151, 152 and August
// 2026 sources:
//   - en: https://support.mozilla.org/en-US/kb/automatic-account-configuration,
//     https://support.mozilla.org/en-US/kb/manual-account-configuration,
//     https://support.mozilla.org/en-US/kb/add-security-exception;
//     github.com/mozilla/releases-comm-central mail/locales/en-US/
//     (messenger/accountcreation/accountSetup.ftl and accountHub.ftl,
//     messenger/appmenu.ftl, menubar.ftl, accountManager.ftl,
//     chrome/messenger/messenger.dtd, AccountManager.dtd).
//   - fr: https://support.mozilla.org/fr/kb/configurer-un-compte-manuellement
//     (stored as its revision 54553 and as the French fallback of
//     https://europe-west1.prod.sumo.prod.webservices.mozgcp.net/wo/kb/manual-account-configuration),
//     https://us-west1.prod.sumo.prod.webservices.mozgcp.net/fr/kb/options-configuration-pour-comptes;
//     github.com/thunderbird/thunderbird-l10n fr/mail/.
//   - de: https://europe-west1.prod.sumo.prod.webservices.mozgcp.net/de/kb/Konfigurationsmoeglichkeiten-fuer-Konten,
//     https://support.mozilla.org/en-US/kb/add-security-exception?lang=de;
//     github.com/thunderbird/thunderbird-l10n de/mail/.
//   - es: https://prod.sumo.prod.webservices.mozgcp.net/ca/kb/configuration-options-accounts
//     (Spanish fallback); github.com/thunderbird/thunderbird-l10n es-ES/mail/.
//   - certificate dialog buttons, all four: github.com/mozilla-l10n/firefox-l10n
//     <lang>/security/manager/security/certificates/certManager.ftl (the
//     toolkit strings Thunderbird ships).
//
// The brief's paths ("New > Existing Mail Account", "Account Settings >
// Account Actions > Add Mail Account") are those of 115; later versions
// renamed them ("Email", "Email Account…", then a "New Account" / "Add
// Account" button), and the steps and notes give each name.
//
// Unconfirmed, so described instead of quoted: the name of the menu
// button (an icon, written ≡); in French, the 115 name of the ≡ menu
// entry (its translation changed); in Spanish, the headings of the
// incoming and outgoing parts and the authentication-method label (they
// differ between the two setup screens); in German, the certificate
// dialog's title (the German help page and the app name it differently).
// Each locale file lists what it quotes and from where.
var thunderbirdGuide = Guide{
	// The connection security menu shows these names, untranslated, in
	// every language. Port 25 offers STARTTLS without requiring it.
	SecurityLabels: map[Security]string{
		ImplicitTLS: "SSL/TLS",
		StartTLS:    "STARTTLS",
		OptionalTLS: "STARTTLS",
	},
	Steps: []Step{
		{Text: "tb.step.open_setup"},
		{Text: "tb.step.your_details", Fields: []Field{
			{Label: "tb.label.full_name", Ask: "tb.ask.full_name"},
			{Label: "tb.label.email_address", Value: ValueAddress},
			{Label: "tb.label.password", Ask: "tb.ask.password", Hint: "tb.hint.password_later"},
		}},
		{Text: "tb.step.manual"},
		{Text: "tb.step.incoming", Fields: []Field{
			{Label: "tb.label.protocol", Fixed: "tb.value.imap"},
			{Label: "tb.label.hostname", Value: ValueIncomingHost, Hint: "tb.hint.hostname"},
			{Label: "tb.label.port", Value: ValueIncomingPort},
			{Label: "tb.label.connection_security", Value: ValueIncomingSecurity},
			{Label: "tb.label.auth_method", Fixed: "tb.value.normal_password", Hint: "tb.hint.normal_password"},
			{Label: "tb.label.username", Value: ValueUsername, Hint: "tb.hint.username"},
		}},
		{Text: "tb.step.outgoing", Fields: []Field{
			{Label: "tb.label.hostname", Value: ValueOutgoingHost},
			{Label: "tb.label.port", Value: ValueOutgoingPort},
			{Label: "tb.label.connection_security", Value: ValueOutgoingSecurity},
			{Label: "tb.label.auth_method", Fixed: "tb.value.normal_password", Hint: "tb.hint.smtp_auth"},
			{Label: "tb.label.username", Value: ValueUsername, Hint: "tb.hint.username"},
		}},
		{Text: "tb.step.test"},
		{Text: "tb.step.finish"},
		{Text: "tb.step.certificate"},
		{Text: "tb.step.check"},
	},
	Notes: []string{"tb.note.versions", "tb.note.other_ways"},
}

func init() { setGuide(Thunderbird, &thunderbirdGuide) }
