// Package web is mailhelp's HTTP side, served by mailhelp serve:
// permalink pages of answers for helpdesk tickets (and their Markdown
// ticket text), a web chat, a JSON API, and health, readiness and
// Prometheus metrics endpoints.
//
// Like every adapter it only translates: a URL or a JSON body becomes a
// bot.Request, and the bot.Reply becomes HTML (written in Go with
// html/template's escaping, see html.go) or JSON. Assets are embedded;
// pages need no external resource and the Content-Security-Policy
// allows no inline script.
package web

import (
	"context"
	"embed"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/mailhelp/mailhelp/bot"
)

//go:embed static/*
var staticFS embed.FS

// The standard paths of autoconfig and Autodiscover (see
// Options.Discovery).
const (
	autoconfigPath   = "/mail/config-v1.1.xml"
	autodiscoverPath = "/autodiscover/autodiscover.xml"
)

// maxBody bounds a request body: a JSON request, or a chat form.
const maxBody = 16 << 10

// MaxHeaderBytes is the most a request's head (request line and headers
// together) may hold; a bigger one is refused with 431.
const MaxHeaderBytes = 16 << 10

// headerSlop is what net/http reads beyond http.Server.MaxHeaderBytes
// before it refuses a head (its bufio slop, 4 KiB).
const headerSlop = 4 << 10

// Options configures a Server. The zero value of an optional field
// means its default.
type Options struct {
	// Router answers requests. Required.
	Router bot.Answerer
	// Translator gives the pages' own words. Required. Its messages
	// must not change while the server runs: the pages' own words are
	// translated once per language.
	Translator bot.Translator
	// DefaultLang is the pages' language when the browser says nothing.
	DefaultLang string
	// PublicURL is the base of permalinks; empty means the address the
	// request came to.
	PublicURL string
	// Logger receives one line per request (route, status, duration;
	// never a query string, an address or a body). Default slog.Default().
	Logger *slog.Logger
	// Metrics, when set, is served at /metrics.
	Metrics *Metrics
	// Ready reports whether the process can serve (configuration loaded,
	// adapters connected); nil means ready.
	Ready func() error
	// Degraded reports what works less well while the process still
	// serves (the shared store down): /readyz stays 200 and says it, so
	// that a load balancer keeps every replica. Nil means nothing.
	Degraded func() error
	// Mounts are other handlers served on the same listener, by
	// ServeMux pattern ("POST /slack/events": the Slack adapter's HTTP
	// mode).
	Mounts map[string]http.Handler
	// Discovery, when set, serves what lets mail apps configure
	// themselves: it is mounted on autoconfig's paths
	// (/mail/config-v1.1.xml and its /.well-known twin), Autodiscover's
	// (/autodiscover/autodiscover.xml, in any letter case) and
	// ProfilePath; answers for iPhone, iPad and Mac then offer their
	// profile in one tap, with a QR code.
	Discovery http.Handler
	// ProfileSigned reports whether profiles are signed, for the page to
	// say what the device will show; nil means unsigned.
	ProfileSigned func() bool
	// TrustedProxies are the reverse proxies in front of the server
	// (config web.trusted_proxies). Only when the TCP peer is in one of
	// them are X-Forwarded-For and Forwarded read, and the client is the
	// rightmost hop that is not a trusted proxy. None: the peer is the
	// client, whatever the headers say.
	TrustedProxies []netip.Prefix
}

// Server is the web side. It is an http.Handler, safe for concurrent use.
type Server struct {
	opts    Options
	mux     *http.ServeMux
	results results
	// ui holds the pages' own words by language (see uiOf).
	ui sync.Map
	// publicOrigin is PublicURL's scheme://host, an origin whose
	// requests are this site's own even when the Host header differs (a
	// reverse proxy rewriting it).
	publicOrigin string
	// rendered, set by tests, sees every page written.
	rendered func(name string, p *page, html string)
}

// New builds a Server. It does no I/O.
func New(opts Options) (*Server, error) {
	if opts.Router == nil || opts.Translator == nil {
		return nil, fmt.Errorf("web: Router and Translator are required")
	}
	if !opts.Translator.Languages().Has(opts.DefaultLang) {
		opts.DefaultLang = bot.LangEnglish
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	s := &Server{opts: opts, mux: http.NewServeMux(), publicOrigin: originOf(opts.PublicURL)}
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /{$}", s.chat)
	s.mux.HandleFunc("GET /ask", s.ask)
	s.mux.HandleFunc("POST /ask", s.ask)
	s.mux.HandleFunc("GET /{lang}/{client}", s.permalink)
	s.mux.HandleFunc("GET /{lang}/{client}/ticket", s.ticket)
	s.mux.HandleFunc("GET /check/{id}", s.checkResult)
	s.mux.HandleFunc("GET /check/{id}/ticket", s.checkResultTicket)
	s.mux.HandleFunc("POST /api/v1/ask", s.apiAsk)
	s.mux.HandleFunc("POST /api/v1/check", s.apiCheck)
	s.mux.HandleFunc("POST /api/v1/discovery", s.apiDiscovery)
	s.mux.HandleFunc("/api/v1/ask", s.apiMethodNotAllowed)
	s.mux.HandleFunc("/api/v1/check", s.apiMethodNotAllowed)
	s.mux.HandleFunc("/api/v1/discovery", s.apiMethodNotAllowed)
	if d := s.opts.Discovery; d != nil {
		s.mux.Handle("GET "+autoconfigPath, d)
		s.mux.Handle("GET /.well-known/autoconfig"+autoconfigPath, d)
		// Outlook POSTs; a GET is answered 405 by d rather than taken
		// for a permalink.
		s.mux.Handle("POST "+autodiscoverPath, d)
		s.mux.Handle("GET "+autodiscoverPath, d)
		s.mux.Handle("GET "+bot.ProfilePath, d)
	}
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.Handle("GET /static/{file}", http.FileServerFS(staticFS))
	if s.opts.Metrics != nil {
		s.mux.Handle("GET /metrics", s.opts.Metrics.Handler())
	}
	for pattern, h := range s.opts.Mounts {
		s.mux.Handle(pattern, h)
	}
	s.mux.HandleFunc("/", s.notFoundPage)
}

// ServeHTTP adds the security headers, recovers panics and logs each
// request without its query or body.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	// Same-origin only: no address in a URL leaks to another site, and
	// browsers send this site's own Origin with its forms' POSTs (with
	// no-referrer they send "Origin: null").
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	if s.opts.Discovery != nil && r.URL.Path != autodiscoverPath && strings.EqualFold(r.URL.Path, autodiscoverPath) {
		// Outlook writes /Autodiscover/Autodiscover.xml, or any mix.
		r.URL.Path = autodiscoverPath
	}
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		if v := recover(); v != nil {
			s.opts.Logger.Error("http panic", "route", r.Pattern, "panic", fmt.Sprint(v))
			if !sw.wrote {
				writeError(sw, http.StatusInternalServerError, "internal", "internal error")
			}
		}
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		if s.opts.Metrics != nil {
			s.opts.Metrics.httpRequest(route, sw.status)
		}
		s.opts.Logger.LogAttrs(context.Background(), slog.LevelInfo, "http", slog.String("method", r.Method),
			slog.String("route", route), slog.Int("status", sw.status), slog.Int64("duration_ms", time.Since(start).Milliseconds()))
	}()
	s.mux.ServeHTTP(sw, r)
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// HTTPServer returns an http.Server for h with every timeout set and the
// header size bounded, so slow or greedy clients cannot hold it.
func HTTPServer(addr string, h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		// A live check may take its whole budget (check.budget: 15 s by
		// default, 2 min at most, and a reload may raise it), and an
		// account test its clean-up (10 s at most) after that: the
		// answer must still get out.
		WriteTimeout: 2*time.Minute + 30*time.Second,
		IdleTimeout:  60 * time.Second,
		// net/http allows MaxHeaderBytes plus its 4 KiB slop: the head
		// really is capped at MaxHeaderBytes.
		MaxHeaderBytes: MaxHeaderBytes - headerSlop,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// baseURL is where permalinks point: the configured public URL, else
// the origin the request came to.
func (s *Server) baseURL(r *http.Request) string {
	if s.opts.PublicURL != "" {
		return s.opts.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// pageLang picks the pages' language: ?lang=, else Accept-Language,
// else the default.
func (s *Server) pageLang(r *http.Request) string {
	return s.langOf(r, r.URL.Query().Get("lang"))
}

// langOf picks the pages' language: asked (a lang field), else
// Accept-Language, else the default.
func (s *Server) langOf(r *http.Request, asked string) string {
	langs := s.langs()
	if l := langs.Match(asked); l != "" {
		return l
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if l := langs.Match(tag); l != "" {
			return l
		}
	}
	return s.opts.DefaultLang
}
