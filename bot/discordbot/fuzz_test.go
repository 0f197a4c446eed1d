package discordbot

import (
	"strings"
	"testing"
	"unicode"
)

func FuzzEscapeMarkdown(f *testing.F) {
	for _, s := range []string{"@everyone", "@here", "<@&123>", "<@!42>", "<#99>", "[click](https://evil.example)", "**bold** __u__ ~~s~~ ||spoiler||", "`code`", "> quote", "# h", "\u202e@everyone"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := EscapeMarkdown(s)
		for _, bad := range []string{"@everyone", "@here", "<@", "<#"} {
			if strings.Contains(out, bad) {
				t.Fatalf("EscapeMarkdown(%q) = %q keeps %q", s, out, bad)
			}
		}
		// Every markdown character is escaped by a backslash.
		for i := 0; i < len(out); i++ {
			if strings.IndexByte("*_~`|>[]()#", out[i]) >= 0 {
				n := 0
				for j := i - 1; j >= 0 && out[j] == '\\'; j-- {
					n++
				}
				if n%2 == 0 {
					t.Fatalf("EscapeMarkdown(%q) = %q: %q at %d unescaped", s, out, out[i], i)
				}
			}
		}
		for _, r := range out {
			if r < 0x20 || (unicode.Is(unicode.Cf, r) && r != '\u200d') {
				t.Fatalf("EscapeMarkdown(%q) keeps %U", s, r)
			}
		}
	})
}
