package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
)

// conversationCookie names the web chat's conversation, so that a
// follow-up ("it still does not work", "and for iPhone?") is understood
// with the previous answer. It is a random id, not a secret: the router
// keys what it remembers by it and by the client, and forgets it after
// half an hour; nothing is written to disk.
const conversationCookie = "mailhelp_conversation"

// conversation returns the web chat's conversation id of r, setting a
// new one on w when r has none (or a malformed one).
func conversation(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(conversationCookie); err == nil && validConversation(c.Value) {
		return c.Value
	}
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	id := hex.EncodeToString(raw[:])
	http.SetCookie(w, &http.Cookie{Name: conversationCookie, Value: id, Path: "/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	return id
}

// validConversation reports whether v is an id conversation made: 32
// lowercase hex digits.
func validConversation(v string) bool {
	if len(v) != 32 {
		return false
	}
	for _, c := range v {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
