package bot

import (
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
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

// stripUnsafeRef is StripUnsafe written the obvious way, one rune at a
// time through the Unicode tables: the fast version must agree with it.
func stripUnsafeRef(s string) string {
	var out []rune
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			out = append(out, utf8.RuneError)
		case r < 0x20, r >= 0x7f && r < 0xa0, r == 0x2028, r == 0x2029:
			out = append(out, ' ')
		case unicode.Is(unicode.Cf, r):
		case unicode.Is(unicode.Co, r):
			out = append(out, ' ')
		default:
			out = append(out, r)
		}
	}
	return string(out)
}

func FuzzStripUnsafe(f *testing.F) {
	for _, s := range []string{"", "plain", "é\u00ad\u0600\u061c\ue000\U000f0000 ok", "a\u2028b\u2029c\x7f\u0085",
		"\u202e\u2066x\u2069", "\xff\xfe\xc3", "日本語\ufeff", "\U000e0001tag"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := StripUnsafe(s), stripUnsafeRef(s); got != want {
			t.Fatalf("StripUnsafe(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestPrintableASCII8 tries every byte at every position among
// printable neighbours.
func TestPrintableASCII8(t *testing.T) {
	for pos := range 8 {
		for b := range 256 {
			buf := []byte("abcdefgh")
			buf[pos] = byte(b)
			want := b >= 0x20 && b < 0x7f
			if got := printableASCII8(string(buf)); got != want {
				t.Errorf("byte %#x at %d: %v, want %v", b, pos, got, want)
			}
		}
	}
	for _, s := range []string{"\x00\x00\x00\x00\x00\x00\x00\x00", "\x7f~~~~~~~", "~~~~~~~\x7f", " !~ !~ !", "\xff\xff\xff\xff\xff\xff\xff\xff", "\x1f\x20\x20\x20\x20\x20\x20\x20"} {
		want := isSafeASCII(s)
		if got := printableASCII8(s); got != want {
			t.Errorf("%q: %v, want %v", s, got, want)
		}
	}
}

// TestNFCInert: NFC leaves every rune nfcInert accepts, and every pair
// of them, as it is.
func TestNFCInert(t *testing.T) {
	var inert []rune
	for r := rune(0); r < 0x300; r++ {
		inert = append(inert, r)
	}
	inert = append(inert, utf8.RuneError)
	for _, a := range inert {
		for _, b := range inert {
			s := string([]rune{a, b})
			if !nfcInert(s) {
				t.Fatalf("%q not inert", s)
			}
			if n := norm.NFC.String(s); n != s {
				t.Fatalf("NFC(%q) = %q", s, n)
			}
		}
	}
	for _, s := range []string{"e\u0301", "\u0301", "ﬁ", "\u212b", "가"} {
		if nfcInert(s) {
			t.Errorf("%q taken as inert", s)
		}
	}
}

// FuzzCleanNFC: Clean is StripUnsafe then NFC, whatever shortcut it takes.
func FuzzCleanNFC(f *testing.F) {
	for _, s := range []string{"plain", "élodie", "e\u0301t\u00e9", "\xff\xfe", "\u202eabc", "\u212b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Clean(s), norm.NFC.String(StripUnsafe(s)); got != want {
			t.Fatalf("Clean(%q) = %q, want %q", s, got, want)
		}
	})
}
