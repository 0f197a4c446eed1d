package bot

import (
	"net/netip"
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
// offers none (About.Profile unset, no address, no base). A profile sets
// up where the device sends its password, so it is only offered over
// HTTPS (or from this machine, for a trial run): over plain HTTP anyone
// on the way could swap it.
func ProfileLink(base string, r *Reply) string {
	if base == "" || r == nil || !r.About.Profile || r.About.Address == "" || !secureBase(base) {
		return ""
	}
	u := strings.TrimSuffix(base, "/") + ProfilePath + "?address=" + url.QueryEscape(r.About.Address)
	if r.Lang != "" {
		u += "&lang=" + url.QueryEscape(r.Lang)
	}
	return u
}

// secureBase reports whether base is an https URL, or an http one on a
// loopback host.
func secureBase(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	if u.Scheme == "https" {
		return true
	}
	h := u.Hostname()
	if ip, err := netip.ParseAddr(h); err == nil {
		return u.Scheme == "http" && ip.IsLoopback()
	}
	return u.Scheme == "http" && h == "localhost"
}
