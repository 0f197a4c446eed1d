package knowledge

// blackBerry10Guide follows BlackBerry 10 OS: the account is added from the
// BlackBerry Hub, as an IMAP account. Screens differ slightly between OS
// versions; the steps and labels do not.
var blackBerry10Guide = Guide{
	SecurityLabels: map[Security]string{
		ImplicitTLS: "SSL",
		StartTLS:    "TLS",
	},
	Steps: []Step{
		{Text: "bb10.step.open_hub"},
		{Text: "bb10.step.settings"},
		{Text: "bb10.step.email_accounts"},
		{Text: "bb10.step.add_account"},
		{Text: "bb10.step.account_type"},
		{Text: "bb10.step.enter_address", Fields: []Field{
			{Label: "bb10.label.email_address", Value: ValueAddress},
		}},
		{Text: "bb10.step.choose_imap"},
		{Text: "bb10.step.identity", Fields: []Field{
			{Label: "bb10.label.description", Hint: "bb10.hint.description"},
			{Label: "bb10.label.your_name", Hint: "bb10.hint.your_name"},
			{Label: "bb10.label.username", Value: ValueUsername, Hint: "bb10.hint.username"},
		}},
		{Text: "bb10.step.incoming", Fields: []Field{
			{Label: "label.server", Value: ValueIncomingHost, Hint: "hint.server"},
			{Label: "label.port", Value: ValueIncomingPort},
			{Label: "label.security", Value: ValueIncomingSecurity},
		}},
		{Text: "bb10.step.outgoing", Fields: []Field{
			{Label: "label.server", Value: ValueOutgoingHost},
			{Label: "label.port", Value: ValueOutgoingPort},
			{Label: "label.security", Value: ValueOutgoingSecurity},
		}},
		{Text: "bb10.step.options", Fields: []Field{
			{Label: "bb10.label.push", Fixed: "bb10.value.on", Hint: "bb10.hint.push"},
			{Label: "bb10.label.append_sent", Fixed: "bb10.value.your_choice", Hint: "bb10.hint.append_sent"},
			{Label: "bb10.label.sync_interval", Hint: "bb10.hint.sync_interval"},
			{Label: "bb10.label.sync_timeframe", Hint: "bb10.hint.sync_timeframe"},
		}},
		{Text: "bb10.step.networks", Fields: []Field{
			{Label: "bb10.label.roaming", Fixed: "bb10.value.headers_only", Hint: "bb10.hint.roaming"},
			{Label: "bb10.label.cellular", Fixed: "bb10.value.size_limit", Hint: "bb10.hint.cellular"},
			{Label: "bb10.label.wifi", Fixed: "bb10.value.whole_messages"},
		}},
		{Text: "bb10.step.done"},
		{Text: "bb10.step.certificate"},
		{Text: "bb10.step.find_account"},
	},
	Notes: []string{"bb10.note.os_versions"},
}
