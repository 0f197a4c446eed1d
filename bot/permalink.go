package bot

import (
	"net/url"
	"strings"
)

// Permalink returns the stable web address of a reply's answer under
// base (the public URL of the web side), or "" when there is none: only
// answers about a client have one. The address, or else the domain, is in
// the query: /fr/blackberry10?address=alice@domaine.com.
func Permalink(base string, r *Reply) string {
	if base == "" || r == nil || r.About.Client == "" || r.Lang == "" {
		return ""
	}
	u := strings.TrimSuffix(base, "/") + "/" + r.Lang + "/" + url.PathEscape(r.About.Client)
	switch {
	case r.About.Address != "":
		u += "?address=" + url.QueryEscape(r.About.Address)
	case r.About.Domain != "":
		u += "?domain=" + url.QueryEscape(r.About.Domain)
	}
	return u
}

// ProfilePath is where the web side serves configuration profiles.
const ProfilePath = "/mobileconfig"

// ProfileLink returns the address of the configuration profile that sets
// up a reply's account in one tap, under base, or "" when the answer
// offers none (About.Profile unset, no address, no base).
func ProfileLink(base string, r *Reply) string {
	if base == "" || r == nil || !r.About.Profile || r.About.Address == "" {
		return ""
	}
	u := strings.TrimSuffix(base, "/") + ProfilePath + "?address=" + url.QueryEscape(r.About.Address)
	if r.Lang != "" {
		u += "&lang=" + url.QueryEscape(r.Lang)
	}
	return u
}
