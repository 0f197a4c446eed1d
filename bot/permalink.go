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
