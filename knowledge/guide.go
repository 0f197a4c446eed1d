package knowledge

// Value says which of a user's settings fills a guide field.
type Value string

// The values a guide field can show.
const (
	// ValueNone: the field is free; its hint says what to type.
	ValueNone             Value = ""
	ValueAddress          Value = "address"
	ValueUsername         Value = "username"
	ValueIncomingHost     Value = "incoming.host"
	ValueIncomingPort     Value = "incoming.port"
	ValueIncomingSecurity Value = "incoming.security"
	ValueOutgoingHost     Value = "outgoing.host"
	ValueOutgoingPort     Value = "outgoing.port"
	ValueOutgoingSecurity Value = "outgoing.security"
)

// Guide is a client's step-by-step setup, in the order the device asks.
// Every string in it is a message ID for the locales package, except the
// security labels, which the device shows untranslated.
type Guide struct {
	// Steps in order.
	Steps []Step
	// SecurityLabels is how the device's security menu names each mode,
	// when the device shows it untranslated ("SSL", "TLS").
	SecurityLabels map[Security]string
	// SecurityMessages, when the device translates its security choice
	// (a menu entry, a switch), are the message IDs of what to pick for
	// each mode; they win over SecurityLabels.
	SecurityMessages map[Security]string
	// Notes are message IDs of remarks shown after the steps.
	Notes []string
}

// Step is one thing the user does on the device.
type Step struct {
	// Text is the message ID of the instruction. It may use the template
	// fields Address, Username, Host and Client.
	Text string
	// Fields are the form fields this step fills, in screen order.
	Fields []Field
}

// Field is one input the device shows.
type Field struct {
	// Label is the message ID of the label as the device shows it.
	Label string
	// Value is the setting to type, or ValueNone.
	Value Value
	// Fixed is the message ID of a recommended choice when Value is
	// ValueNone ("On", "Headers only"); empty when the choice is free.
	Fixed string
	// Hint is the message ID of a short explanation; may be empty.
	Hint string
	// Ask is the message ID of what the person types that mailhelp
	// cannot know ("your usual mail password", "your name"), shown as an
	// instruction, never as a value to copy; used when Value and Fixed
	// are empty.
	Ask string
}

// SecurityLabel returns the device's name for a security mode, or the mode
// itself when the guide does not say.
func (g *Guide) SecurityLabel(s Security) string {
	if l, ok := g.SecurityLabels[s]; ok {
		return l
	}
	return string(s)
}

// MessageIDs returns every message ID the guide refers to, in order.
func (g *Guide) MessageIDs() []string {
	var ids []string
	add := func(id string) {
		if id != "" {
			ids = append(ids, id)
		}
	}
	for _, s := range g.Steps {
		add(s.Text)
		for _, f := range s.Fields {
			add(f.Label)
			add(f.Fixed)
			add(f.Hint)
			add(f.Ask)
		}
	}
	for _, s := range []Security{ImplicitTLS, StartTLS, OptionalTLS} {
		add(g.SecurityMessages[s])
	}
	for _, n := range g.Notes {
		add(n)
	}
	return ids
}
