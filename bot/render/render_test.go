package render

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/internal/golden"
)

// hostile is a reply whose every string carries something an attacker
// could put in a question or, later, in a server banner.
var hostile = &bot.Reply{
	Intent: bot.IntentConfigure, Lang: "en",
	Title: "Setup for <!channel> @everyone *bold* [x](https://evil.example)",
	Intro: "1. not a list <script>alert(1)</script> & \x1b[31mred\x1b[0m \u202eevil\u202c",
	Steps: []bot.Step{{
		Text: "- not a list either # nor a heading | nor a cell",
		Fields: []bot.Field{
			{Label: "Server <@U123>", Value: "bm`.domaine.com", Hint: "see https://evil.example/phish"},
			{Label: "Name", Value: " spaced `` ticks "},
		},
	}},
	Settings: []bot.SettingGroup{{Title: "## group", Fields: []bot.Field{{Label: "a|b", Value: "c|d", Hint: "@here _x_"}}}},
	Notes:    []bot.Note{{Severity: bot.SeverityWarning, Text: "line one\nline two\r\n---"}},
	Links: []bot.Link{
		{Label: "Webmail ]", URL: "https://bm.domaine.com/a b>c"},
		{Label: "bad", URL: "javascript:alert(1)"},
	},
	Actions: []bot.Action{{Kind: bot.ActionCheck, Label: "Check", Phrase: "check <mailto:a@b.c|a@b.c>"}},
	About:   bot.About{Client: "blackberry10", Address: "a@b.c", Host: "bm.domaine.com"},
}

func TestHostileGolden(t *testing.T) {
	text := Text(hostile)
	md := Markdown(hostile)
	js, err := JSON(AnswerOf(hostile))
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "hostile.txt", text)
	golden.Assert(t, "hostile.md", md)
	golden.Assert(t, "hostile.json", string(js))

	for _, bad := range []string{"\x1b", "\u202e", "\r"} {
		if strings.Contains(text, bad) || strings.Contains(md, bad) {
			t.Errorf("%q survived rendering", bad)
		}
	}
	for _, bad := range []string{"<!channel>", "<script>", "<@U123>", " @everyone", " @here", "](https://evil", "javascript:alert(1))", "`c|d`"} {
		if strings.Contains(md, bad) {
			t.Errorf("markdown holds %q raw", bad)
		}
	}
	for _, bad := range []string{"<", ">"} {
		if strings.Contains(string(js), bad) {
			t.Errorf("json holds %q raw", bad)
		}
	}
	var back Answer
	if err := json.Unmarshal(js, &back); err != nil || back.Reply.Title != hostile.Title {
		t.Errorf("json does not round-trip: %v", err)
	}
}

func TestEscapeMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"alice@domaine.com", "alice@domaine.com"},
		{"bm.domaine.com", "bm.domaine.com"},
		{"@everyone", `\@everyone`},
		{"hi @here!", `hi \@here!`},
		{"<!channel>", "&lt;!channel&gt;"},
		{"a & b", "a &amp; b"},
		{"*bold* _it_", `\*bold\* \_it\_`},
		{"[x](y)", `\[x\](y)`},
		{"1. item", `1\. item`},
		{"12) item", `12\) item`},
		{"version 1.2", "version 1.2"},
		{"- item", `\- item`},
		{"e-mail", "e-mail"},
		{"# title", `\# title`},
		{"a|b", `a\|b`},
		{"https://x.example", `https\://x.example`},
		{"`code`", "\\`code\\`"},
		{`back\slash`, `back\\slash`},
		{"(« Settings »).", "(« Settings »)."},
		{"\u202eabc", "abc"},
	}
	for _, tc := range tests {
		if got := EscapeMarkdown(tc.in); got != tc.want {
			t.Errorf("EscapeMarkdown(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCodeSpan(t *testing.T) {
	tests := []struct{ in, want string }{
		{"bm.domaine.com", "`bm.domaine.com`"},
		{"a`b", "`` a`b ``"},
		{"``", "``` `` ```"},
		{" x", "`  x `"},
		{"", "``"},
	}
	for _, tc := range tests {
		if got := CodeSpan(tc.in); got != tc.want {
			t.Errorf("CodeSpan(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEscapeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"a\x1b[2Jb", "a [2Jb"},
		{"x\ry", "x y"},
		{"\u202ereversed\u2066", "reversed"},
		{"caf\xe9", "caf\ufffd"},
		{"«\u00a0non-breaking\u00a0»", "«\u00a0non-breaking\u00a0»"},
	}
	for _, tc := range tests {
		if got := EscapeText(tc.in); got != tc.want {
			t.Errorf("EscapeText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
