package publish

import (
	"strings"

	"github.com/mailhelp/mailhelp/knowledge"
)

// account is an address a request asked about, of a configured domain.
type account struct {
	// address is as asked, lowercased domain; login is the address
	// without a +tag (what the user logs in with).
	address, login string
	domain         knowledge.Domain
}

// lookupAddress validates an address and finds its configured domain.
// It accepts only a bare address (local@domain): no display name, no
// spaces, no second @.
func lookupAddress(dir *knowledge.Directory, s string) (account, bool) {
	if len(s) > maxAddressLen {
		return account{}, false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || !validLocal(local) || strings.Contains(domain, "@") {
		return account{}, false
	}
	d, ok := dir.Lookup(domain)
	if !ok {
		return account{}, false
	}
	name, _ := knowledge.CanonicalDomain(domain)
	user, _, _ := strings.Cut(local, "+")
	return account{address: local + "@" + name, login: user + "@" + name, domain: d}, true
}

// validLocal accepts a dot-atom local part (RFC 5322): atext characters
// and single dots, at most 64 bytes.
func validLocal(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(".!#$%&'*+/=?^_`{|}~-", c) >= 0 {
			continue
		}
		return false
	}
	return true
}
