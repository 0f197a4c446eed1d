package render

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func noControls(t *testing.T, fn, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("%s(%q): invalid UTF-8", fn, in)
	}
	for _, r := range out {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) || unicode.Is(unicode.Cf, r) || r == 0x2028 || r == 0x2029 {
			t.Fatalf("%s(%q): rune %U survived", fn, in, r)
		}
	}
}

var fuzzSeeds = []string{"", "plain", "<!channel> @everyone", "[x](javascript:alert(1))", "1. a", "`", "a``b",
	"\x1b[31m\u202e\r\n", "https://evil.example", "&lt;", "\\", "- + =", "\xff"}

func FuzzEscapeMarkdown(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := EscapeMarkdown(s)
		noControls(t, "EscapeMarkdown", s, out)
		if strings.ContainsAny(out, "<>") {
			t.Fatalf("EscapeMarkdown(%q) = %q keeps an angle bracket", s, out)
		}
		// Every special character is preceded by a backslash.
		for i := 0; i < len(out); i++ {
			if strings.IndexByte("*_[]`|~#", out[i]) >= 0 && (i == 0 || out[i-1] != '\\') {
				t.Fatalf("EscapeMarkdown(%q) = %q: %q at %d unescaped", s, out, out[i], i)
			}
		}
		if i := strings.Index(out, "@"); i >= 0 && (i == 0 || out[i-1] == ' ') {
			t.Fatalf("EscapeMarkdown(%q) = %q: @ starts a word", s, out)
		}
		if i := strings.Index(out, "://"); i >= 0 && (i == 0 || out[i-1] != '\\') {
			t.Fatalf("EscapeMarkdown(%q) = %q keeps a URL scheme", s, out)
		}
	})
}

func FuzzCodeSpan(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := CodeSpan(s)
		noControls(t, "CodeSpan", s, out)
		// The fence is longer than any backquote run inside.
		fence := len(out) - len(strings.TrimLeft(out, "`"))
		inner := strings.TrimSuffix(strings.TrimPrefix(out, strings.Repeat("`", fence)), strings.Repeat("`", fence))
		if strings.Contains(inner, strings.Repeat("`", fence)) {
			t.Fatalf("CodeSpan(%q) = %q: the fence occurs inside", s, out)
		}
	})
}

func FuzzEscapeText(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		noControls(t, "EscapeText", s, EscapeText(s))
	})
}
