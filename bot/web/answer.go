package web

import (
	"bytes"
	"strings"

	"github.com/mailhelp/mailhelp/bot"
)

// write writes the answer as the pages' article element; every string
// from the reply, the request or the translations is escaped for its
// context (see html.go).
func (v *answerView) write(b *bytes.Buffer) {
	r := v.Reply
	b.WriteString("\n<article class=\"answer\" data-intent=\"")
	escapeHTML(b, string(r.Intent))
	b.WriteString("\" lang=\"")
	escapeHTML(b, r.Lang)
	b.WriteString("\">\n")
	if r.Code != "" {
		b.WriteString("<p class=\"title refusal\">")
		escapeHTML(b, r.Title)
		b.WriteString("</p>")
	} else {
		b.WriteString("<h2 class=\"title\">")
		escapeHTML(b, r.Title)
		b.WriteString("</h2>")
	}
	b.WriteString("\n")
	if r.Intro != "" {
		b.WriteString("<p class=\"intro\">")
		escapeHTML(b, r.Intro)
		b.WriteString("</p>")
	}
	b.WriteString("\n")
	if p := v.Profile; p != nil {
		b.WriteString("<section class=\"profile\"><h3>")
		escapeHTML(b, v.UI["profile_title"])
		b.WriteString("</h3><p>")
		escapeHTML(b, v.UI["profile_intro"])
		b.WriteString("</p><p><a class=\"button\" id=\"profile-link\" href=\"")
		writeURL(b, p.URL)
		b.WriteString("\">")
		escapeHTML(b, v.UI["profile_button"])
		b.WriteString("</a></p><figure class=\"qr-box noprint\">")
		b.WriteString(string(p.QR)) // markup made by qrSVG
		b.WriteString("<figcaption>")
		escapeHTML(b, v.UI["profile_qr"])
		b.WriteString("</figcaption></figure><p class=\"hint\">")
		if p.Signed {
			escapeHTML(b, v.UI["profile_signed"])
		} else {
			escapeHTML(b, v.UI["profile_unsigned"])
		}
		b.WriteString("</p></section>\n")
	}
	if len(r.Steps) > 0 {
		b.WriteString("<ol class=\"steps\">\n")
		for _, s := range r.Steps {
			b.WriteString("<li><p>")
			escapeHTML(b, s.Text)
			b.WriteString("</p>")
			if len(s.Fields) > 0 {
				b.WriteString("<dl class=\"fields\">")
				for _, f := range s.Fields {
					b.WriteString("<dt>")
					escapeHTML(b, f.Label)
					b.WriteString("</dt><dd>")
					writeFieldValue(b, f.Placeholder, f.Value, f.Hint)
					b.WriteString("</dd>")
				}
				b.WriteString("</dl>")
			}
			b.WriteString("</li>\n")
		}
		b.WriteString("</ol>")
	}
	b.WriteString("\n")
	for _, g := range r.Settings {
		if !g.Folded {
			b.WriteString("<section class=\"settings\"><h3>")
			escapeHTML(b, g.Title)
			b.WriteString("</h3>")
			writeFields(b, g.Fields)
			b.WriteString("</section>\n")
		}
	}
	b.WriteString("\n")
	if v.SettingsText != "" {
		b.WriteString("<p class=\"noprint\"><button type=\"button\" class=\"copy\" data-copy=\"")
		escapeHTML(b, v.SettingsText)
		b.WriteString("\">")
		if r.Check != nil {
			escapeHTML(b, v.UI["copy_results"])
		} else {
			escapeHTML(b, v.UI["copy_settings"])
		}
		b.WriteString("</button></p>")
	}
	b.WriteString("\n")
	if len(r.Notes) > 0 {
		b.WriteString("<ul class=\"notes\">")
		for _, n := range r.Notes {
			b.WriteString("<li class=\"note ")
			escapeHTML(b, string(n.Severity))
			b.WriteString("\">")
			escapeHTML(b, n.Text)
			b.WriteString("</li>")
		}
		b.WriteString("</ul>")
	}
	b.WriteString("\n")
	for _, g := range r.Settings {
		if g.Folded {
			b.WriteString("<details class=\"settings\"><summary>")
			escapeHTML(b, g.Title)
			b.WriteString("</summary>")
			writeFields(b, g.Fields)
			b.WriteString("</details>\n")
		}
	}
	b.WriteString("\n")
	if len(r.Links) > 0 {
		b.WriteString("<ul class=\"links\">")
		for _, l := range r.Links {
			b.WriteString("<li><a href=\"")
			writeURL(b, l.URL)
			b.WriteString("\" rel=\"noopener noreferrer\">")
			escapeHTML(b, l.Label)
			b.WriteString("</a></li>")
		}
		b.WriteString("</ul>")
	}
	b.WriteString("\n")
	if len(r.Actions) > 0 {
		b.WriteString("<div class=\"actions noprint\">")
		for _, a := range r.Actions {
			b.WriteString("<form class=\"ask-form\" action=\"/ask\" method=\"post\"><input type=\"hidden\" name=\"q\" value=\"")
			escapeHTML(b, a.Phrase)
			b.WriteString("\"><input type=\"hidden\" name=\"lang\" value=\"")
			escapeHTML(b, r.Lang)
			b.WriteString("\"><input type=\"hidden\" name=\"token\" value=\"")
			escapeHTML(b, v.Token)
			b.WriteString("\"><button type=\"submit\" data-kind=\"")
			escapeHTML(b, string(a.Kind))
			b.WriteString("\">")
			escapeHTML(b, a.Label)
			b.WriteString("</button></form>")
		}
		b.WriteString("</div>")
	}
	b.WriteString("\n")
	if v.Question != "" && len(v.Langs) > 0 {
		b.WriteString("<div class=\"answer-langs noprint\">")
		for _, l := range v.Langs {
			b.WriteString("<form class=\"ask-form\" action=\"/ask\" method=\"post\"><input type=\"hidden\" name=\"q\" value=\"")
			escapeHTML(b, v.Question)
			b.WriteString("\"><input type=\"hidden\" name=\"lang\" value=\"")
			escapeHTML(b, l.Lang)
			b.WriteString("\"><input type=\"hidden\" name=\"force\" value=\"1\"><input type=\"hidden\" name=\"token\" value=\"")
			escapeHTML(b, v.Token)
			b.WriteString("\"><button type=\"submit\" class=\"lang\" lang=\"")
			escapeHTML(b, l.Lang)
			b.WriteString("\" data-lang=\"")
			escapeHTML(b, l.Lang)
			b.WriteString("\">")
			escapeHTML(b, l.Name)
			b.WriteString("</button></form>")
		}
		b.WriteString("</div>")
	}
	b.WriteString("\n")
	if v.Permalink != "" {
		b.WriteString("<p class=\"permalink\">")
		escapeHTML(b, v.PermalinkLabel)
		b.WriteString(": <a href=\"")
		writeURL(b, v.Permalink)
		b.WriteString("\">")
		escapeHTML(b, v.Permalink)
		b.WriteString("</a> <button type=\"button\" class=\"copy noprint\" data-copy=\"")
		escapeHTML(b, v.Permalink)
		b.WriteString("\">")
		escapeHTML(b, v.UI["copy_link"])
		b.WriteString("</button> · <a class=\"noprint\" href=\"")
		writeURL(b, v.TicketURL)
		b.WriteString("\">")
		escapeHTML(b, v.UI["ticket"])
		b.WriteString("</a> · <a class=\"noprint ticket-text\" href=\"")
		writeURL(b, v.TicketURL)
		if strings.Contains(v.TicketURL, "?") {
			b.WriteString("&amp;")
		} else {
			b.WriteString("?")
		}
		b.WriteString("format=text\">")
		escapeHTML(b, v.UI["ticket_text"])
		b.WriteString("</a></p>")
	}
	b.WriteString("\n</article>\n")
}

// writeFields writes a settings group's fields as a table.
func writeFields(b *bytes.Buffer, fields []bot.Field) {
	b.WriteString("<table>\n")
	for _, f := range fields {
		b.WriteString("<tr><th scope=\"row\">")
		escapeHTML(b, f.Label)
		b.WriteString("</th><td>")
		writeFieldValue(b, f.Placeholder, f.Value, f.Hint)
		b.WriteString("</td></tr>\n")
	}
	b.WriteString("</table>")
}

// writeFieldValue writes a field's value (a placeholder apart from a
// real value, which is code) and its hint.
func writeFieldValue(b *bytes.Buffer, placeholder bool, value, hint string) {
	switch {
	case placeholder:
		b.WriteString("<em class=\"placeholder\">")
		escapeHTML(b, value)
		b.WriteString("</em>")
	case value != "":
		b.WriteString("<code>")
		escapeHTML(b, value)
		b.WriteString("</code>")
	}
	if hint != "" {
		b.WriteString(" <span class=\"hint\">")
		escapeHTML(b, hint)
		b.WriteString("</span>")
	}
}
