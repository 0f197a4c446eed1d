package slackbot

import (
	"strings"
	"testing"
	"unicode"
)

func FuzzEscapeMrkdwn(f *testing.F) {
	for _, s := range []string{"<!channel>", "<@U123|bob>", "<https://evil.example|click>", "a & b", "`x`", "\u202e<!here>", "&lt;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := EscapeMrkdwn(s)
		if strings.ContainsAny(out, "<>") {
			t.Fatalf("EscapeMrkdwn(%q) = %q keeps an angle bracket", s, out)
		}
		// Every & starts an entity the escaper wrote.
		for i := strings.IndexByte(out, '&'); i >= 0; i = strings.IndexByte(out[i+1:], '&') + i + 1 {
			if !strings.HasPrefix(out[i:], "&amp;") && !strings.HasPrefix(out[i:], "&lt;") && !strings.HasPrefix(out[i:], "&gt;") {
				t.Fatalf("EscapeMrkdwn(%q) = %q: bare & at %d", s, out, i)
			}
			if strings.IndexByte(out[i+1:], '&') < 0 {
				break
			}
		}
		for _, r := range out {
			if r < 0x20 || unicode.Is(unicode.Cf, r) {
				t.Fatalf("EscapeMrkdwn(%q) keeps %U", s, r)
			}
		}
		if c := code(s); strings.Count(c, "`") != 2 {
			t.Fatalf("code(%q) = %q", s, c)
		}
	})
}
