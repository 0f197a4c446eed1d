package render

import (
	"strconv"
	"strings"

	"github.com/mailhelp/mailhelp/bot"
)

// textIcons mark notes by severity in plain text.
var textIcons = map[bot.Severity]string{
	bot.SeverityInfo:    "ℹ",
	bot.SeverityTip:     "💡",
	bot.SeverityWarning: "⚠",
	bot.SeverityError:   "✖",
}

// Text renders a reply as plain text for a terminal: the title underlined,
// numbered steps with their fields indented, aligned settings tables, the
// notes with an icon each, links, and the phrases to type next.
func Text(r *bot.Reply) string {
	var b strings.Builder
	title := EscapeText(r.Title)
	b.WriteString(title)
	b.WriteByte('\n')
	if r.Code == "" { // a refusal is a sentence, not a heading
		b.WriteString(strings.Repeat("=", displayWidth(title)))
		b.WriteByte('\n')
	}
	if r.Intro != "" {
		b.WriteByte('\n')
		b.WriteString(EscapeText(r.Intro))
		b.WriteByte('\n')
	}
	if len(r.Steps) > 0 {
		b.WriteByte('\n')
		width := len(strconv.Itoa(len(r.Steps)))
		for i, s := range r.Steps {
			n := strconv.Itoa(i + 1)
			b.WriteString(strings.Repeat(" ", width-len(n)))
			b.WriteString(n)
			b.WriteString(". ")
			b.WriteString(EscapeText(s.Text))
			b.WriteByte('\n')
			indent := strings.Repeat(" ", width+2)
			for _, f := range s.Fields {
				writeTextField(&b, indent+"   ", labelSep(r.Lang), f)
			}
		}
	}
	writeGroups := func(folded bool) {
		for _, g := range r.Settings {
			if g.Folded != folded {
				continue
			}
			b.WriteByte('\n')
			b.WriteString(EscapeText(g.Title))
			b.WriteByte('\n')
			writeTextTable(&b, g.Fields)
		}
	}
	writeGroups(false)
	if len(r.Notes) > 0 {
		b.WriteByte('\n')
		for _, n := range r.Notes {
			b.WriteString(textIcons[n.Severity])
			b.WriteByte(' ')
			b.WriteString(EscapeText(n.Text))
			b.WriteByte('\n')
		}
	}
	writeGroups(true) // technical detail last
	if len(r.Links) > 0 {
		b.WriteByte('\n')
		for _, l := range r.Links {
			b.WriteString("→ ")
			b.WriteString(EscapeText(l.Label))
			b.WriteString(labelSep(r.Lang))
			b.WriteString(EscapeText(l.URL))
			b.WriteByte('\n')
		}
	}
	if len(r.Actions) > 0 {
		b.WriteByte('\n')
		for _, a := range r.Actions {
			b.WriteString("» ")
			b.WriteString(EscapeText(a.Label))
			b.WriteString(labelSep(r.Lang))
			b.WriteString(EscapeText(a.Phrase))
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// writeTextField writes "label: value" and the hint under it.
func writeTextField(b *strings.Builder, indent, sep string, f bot.Field) {
	b.WriteString(indent)
	b.WriteString("- ")
	b.WriteString(EscapeText(f.Label))
	switch {
	case f.Placeholder:
		// An instruction, not a value: set apart from the values.
		b.WriteString(" — ")
		b.WriteString(EscapeText(f.Value))
	case f.Value != "":
		b.WriteString(sep)
		b.WriteString(EscapeText(f.Value))
	}
	b.WriteByte('\n')
	if f.Hint != "" {
		b.WriteString(indent)
		b.WriteString("  ")
		b.WriteString(EscapeText(f.Hint))
		b.WriteByte('\n')
	}
}

// writeTextTable writes fields as two aligned columns; hints follow the
// value in parentheses.
func writeTextTable(b *strings.Builder, fields []bot.Field) {
	width := 0
	for _, f := range fields {
		width = max(width, displayWidth(EscapeText(f.Label)))
	}
	for _, f := range fields {
		label := EscapeText(f.Label)
		b.WriteString("  ")
		b.WriteString(label)
		b.WriteString(strings.Repeat(" ", width-displayWidth(label)+2))
		if f.Placeholder {
			b.WriteString("— ")
		}
		b.WriteString(EscapeText(f.Value))
		if f.Hint != "" {
			b.WriteString(" (")
			b.WriteString(EscapeText(f.Hint))
			b.WriteByte(')')
		}
		b.WriteByte('\n')
	}
}

// labelSep separates a label from its value: French typography sets a
// no-break space before the colon.
func labelSep(lang string) string {
	if lang == "fr" {
		return "\u00a0: "
	}
	return ": "
}

// displayWidth counts runes, a fair width for the Latin text of replies.
func displayWidth(s string) int {
	n := 0
	for range s {
		n++
	}
	return n
}
