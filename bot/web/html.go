package web

import (
	"bytes"
	"strings"
)

// The pages are written by Go code rather than by html/template, which
// spent most of an answer page's time: a reflective call per escaped
// value, a few hundred per guide. The escaping is html/template's own,
// ported exactly for the contexts the pages use — element text and
// quoted attribute values (escapeHTML), URL attributes (writeURL) and a
// value in a URL's query (writeQueryValue) — so the pages are the same
// bytes html/template wrote: html_test.go checks every kind of page
// against the templates this replaced (testdata/pages.tmpl), and that
// hostile strings stay text.

// write writes the page: the whole document ("layout"), or the chat's
// fragment for one exchange ("partial").
func (p *page) write(b *bytes.Buffer, name string) {
	if name == "partial" {
		p.writePartial(b)
		return
	}
	b.WriteString("<!doctype html>\n<html lang=\"")
	escapeHTML(b, p.Lang)
	b.WriteString("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	if p.Answer != nil {
		escapeHTML(b, p.Answer.Reply.Title)
		b.WriteString(" — ")
	}
	escapeHTML(b, p.UI["title"])
	b.WriteString("</title>\n<link rel=\"stylesheet\" href=\"/static/app.css\">\n<script src=\"/static/app.js\" defer></script>\n</head>\n<body data-copied=\"")
	escapeHTML(b, p.UI["copied"])
	b.WriteString("\" data-copy-failed=\"")
	escapeHTML(b, p.UI["copy_failed"])
	b.WriteString("\" data-working=\"")
	escapeHTML(b, p.UI["working"])
	b.WriteString("\">\n<header class=\"top\">\n  <a class=\"brand\" href=\"/?lang=")
	writeQueryValue(b, p.Lang)
	b.WriteString("\">mailhelp</a>\n  <nav class=\"lang\" aria-label=\"")
	escapeHTML(b, p.UI["language"])
	b.WriteString("\">\n    ")
	for _, l := range p.OtherLangs {
		b.WriteString("<a id=\"lang-")
		escapeHTML(b, l.Lang)
		b.WriteString("\" href=\"")
		writeURL(b, l.URL)
		b.WriteString("\" hreflang=\"")
		escapeHTML(b, l.Lang)
		b.WriteString("\" lang=\"")
		escapeHTML(b, l.Lang)
		b.WriteString("\">")
		escapeHTML(b, l.Name)
		b.WriteString("</a> ")
	}
	b.WriteString("\n  </nav>\n</header>\n<main>\n")
	switch {
	case p.NotFound != nil:
		p.writeNotFound(b)
	case p.Chat:
		p.writeChat(b)
	case p.Answer != nil:
		p.Answer.write(b)
		b.WriteString("\n<p class=\"back noprint\"><a href=\"/?lang=")
		writeQueryValue(b, p.Lang)
		b.WriteString("\">")
		escapeHTML(b, p.UI["back"])
		b.WriteString("</a></p>")
	}
	b.WriteString("\n</main>\n</body>\n</html>\n")
}

// writeChat writes the web chat: the exchange asked for, if any, the
// question box and the examples.
func (p *page) writeChat(b *bytes.Buffer) {
	b.WriteString("\n<h1>")
	escapeHTML(b, p.UI["title"])
	b.WriteString("</h1>\n<p class=\"tagline\">")
	escapeHTML(b, p.UI["tagline"])
	b.WriteString("</p>\n<section id=\"conversation\" aria-live=\"polite\">\n")
	if p.Answer != nil {
		p.writeQuestion(b)
		p.Answer.write(b)
		b.WriteString("</div>")
	}
	b.WriteString("\n")
	if p.Confirm != nil {
		p.writeQuestion(b)
		p.Confirm.write(b)
		b.WriteString("</div>")
	}
	b.WriteString("\n</section>\n<form id=\"ask\" class=\"ask-form\" action=\"/ask\" method=\"post\">\n  <label for=\"q\">")
	escapeHTML(b, p.UI["ask_label"])
	b.WriteString("</label>\n  <div class=\"row\">\n    <input id=\"q\" name=\"q\" type=\"text\" maxlength=\"4096\" autocomplete=\"off\" required placeholder=\"")
	escapeHTML(b, p.UI["ask_placeholder"])
	b.WriteString("\" value=\"\">\n    <input type=\"hidden\" name=\"lang\" value=\"")
	escapeHTML(b, p.Lang)
	b.WriteString("\">\n    <input type=\"hidden\" name=\"token\" value=\"")
	escapeHTML(b, p.Token)
	b.WriteString("\">\n    <button id=\"send\" type=\"submit\">")
	escapeHTML(b, p.UI["ask_button"])
	b.WriteString("</button>\n  </div>\n</form>\n")
	if len(p.Examples) > 0 {
		b.WriteString("<section class=\"examples noprint\"><h2>")
		escapeHTML(b, p.UI["examples"])
		b.WriteString("</h2><ul>\n")
		for _, e := range p.Examples {
			b.WriteString("<li><form class=\"ask-form\" action=\"/ask\" method=\"post\"><input type=\"hidden\" name=\"q\" value=\"")
			escapeHTML(b, e.Phrase)
			b.WriteString("\"><input type=\"hidden\" name=\"lang\" value=\"")
			escapeHTML(b, p.Lang)
			b.WriteString("\"><input type=\"hidden\" name=\"token\" value=\"")
			escapeHTML(b, p.Token)
			b.WriteString("\"><button type=\"submit\" class=\"link\">")
			escapeHTML(b, e.Phrase)
			b.WriteString("</button></form> <span class=\"hint\">")
			escapeHTML(b, e.Label)
			b.WriteString("</span></li>\n")
		}
		b.WriteString("</ul></section>")
	}
	b.WriteString("\n")
}

// writeQuestion opens an exchange with the question asked.
func (p *page) writeQuestion(b *bytes.Buffer) {
	b.WriteString("<div class=\"exchange\"><p class=\"question\"><span class=\"who\">")
	escapeHTML(b, p.UI["you"])
	b.WriteString("</span> ")
	escapeHTML(b, p.Question)
	b.WriteString("</p>")
}

// writePartial writes one exchange, for the chat's script to append.
func (p *page) writePartial(b *bytes.Buffer) {
	p.writeQuestion(b)
	if p.Confirm != nil {
		p.Confirm.write(b)
	} else {
		p.Answer.write(b)
	}
	b.WriteString("</div>")
}

// write writes the offer to run a live check that was asked for but
// not run: it runs from this form only.
func (c *confirmView) write(b *bytes.Buffer) {
	b.WriteString("<div class=\"offer noprint\" lang=\"")
	escapeHTML(b, c.Lang)
	b.WriteString("\"><p>")
	escapeHTML(b, c.Text)
	b.WriteString("</p><form class=\"ask-form\" action=\"/ask\" method=\"post\"><input type=\"hidden\" name=\"q\" value=\"")
	escapeHTML(b, c.Question)
	b.WriteString("\"><input type=\"hidden\" name=\"lang\" value=\"")
	escapeHTML(b, c.Lang)
	b.WriteString("\">")
	if c.Force {
		b.WriteString("<input type=\"hidden\" name=\"force\" value=\"1\">")
	}
	b.WriteString("<input type=\"hidden\" name=\"token\" value=\"")
	escapeHTML(b, c.Token)
	b.WriteString("\"><button type=\"submit\" data-kind=\"check\">")
	escapeHTML(b, c.Label)
	b.WriteString("</button></form></div>")
}

// writeNotFound writes a missing page's explanation, the devices it may
// have meant, and a question box.
func (p *page) writeNotFound(b *bytes.Buffer) {
	b.WriteString("\n<h1>")
	escapeHTML(b, p.UI["not_found_title"])
	b.WriteString("</h1>\n<p>")
	escapeHTML(b, p.NotFound.Message)
	b.WriteString("</p>\n")
	if len(p.NotFound.Clients) > 0 {
		b.WriteString("<ul>")
		for _, c := range p.NotFound.Clients {
			b.WriteString("<li><a href=\"")
			writeURL(b, c.URL)
			b.WriteString("\">")
			escapeHTML(b, c.Name)
			b.WriteString("</a></li>")
		}
		b.WriteString("</ul>")
	}
	b.WriteString("\n<p>")
	escapeHTML(b, p.UI["not_found_intro"])
	b.WriteString("</p>\n<form class=\"ask-form\" action=\"/ask\" method=\"post\">\n  <label for=\"q\">")
	escapeHTML(b, p.UI["ask_label"])
	b.WriteString("</label>\n  <div class=\"row\"><input id=\"q\" name=\"q\" type=\"text\" maxlength=\"4096\" required><input type=\"hidden\" name=\"lang\" value=\"")
	escapeHTML(b, p.Lang)
	b.WriteString("\"><input type=\"hidden\" name=\"token\" value=\"")
	escapeHTML(b, p.Token)
	b.WriteString("\"><button type=\"submit\">")
	escapeHTML(b, p.UI["ask_button"])
	b.WriteString("</button></div>\n</form>\n")
}

// htmlReplacement is html/template's replacement table for text and
// quoted attribute values (htmlReplacementTable): every character that
// could end a text node or an attribute value, or start markup, plus
// NUL and "+".
var htmlReplacement = [...]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// escapeHTML writes s escaped for an element's text or a quoted
// attribute value, as html/template's htmlEscaper and attrEscaper do
// for a plain string. Every replaced character is ASCII, so a byte
// scan is the same as html/template's rune scan, invalid UTF-8 included
// (copied as is).
func escapeHTML(b *bytes.Buffer, s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if int(c) >= len(htmlReplacement) || htmlReplacement[c] == "" {
			continue
		}
		b.WriteString(s[written:i])
		b.WriteString(htmlReplacement[c])
		written = i + 1
	}
	b.WriteString(s[written:])
}

// writeURL writes s as a URL attribute's whole value, as html/template
// does for {{.}} at the start of an href: a URL whose scheme is not
// http, https or mailto becomes "#ZgotmplZ" (urlFilter); bytes that may
// not appear raw in a URL are percent-encoded, valid escapes and
// reserved characters kept (urlNormalizer); then escaped for the
// attribute (attrEscaper).
func writeURL(b *bytes.Buffer, s string) {
	if !isSafeURL(s) {
		b.WriteString("#ZgotmplZ")
		return
	}
	const hex = "0123456789abcdef"
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("-._~!#$*,/:;=?@[]", c) >= 0:
			continue
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			continue
		case c == '&' || c == '+':
			// Kept by the normalizer, escaped for the attribute.
			b.WriteString(s[written:i])
			b.WriteString(htmlReplacement[c])
		default:
			b.WriteString(s[written:i])
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
		written = i + 1
	}
	b.WriteString(s[written:])
}

// isSafeURL reports whether s has no scheme, or http, https or mailto
// (html/template's isSafeURL).
func isSafeURL(s string) bool {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") {
		return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "mailto")
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// writeQueryValue writes s as a value in a URL's query, in an
// attribute, as html/template does for {{.}} after "?lang=" in an href:
// everything but letters, digits and "-._~" percent-encoded
// (urlEscaper), which leaves nothing for the attribute to escape.
func writeQueryValue(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			continue
		}
		b.WriteString(s[written:i])
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
		written = i + 1
	}
	b.WriteString(s[written:])
}
