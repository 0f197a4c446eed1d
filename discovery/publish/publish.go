// Package publish serves what lets mail clients configure themselves,
// from the configured domains: Mozilla autoconfig documents, Outlook
// Autodiscover (POX) answers and Apple configuration profiles. mailhelp
// serve mounts its Handler on the web side's standard paths.
//
// Only the configured domains are served: a request chooses a domain
// (by address, or by the autoconfig.<domain> host it was sent to) and
// never puts anything else of its own into a document but the address
// it asked about.
package publish

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/discovery/profile"
	"github.com/mailhelp/mailhelp/knowledge"
)

// The paths the Handler serves; the web side mounts it on these (the
// Autodiscover path in any letter case, as Outlook varies it).
const (
	PathAutoconfig          = "/mail/config-v1.1.xml"
	PathAutoconfigWellKnown = "/.well-known/autoconfig/mail/config-v1.1.xml"
	PathAutodiscover        = "/autodiscover/autodiscover.xml"
	PathProfile             = "/mobileconfig"
	autoconfigHostPrefix    = "autoconfig."
	maxAddressLen           = 254
)

// Settings is what the Handler needs of the current configuration; it is
// asked on every request, so a reload applies at once.
type Settings struct {
	// Directory holds the configured domains.
	Directory *knowledge.Directory
	// DefaultLang is the configuration's default language.
	DefaultLang string
	// PublicURL, when set, is where autoconfig's documentation link
	// points (the guide page of the domain).
	PublicURL string
	// Signer, when set, signs profiles.
	Signer *profile.Signer
}

// Options configures a Handler.
type Options struct {
	// Settings returns the current settings. Required.
	Settings func() Settings
	// Translator gives the profiles' and documents' texts. Required.
	Translator bot.Translator
	// Logger receives failures (never an address). Default slog.Default().
	Logger *slog.Logger
	// Now is the clock of Autodiscover errors; default time.Now.
	Now func() time.Time
}

// Handler serves autoconfig, Autodiscover and profiles.
type Handler struct {
	opts Options
}

// New returns a Handler. It does no I/O.
func New(opts Options) *Handler {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Handler{opts: opts}
}

// ServeHTTP dispatches on the path: autoconfig (GET), Autodiscover
// (POST, any letter case) and profiles (GET). Other paths are 404.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	switch p := r.URL.Path; {
	case p == PathAutoconfig || p == PathAutoconfigWellKnown:
		h.autoconfig(w, r)
	case strings.EqualFold(p, PathAutodiscover):
		h.autodiscover(w, r)
	case p == PathProfile:
		h.profile(w, r)
	default:
		http.NotFound(w, r)
	}
}

// allow answers 405 unless the method is one of methods.
func allow(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}

// lang picks a document's language: asked (?lang=), else the client's
// Accept-Language, else the domain's, else the configuration's.
func (h *Handler) lang(r *http.Request, d knowledge.Domain, def string) string {
	langs := h.opts.Translator.Languages()
	if l := langs.Match(r.URL.Query().Get("lang")); l != "" {
		return l
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if l := langs.Match(tag); l != "" {
			return l
		}
	}
	return langs.Pick(d.Language, def)
}

// requestID tells one request apart in logs and Autodiscover errors.
func requestID() string {
	var b [6]byte
	_, _ = io.ReadFull(rand.Reader, b[:])
	return hex.EncodeToString(b[:])
}
