package parse

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// fold lowercases s and strips accents ("Vérifié" -> "verifie", "für" ->
// "fur") so that keywords match however they were typed. What is not a
// letter or a digit may come out as a space: fold's result is for words.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	// The letters of the Latin languages fold through a table; text with
	// anything else (combining marks, other scripts) takes the general
	// way, through NFD.
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
		case r >= latinFoldFirst && r < latinFoldLast:
			b.WriteString(latinFold()[r-latinFoldFirst])
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			return foldNFD(s)
		default:
			// Not part of a word, whatever NFD makes of it: a space
			// keeps the words apart (binary input, symbols, U+FFFD).
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// latinFold is foldNFD of each rune from U+00A0 to U+024F (Latin-1,
// Latin Extended-A and -B), made the first time it is needed: not every
// command parses text.
const latinFoldFirst, latinFoldLast = 0xa0, 0x250

var latinFold = sync.OnceValue(func() *[latinFoldLast - latinFoldFirst]string {
	var t [latinFoldLast - latinFoldFirst]string
	for i := range t {
		t[i] = foldNFD(string(rune(latinFoldFirst + i)))
	}
	return &t
})

// foldNFD is fold for any text: decomposed, marks dropped, lowercased.
func foldNFD(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'œ', 'Œ':
			b.WriteString("oe")
		case 'æ', 'Æ':
			b.WriteString("ae")
		case 'ß':
			b.WriteString("ss")
		case '’', '‘', 'ʼ':
			b.WriteByte('\'')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// words splits folded text into words of letters and digits.
func words(folded string) []string {
	var out []string
	start := -1 // of the word being read, or -1 between words
	for i := 0; i < len(folded); {
		var inWord bool
		size := 1
		if c := folded[i]; c < utf8.RuneSelf {
			inWord = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(folded[i:])
			inWord = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			if out == nil {
				out = make([]string, 0, 16)
			}
			out = append(out, folded[start:i])
			start = -1
		}
		i += size
	}
	if start >= 0 {
		out = append(out, folded[start:])
	}
	return out
}
