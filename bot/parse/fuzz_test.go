package parse

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	for _, p := range phrasings {
		f.Add(p.text)
	}
	for _, s := range []string{
		"\x00\xff\xfe configure", "<mailto:|>", "<<<<>>>>", "<@", "a@b@c@d.com", "@@@.com",
		"configure BlackBerry for \u202ealice@domaine.com", "x@" + strings.Repeat("a.", 200) + "com",
		strings.Repeat("é", 3000) + "@domaine.com", "check https://user:pw@bm.domaine.com:993/x?y#z",
		"a+@b.co", "+a@b.co", ".a@b.co", "a..b@c.co", "check ::1", "check [::1]:993",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p := testParser(t).Parse(text)
		if !p.Intent.Valid() {
			t.Fatalf("invalid intent %q", p.Intent)
		}
		if p.Lang != "" && !slices.Contains(testLangs(t), p.Lang) {
			t.Fatalf("unsupported lang %q", p.Lang)
		}
		for _, s := range []string{p.Address.String(), p.Host} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", s)
			}
			for _, r := range s {
				if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.IsSpace(r) || strings.ContainsRune("<>|`\"", r) {
					t.Fatalf("unsafe rune %U in %q", r, s)
				}
			}
		}
		if !p.Address.IsZero() {
			if len(p.Address.Local) == 0 || len(p.Address.Local) > maxLocalLen || !validHostName(p.Address.Domain) {
				t.Fatalf("bad address %q", p.Address)
			}
			if p.Addresses < 1 {
				t.Fatalf("address found but count %d", p.Addresses)
			}
		}
	})
}

// FuzzWords: the one-pass word splitter agrees with strings.FieldsFunc
// on letters and digits.
func FuzzWords(f *testing.F) {
	for _, s := range []string{"", "configure blackberry", "a@b.c  ,x", "élodie l'été 993", "\xff\xfeab", "日本 語"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if got := words(s); !slices.Equal(got, want) {
			t.Fatalf("words(%q) = %q, want %q", s, got, want)
		}
	})
}

// FuzzFold: the table for Latin letters, and the spaces for what is not
// a word's, give the words NFD gives.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"", "Vérifié", "für", "ÆŒß", "Ǆǅǆ", "e\u0301", "日本", "l’été", "\xff", "ĲĳŉſǰȀ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := foldNFD(s)
		if !utf8.ValidString(s) {
			return // the parser folds clean text only
		}
		if got := fold(s); !slices.Equal(words(got), words(want)) {
			t.Fatalf("fold(%q) = %q, words %q; want words %q", s, got, words(got), words(want))
		}
	})
}

// TestFoldEveryRune: every rune, alone and between letters, folds to the
// words NFD gives (every rune of the Basic Multilingual Plane, every
// 13th beyond).
func TestFoldEveryRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r > 0xffff && r%13 != 0 || !utf8.ValidRune(r) {
			continue
		}
		for _, s := range []string{string(r), "a" + string(r) + "b", "é" + string(r) + "ü"} {
			if got, want := words(fold(s)), words(foldNFD(s)); !slices.Equal(got, want) {
				t.Fatalf("fold(%q): words %q, NFD gives %q", s, got, want)
			}
		}
	}
}

// TestBlankOverlapping: spans that overlap, as two addresses sharing
// characters do ("0@a.bc@d.ef"), are blanked as their union.
func TestBlankOverlapping(t *testing.T) {
	for _, tc := range []struct {
		s     string
		spans []span
		want  string
	}{
		{"0@Xn000000000000.AA@0.AA", []span{{0, 19}, {2, 24}}, strings.Repeat(" ", 24)},
		{"ab cd ef", []span{{0, 2}, {1, 5}}, "      ef"},
		{"ab cd ef", []span{{3, 5}, {3, 4}}, "ab    ef"},
		{"ab cd ef", nil, "ab cd ef"},
	} {
		if got := blank(tc.s, tc.spans); got != tc.want {
			t.Errorf("blank(%q, %v) = %q, want %q", tc.s, tc.spans, got, tc.want)
		}
	}
}
