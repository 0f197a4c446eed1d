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
	b.Grow(textSize(r))
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
		fieldIndent := strings.Repeat(" ", width+2+3)
		for i, s := range r.Steps {
			for range width - digits(i+1) {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.Itoa(i + 1))
			b.WriteString(". ")
			b.WriteString(EscapeText(s.Text))
			b.WriteByte('\n')
			for _, f := range s.Fields {
				writeTextField(&b, fieldIndent, labelSep(r.Lang), f)
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
		for range width - displayWidth(label) + 2 {
			b.WriteByte(' ')
		}
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

// digits is the number of decimal digits of n ≥ 0.
func digits(n int) int {
	d := 1
	for ; n >= 10; n /= 10 {
		d++
	}
	return d
}

// textSize estimates the length of Text's result, so that it is built
// in one allocation: the strings, and room for numbering, indents and
// separators.
func textSize(r *bot.Reply) int {
	n := 2*len(r.Title) + len(r.Intro) + 16
	field := func(f bot.Field) int { return len(f.Label) + len(f.Value) + len(f.Hint) + 32 }
	for _, s := range r.Steps {
		n += len(s.Text) + 16
		for _, f := range s.Fields {
			n += field(f)
		}
	}
	for _, g := range r.Settings {
		n += len(g.Title) + 2
		for _, f := range g.Fields {
			n += field(f) + 16
		}
	}
	for _, x := range r.Notes {
		n += len(x.Text) + 8
	}
	for _, l := range r.Links {
		n += len(l.Label) + len(l.URL) + 12
	}
	for _, a := range r.Actions {
		n += len(a.Label) + len(a.Phrase) + 12
	}
	return n
}
