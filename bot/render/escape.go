package render

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mailhelp/mailhelp/bot"
)

// EscapeText makes a string safe to print on a terminal or in plain
// text; see bot.StripUnsafe for what it removes.
func EscapeText(s string) string { return bot.StripUnsafe(s) }

// markdownSpecial are the characters always backslash-escaped in
// Markdown text: emphasis, code, link and image brackets, headings, tables
// and strikethrough. CommonMark allows a backslash before any ASCII
// punctuation. Parentheses need no escape once brackets have one.
const markdownSpecial = "\\`*_[]#|~"

// EscapeMarkdown escapes a string for Markdown text (CommonMark and GitHub
// flavour) so that it shows as typed: nothing in it becomes emphasis,
// code, a link, an image, a list, a heading or a table cell; "<", ">" and
// "&" become entities, so no HTML and no chat markup such as <!channel> or
// <@U123> survives; an "@" that starts a word is escaped, so @everyone,
// @here and @user mention no one; "://" is broken so that a URL in
// untrusted text is not turned into a link.
func EscapeMarkdown(s string) string {
	s = EscapeText(s)
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	digits := 0 // leading digits: "1." or "1)" there would start a list
	for digits < len(s) && '0' <= s[digits] && s[digits] <= '9' {
		digits++
	}
	prev := ' '
	for i, r := range s {
		switch {
		case digits > 0 && i == digits && (r == '.' || r == ')'):
			b.WriteByte('\\')
			b.WriteRune(r)
		case i == 0 && (r == '-' || r == '+' || r == '='):
			// A list item, or a thematic break / setext underline.
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '@' && !isWordRune(prev):
			b.WriteString("\\@")
		case r == ':' && strings.HasPrefix(s[i:], "://"):
			b.WriteString("\\:")
		case r < utf8.RuneSelf && strings.IndexByte(markdownSpecial, byte(r)) >= 0:
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// CodeSpan returns s as a Markdown code span, with a fence longer than any
// run of backquotes inside it, so nothing in s is interpreted: no
// emphasis, no link, no mention.
func CodeSpan(s string) string {
	s = EscapeText(s)
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if longest > 0 || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}
