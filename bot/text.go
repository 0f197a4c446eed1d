package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxTextBytes is the longest request text mailhelp reads. A question is a
// sentence or two; anything longer is refused with a clear answer.
const MaxTextBytes = 4096

// Clean makes untrusted text safe to parse and to show: it is
// StripUnsafe's result, NFC-normalized so that "é" typed as one or two
// code points reads the same.
func Clean(s string) string {
	if isSafeASCII(s) {
		return s
	}
	s = StripUnsafe(s)
	if nfcInert(s) {
		return s
	}
	return norm.NFC.String(s)
}

// nfcInert reports whether NFC leaves s as it is because of the runes it
// is made of: below U+0300 (Latin, with Latin-1's accented letters
// precomposed) or U+FFFD, none of which decomposes or combines with
// another of them (TestNFCInert tries every pair). Most accented text,
// and binary input made safe, is such.
func nfcInert(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= 0x300 && r != utf8.RuneError {
			return false
		}
		i += size
	}
	return true
}

// StripUnsafe removes what could change how text is displayed rather than
// what it says: control characters (so no ANSI escape sequences, no
// carriage return overwriting a line) and line or paragraph separators
// become spaces; invisible format characters (bidi overrides and isolates,
// zero-width joiners, BOM, soft hyphen) are dropped; private-use
// characters become spaces; invalid UTF-8 becomes U+FFFD. Every Reply
// string is one paragraph, so newlines become spaces too.
func StripUnsafe(s string) string {
	// Most text is left as it is: find the first rune to change, and
	// copy only from there.
	first := -1
	for i := 0; i < len(s); {
		if i+8 <= len(s) && printableASCII8(s[i:i+8]) {
			i += 8
			continue
		}
		if c := s[i]; c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !keepRune(r, size) {
			first = i
			break
		}
		i += size
	}
	if first < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:first])
	for i := first; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case keepRune(r, size):
			b.WriteString(s[i-size : i])
		case r == utf8.RuneError && size <= 1:
			b.WriteRune(utf8.RuneError)
		case unicode.Is(unicode.Cf, r):
		default:
			// Controls, line and paragraph separators, private use.
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// printableASCII8 reports whether the 8 bytes of s are all printable
// ASCII (0x20 to 0x7e), looking at them as one word: a byte of 0x80 or
// more sets its top bit, one below 0x20 sets it once 0x20 is taken
// away, 0x7f once it is flipped to 0 and 1 is taken away. A borrow only
// starts at a byte that already set its bit.
func printableASCII8(s string) bool {
	x := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	return (x|(x-0x20*ones)|((x^0x7f*ones)-ones))&highs == 0
}

// keepRune reports whether StripUnsafe keeps r, decoded from size bytes,
// as it is.
func keepRune(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size <= 1:
		return false
	case r < 0x20, r >= 0x7f && r < 0xa0, r == 0x2028, r == 0x2029:
		return false
	case r < 0x600:
		// Latin, Greek, Cyrillic, Hebrew…: the only format character
		// below the Arabic block is the soft hyphen, and none is private.
		return r != 0xad
	}
	return !unicode.Is(unicode.Cf, r) && !unicode.Is(unicode.Co, r)
}

// isSafeASCII reports whether s is printable ASCII only.
func isSafeASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// Plain is text fit to store and ask again: at most MaxTextBytes,
// Clean, on one line with single spaces. Adapters call it on text
// whose platform markup they have already removed.
func Plain(text string) string {
	return strings.Join(strings.Fields(Clean(Truncate(text, MaxTextBytes))), " ")
}

// Clip cuts s to at most n bytes on a rune boundary, ending with "…"
// when it cut, for platforms' length limits.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return Truncate(s, max(n-len("…"), 0)) + "…"
}

// Truncate cuts s to at most n bytes without splitting a rune.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// maxMarkup bounds the inside of one chat markup <…>: a longer one is
// not markup, and its "<" is dropped.
const maxMarkup = 512

// ReplaceMarkup rewrites each chat markup <…> of s with what one returns
// for its inside, set off by spaces; a "<" that opens no markup (no ">"
// within maxMarkup bytes) becomes a space. Adapters give their own
// platform's rules, and the parser then reads plain text.
func ReplaceMarkup(s string, one func(inner string) string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		rest := s[i+1:]
		j := strings.IndexByte(rest[:min(len(rest), maxMarkup+1)], '>')
		if j < 0 {
			b.WriteByte(' ')
			s = rest
			continue
		}
		s = rest[j+1:]
		b.WriteByte(' ')
		b.WriteString(one(rest[:j]))
		b.WriteByte(' ')
	}
}
