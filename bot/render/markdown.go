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
	b.WriteString("## ")
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
			b.WriteString(strconv.Itoa(i + 1))
			b.WriteString(". ")
			b.WriteString(EscapeMarkdown(s.Text))
			b.WriteString("\n")
			for _, f := range s.Fields {
				b.WriteString("   - **")
				b.WriteString(EscapeMarkdown(f.Label))
				b.WriteString("**")
				if f.Value != "" {
					b.WriteString(labelSep(r.Lang))
					b.WriteString(CodeSpan(f.Value))
				}
				if f.Hint != "" {
					b.WriteString(" — ")
					b.WriteString(EscapeMarkdown(f.Hint))
				}
				b.WriteString("\n")
			}
		}
	}
	for _, g := range r.Settings {
		b.WriteString("\n### ")
		b.WriteString(EscapeMarkdown(g.Title))
		b.WriteString("\n\n| | |\n|---|---|\n")
		for _, f := range g.Fields {
			b.WriteString("| ")
			b.WriteString(EscapeMarkdown(f.Label))
			b.WriteString(" | ")
			if f.Value != "" {
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
