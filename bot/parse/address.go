package parse

import (
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

const (
	maxLocalLen = 64  // RFC 5321
	maxScan     = 320 // bytes scanned on each side of an "@"
	// maxFound bounds the addresses and hosts collected from one message.
	maxFound = 1000
)

// isLocalRune reports whether r may appear in the local part of an address
// (RFC 5322 atext plus the letters of RFC 6531). Backquote and "|" are left
// out: in chat they are markup, never part of a real address.
func isLocalRune(r rune) bool {
	if r < utf8.RuneSelf {
		c := byte(r)
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("!#$%&'*+/=?^_{}~.-", c) >= 0
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isDomainRune reports whether r may appear in a domain name.
func isDomainRune(r rune) bool {
	if r < utf8.RuneSelf {
		c := byte(r)
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// span is a found item and where it was in the text.
type span struct{ start, end int }

// findAddresses returns the valid addresses in s, in order, at most maxFound,
// with their spans, and how many there were in all (capped at maxFound).
func findAddresses(s string) ([]bot.Address, []span) {
	var addrs []bot.Address
	var spans []span
	for i := 0; i < len(s) && len(addrs) < maxFound; i++ {
		if s[i] != '@' {
			continue
		}
		start := i
		for start > 0 && i-start < maxScan {
			r, size := utf8.DecodeLastRuneInString(s[:start])
			if !isLocalRune(r) {
				break
			}
			start -= size
		}
		end := i + 1
		for end < len(s) && end-i < maxScan {
			r, size := utf8.DecodeRuneInString(s[end:])
			if !isDomainRune(r) {
				break
			}
			end += size
		}
		for start < i && (s[start] == '.' || s[start] == '\'') {
			start++
		}
		local := s[start:i]
		for end > i+1 && (s[end-1] == '.' || s[end-1] == '-') {
			end--
		}
		domain := s[i+1 : end]
		if strings.IndexByte(domain, '.') < 0 {
			continue // no domain without a dot (validHostName): "a@b@c"
		}
		if a, ok := makeAddress(local, domain); ok {
			addrs = append(addrs, a)
			spans = append(spans, span{start, end})
			i = end - 1
		}
	}
	return addrs, spans
}

func makeAddress(local, domain string) (bot.Address, bool) {
	if local == "" || len(local) > maxLocalLen || strings.Contains(local, "..") ||
		strings.HasSuffix(local, ".") || strings.HasPrefix(local, "+") {
		return bot.Address{}, false
	}
	if !validHostName(domain) {
		return bot.Address{}, false
	}
	a := bot.Address{Local: local, Domain: knowledge.DisplayDomain(domain)}
	if base, tag, ok := strings.Cut(local, "+"); ok && base != "" && tag != "" {
		a.Local, a.Tag = base, tag
	}
	return a, true
}

// validHostName reports whether name is a usable DNS name whose last label
// is alphabetic (so "1.2" or "v2.0" are not taken for hosts).
func validHostName(name string) bool {
	if strings.IndexByte(name, '.') < 0 || !knowledge.IsDomain(name) {
		return false
	}
	tld := name[strings.LastIndexByte(name, '.')+1:]
	if utf8.RuneCountInString(tld) < 2 {
		return false
	}
	for _, r := range tld {
		if !unicode.IsLetter(r) && !strings.HasPrefix(tld, "xn--") {
			return false
		}
	}
	return true
}

// findHosts returns the host names and IP addresses in s (with addresses
// already blanked out), with the spans of the words they came from: bare
// names ("bm.domaine.com"), URLs ("https://bm.domaine.com/webmail") and
// names with a port ("bm.domaine.com:993").
func findHosts(s string) ([]string, []span) {
	var hosts []string
	var spans []span
	for i := 0; i < len(s) && len(hosts) < maxFound; {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		start := i
		for i < len(s) && !isSpace(s[i]) {
			i++
		}
		if start == i {
			break
		}
		if h, ok := hostOf(s[start:i]); ok {
			hosts = append(hosts, h)
			spans = append(spans, span{start, i})
		}
	}
	return hosts, spans
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// hostOf extracts the host of one word, if it names one.
func hostOf(f string) (string, bool) {
	if i := strings.Index(f, "://"); i >= 0 {
		f = f[i+3:]
		if j := strings.IndexAny(f, "/?#"); j >= 0 {
			f = f[:j]
		}
		if j := strings.LastIndexByte(f, '@'); j >= 0 { // user:pass@host
			f = f[j+1:]
		}
	}
	if strings.IndexByte(f, '.') < 0 {
		return "", false // no host name without a dot: spare the trimming
	}
	f = strings.TrimFunc(f, func(r rune) bool { return !isDomainRune(r) || r == '.' || r == '-' })
	if j := strings.LastIndexByte(f, ':'); j >= 0 {
		f = f[:j]
	}
	if f == "" || !strings.Contains(f, ".") || isClientName(words(fold(f))) {
		return "", false // "mail.app" names a client, not a server
	}
	// An IPv4 address is digits and dots; anything else is not worth
	// parsing as one.
	if dottedDigits(f) {
		if ip, err := netip.ParseAddr(f); err == nil && ip.Is4() {
			return ip.String(), true
		}
	}
	if validHostName(f) {
		return knowledge.DisplayDomain(f), true
	}
	return "", false
}

// dottedDigits reports whether s is made of ASCII digits and dots only.
func dottedDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '.' && (c < '0' || c > '9') {
			return false
		}
	}
	return s != ""
}
