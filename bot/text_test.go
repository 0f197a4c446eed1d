package bot

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

func FuzzClean(f *testing.F) {
	f.Add("plain")
	f.Add("\u202e\u2066bidi\u2069\x1b[31mred\x1b[0m\r\n\x00")
	f.Add("\xff\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		c := Clean(s)
		if !utf8.ValidString(c) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		for _, r := range c {
			if r < 0x20 || (r >= 0x7f && r < 0xa0) || unicode.Is(unicode.Cf, r) {
				t.Fatalf("rune %U survived Clean(%q)", r, s)
			}
		}
	})
}
