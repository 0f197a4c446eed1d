package render

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/mailhelp/mailhelp/bot"
)

// markdownIcons mark notes by severity in Markdown.
var markdownIcons = map[bot.Severity]string{
	bot.SeverityInfo:    "ℹ️",
	bot.SeverityTip:     "💡",
	bot.SeverityWarning: "⚠️",
	bot.SeverityError:   "❌",
}

// Markdown renders a reply as Markdown for helpdesk tickets: a heading,
// an ordered list of steps with their fields, one table per settings group,
// the notes as a list, links and the phrases to type next. Values are code
// spans, so they can be copied exactly and never turn into links or
// mentions.
func Markdown(r *bot.Reply) string {
	var b strings.Builder
	if r.Code == "" { // a refusal is a sentence, not a heading
		b.WriteString("## ")
	}
	b.WriteString(EscapeMarkdown(r.Title))
	b.WriteString("\n")
	if r.Intro != "" {
		b.WriteString("\n")
		b.WriteString(EscapeMarkdown(r.Intro))
		b.WriteString("\n")
	}
	if len(r.Steps) > 0 {
		b.WriteString("\n")
		for i, s := range r.Steps {
			n := strconv.Itoa(i + 1)
			b.WriteString(n)
			b.WriteString(". ")
			b.WriteString(EscapeMarkdown(s.Text))
			b.WriteString("\n")
			// CommonMark: a sub-item is indented to the item's content.
			indent := strings.Repeat(" ", len(n)+2)
			for _, f := range s.Fields {
				b.WriteString(indent)
				b.WriteString("- **")
				b.WriteString(EscapeMarkdown(f.Label))
				b.WriteString("**")
				b.WriteString(markdownValue(f, labelSep(r.Lang)))
				if f.Hint != "" {
					b.WriteString(" — ")
					b.WriteString(EscapeMarkdown(f.Hint))
				}
				b.WriteString("\n")
			}
		}
	}
	writeGroups := func(folded bool) {
		for _, g := range r.Settings {
			if g.Folded != folded {
				continue
			}
			b.WriteString("\n### ")
			b.WriteString(EscapeMarkdown(g.Title))
			b.WriteString("\n\n| | |\n|---|---|\n")
			for _, f := range g.Fields {
				b.WriteString("| ")
				b.WriteString(EscapeMarkdown(f.Label))
				b.WriteString(" | ")
				switch {
				case f.Placeholder:
					b.WriteString("*" + EscapeMarkdown(f.Value) + "*")
				case f.Value != "":
					// GitHub tables split cells on "|" even inside code.
					b.WriteString(strings.ReplaceAll(CodeSpan(f.Value), "|", "\\|"))
				}
				if f.Hint != "" {
					b.WriteString(" ")
					b.WriteString(EscapeMarkdown(f.Hint))
				}
				b.WriteString(" |\n")
			}
		}
	}
	writeGroups(false)
	if len(r.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range r.Notes {
			b.WriteString("- ")
			b.WriteString(markdownIcons[n.Severity])
			b.WriteString(" ")
			b.WriteString(EscapeMarkdown(n.Text))
			b.WriteString("\n")
		}
	}
	writeGroups(true) // technical detail last
	if len(r.Links) > 0 {
		b.WriteString("\n")
		for _, l := range r.Links {
			b.WriteString("- ")
			b.WriteString(markdownLink(l))
			b.WriteString("\n")
		}
	}
	if len(r.Actions) > 0 {
		b.WriteString("\n")
		for _, a := range r.Actions {
			b.WriteString("- ")
			b.WriteString(EscapeMarkdown(a.Label))
			b.WriteString(labelSep(r.Lang))
			b.WriteString(CodeSpan(a.Phrase))
			b.WriteString("\n")
		}
	}
	return b.String()
}

// markdownLink writes a link whose URL is http(s) and well formed; any
// other URL is shown as code, never made clickable.
func markdownLink(l bot.Link) string {
	u, err := url.Parse(l.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return EscapeMarkdown(l.Label) + ": " + CodeSpan(l.URL)
	}
	return "[" + EscapeMarkdown(l.Label) + "](<" + strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20").Replace(u.String()) + ">)"
}

// markdownValue writes a field's value after its label: a code span to
// copy, or, for a placeholder, an instruction in italics.
func markdownValue(f bot.Field, sep string) string {
	switch {
	case f.Placeholder:
		return " — *" + EscapeMarkdown(f.Value) + "*"
	case f.Value != "":
		return sep + CodeSpan(f.Value)
	}
	return ""
}
