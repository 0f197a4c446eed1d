package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
)

// Nothing that dials may start from a request another site can make: a
// live check runs only from a POST that comes from this site's own page
// (Sec-Fetch-Site, else Origin) and carries the form token bound to the
// visitor's form cookie. GET requests never dial.

// formCookie holds a random id that the pages' form token is bound to.
// It is SameSite=Lax: sent when a person follows a link here, never with
// another site's POST. Other sites can neither read it nor the token.
const formCookie = "mailhelp_form"

// crossSite reports whether r was sent by a page of another origin: by
// Sec-Fetch-Site (every browser since 2023), else by Origin against the
// request's host or the public URL. A request with neither header (an
// API client, curl) is not a browser's cross-site request.
func (s *Server) crossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return false
	case "":
	default: // cross-site, same-site (a sibling subdomain), or unknown
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	if s.publicOrigin != "" && origin == s.publicOrigin {
		return false
	}
	u, err := url.Parse(origin)
	return err != nil || u.Host == "" || u.Host != r.Host
}

// originOf returns the origin (scheme://host[:port]) of a base URL, or "".
func originOf(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// formToken returns the token the forms of a page for r carry, setting
// the cookie it is bound to when r has none (or a malformed one).
func formToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(formCookie); err == nil && validConversation(c.Value) {
		return tokenOf(c.Value)
	}
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	id := hex.EncodeToString(raw[:])
	http.SetCookie(w, &http.Cookie{Name: formCookie, Value: id, Path: "/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	return tokenOf(id)
}

// tokenOf derives a form token from the cookie's id. It needs no server
// secret, so that tokens outlive restarts and work on every replica: the
// id is the secret, which another site cannot read.
func tokenOf(id string) string {
	sum := sha256.Sum256([]byte("mailhelp form token\x00" + id))
	return hex.EncodeToString(sum[:16])
}

// validToken reports whether token is the one bound to r's form cookie.
func validToken(r *http.Request, token string) bool {
	c, err := r.Cookie(formCookie)
	if err != nil || !validConversation(c.Value) || token == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(tokenOf(c.Value)), []byte(token)) == 1
}
