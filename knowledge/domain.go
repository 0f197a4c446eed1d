package knowledge

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// ErrInvalidDomain is returned for a name that is not a usable domain.
var ErrInvalidDomain = errors.New("invalid domain name")

// maxDomainLen is the longest domain name DNS can carry (RFC 1035).
const maxDomainLen = 253

// CanonicalDomain returns the lookup key of a domain or host name: lowercase
// ASCII (internationalized names in their xn-- form), no trailing dot. Two
// spellings of one name ("Société.fr", "xn--socit-esa.fr") give the same key.
func CanonicalDomain(name string) (string, error) {
	ascii, fail := canonicalDomain(name, false)
	switch {
	case fail.idna != nil:
		return "", fmt.Errorf("%w: %q: %w", ErrInvalidDomain, truncate(fail.name, 64), fail.idna)
	case fail.badLabel:
		return "", fmt.Errorf("%w: %q: bad label %q", ErrInvalidDomain, truncate(fail.name, 64), truncate(fail.label, 64))
	case fail.bad:
		return "", fmt.Errorf("%w: %q", ErrInvalidDomain, truncate(fail.name, 64))
	}
	return ascii, nil
}

// IsDomain reports whether CanonicalDomain accepts name, without the
// cost of saying why not: parsers try it on every word with an "@" or a
// dot.
func IsDomain(name string) bool {
	_, fail := canonicalDomain(name, true)
	return !fail.bad
}

// domainFailure is why canonicalDomain refused a name.
type domainFailure struct {
	bad      bool
	name     string // the name, trimmed
	idna     error  // the idna package's reason, if it refused
	badLabel bool   // a label is bad: label
	label    string
}

// canonicalDomain is CanonicalDomain; quick skips asking the idna package
// why a name it would refuse is refused.
func canonicalDomain(name string, quick bool) (string, domainFailure) {
	name = strings.TrimSuffix(strings.TrimSpace(name), ".")
	if name == "" || len(name) > 4*maxDomainLen {
		return "", domainFailure{bad: true, name: name}
	}
	ascii, ok := plainLDH(name)
	if !ok && quick && hasNonLDHASCII(name) {
		// IDNA's STD3 rules refuse every ASCII character but letters,
		// digits, hyphens and dots: no need to ask it why.
		return "", domainFailure{bad: true, name: name}
	}
	if !ok {
		var err error
		if ascii, err = idna.Lookup.ToASCII(name); err != nil {
			return "", domainFailure{bad: true, name: name, idna: err}
		}
		ascii = strings.ToLower(ascii)
	}
	if len(ascii) > maxDomainLen || !strings.Contains(ascii, ".") {
		return "", domainFailure{bad: true, name: name}
	}
	if label, bad := badLabel(ascii); bad {
		return "", domainFailure{bad: true, name: name, badLabel: true, label: label}
	}
	return ascii, domainFailure{}
}

// DisplayDomain returns the form of a domain to show people: Unicode where
// the name is internationalized, lowercase. It falls back to the input.
func DisplayDomain(name string) string {
	trimmed := strings.TrimSuffix(name, ".")
	if lower, ok := plainLDH(trimmed); ok {
		if _, bad := badLabel(lower); !bad {
			// IDNA would only lowercase it.
			return lower
		}
	}
	u, err := idna.Lookup.ToUnicode(trimmed)
	if err != nil {
		return strings.ToLower(name)
	}
	return u
}

// truncate cuts s to n bytes on a rune boundary, for error messages.
// (bot.Clip is the same for the rest of the module; knowledge and probe
// import nothing from it.)
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// plainLDH returns name in lowercase when it is made of ASCII letters,
// digits, hyphens and dots only and has no punycode label: IDNA mapping
// would not change it, so the label checks that follow are all it needs.
// Configurations of tens of thousands of domains are such names, and
// IDNA processing was most of their loading time.
func plainLDH(name string) (string, bool) {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return "", false
		}
	}
	lower := strings.ToLower(name)
	for rest := lower; ; {
		label, tail, more := strings.Cut(rest, ".")
		// Punycode, and IDNA's hyphen rule ("ab--…" is reserved), are
		// left to the idna package.
		if len(label) >= 4 && label[2:4] == "--" {
			return "", false
		}
		if !more {
			return lower, true
		}
		rest = tail
	}
}

// hasNonLDHASCII reports whether name holds an ASCII character other
// than a letter, a digit, a hyphen or a dot.
func hasNonLDHASCII(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c < utf8.RuneSelf && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return true
		}
	}
	return false
}

// badLabel returns the first label of a dotted name that is empty,
// longer than 63 bytes, or starts or ends with a hyphen.
func badLabel(name string) (string, bool) {
	for rest := name; ; {
		label, tail, more := strings.Cut(rest, ".")
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return label, true
		}
		if !more {
			return "", false
		}
		rest = tail
	}
}
