package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/web"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/internal/testbot"
	"github.com/mailhelp/mailhelp/locales"
	"github.com/mailhelp/mailhelp/probe"
)

const testConfig = `
default_language: en
domains:
  - domain: domaine.com
    host: bm.domaine.com
    support: support@domaine.com
    language: fr
`

// stubProber answers every check with rep, or err.
type stubProber struct {
	rep   *probe.Report
	err   error
	pause time.Duration // as a real check takes time
}

func (s stubProber) Check(ctx context.Context, t probe.Target, c *probe.Credentials) (*probe.Report, error) {
	select {
	case <-time.After(s.pause):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if s.err != nil {
		return nil, s.err
	}
	r := *s.rep
	r.Host = t.Host
	if r.Started.IsZero() {
		r.Started = time.Date(2026, 11, 30, 9, 30, 0, 0, time.UTC)
	}
	return &r, nil
}

type fixture struct {
	handler http.Handler
	logs    *bytes.Buffer
	ready   error
}

// translator loads the messages.
func translator(t testing.TB) *locales.Catalog {
	t.Helper()
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// routerOf is the router of the test configuration, with no live check.
func routerOf(t testing.TB, log *slog.Logger) *bot.Router {
	t.Helper()
	cfg, err := config.Parse([]byte(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	cat := translator(t)
	r := bot.NewRouter(bot.RouterOptions{Translator: cat, Parser: cat.Parser(), DefaultLang: "en", DomainLang: handlers.DomainLang(cfg.Directory), Logger: log})
	handlers.Register(r, handlers.Deps{Directory: cfg.Directory, Translator: cat})
	return r
}

func newFixture(t testing.TB, prober handlers.Prober, limiter handlers.Limiter) *fixture {
	t.Helper()
	return newFixtureWith(t, prober, limiter, nil)
}

// newFixtureWith is newFixture with the web options changed by opt.
func newFixtureWith(t testing.TB, prober handlers.Prober, limiter handlers.Limiter, opt func(*web.Options)) *fixture {
	t.Helper()
	cfg, err := config.Parse([]byte(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	cat := translator(t)
	f := &fixture{logs: &bytes.Buffer{}}
	log := slog.New(slog.NewJSONHandler(f.logs, nil))
	metrics := web.NewMetrics()
	r := bot.NewRouter(bot.RouterOptions{Translator: cat, Parser: cat.Parser(), DefaultLang: "en", DomainLang: handlers.DomainLang(cfg.Directory),
		Logger: log, Observer: metrics, Memory: bot.NewLocalMemory(30*time.Minute, 100, nil)})
	handlers.Register(r, handlers.Deps{Directory: cfg.Directory, Prober: prober, Limiter: limiter, Translator: cat})
	opts := web.Options{Router: r, Translator: cat, DefaultLang: "en", PublicURL: "https://help.domaine.com",
		Logger: log, Metrics: metrics, Ready: func() error { return f.ready }}
	if opt != nil {
		opt(&opts)
	}
	h, err := web.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	f.handler = h
	return f
}

func (f *fixture) do(t testing.TB, method, target, ctype, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	return rec
}

var okReport = &probe.Report{Verdict: probe.StatusOK, Endpoints: []probe.EndpointReport{
	{Endpoint: probe.Endpoint{Protocol: probe.IMAP, Port: 993, Security: probe.ImplicitTLS}, Status: probe.StatusOK},
	{Endpoint: probe.Endpoint{Protocol: probe.SMTP, Port: 587, Security: probe.StartTLS, Submission: true}, Status: probe.StatusOK},
}}

func TestPages(t *testing.T) {
	f := newFixture(t, stubProber{rep: okReport}, nil)
	tests := []struct {
		name, target string
		hdr          []string
		status       int
		want, forbid []string
	}{
		{"chat", "/", nil, 200, []string{`<form id="ask"`, "configure iPhone for alice@domaine.com", `hreflang="fr"`}, nil},
		{"chat in French by the browser", "/", []string{"Accept-Language", "fr-FR,fr;q=0.9"}, 200, []string{`<html lang="fr">`, "Votre question"}, nil},
		{"ask page", "/ask?q=configure+BlackBerry+for+alice%40domaine.com", nil, 200,
			[]string{"Set up BlackBerry 10 for alice@domaine.com", "“Email Accounts”", `class="copy"`, "https://help.domaine.com/en/blackberry10?address=alice%40domaine.com"}, nil},
		{"ask fragment", "/ask?partial=1&q=help", nil, 200, []string{`<div class="exchange">`}, []string{"<html"}},
		{"hostile question is escaped", "/ask?q=" + urlEncode("<script>alert(1)</script> @everyone <!channel> [x](javascript:alert(1))"), nil, 200,
			[]string{"&lt;script&gt;"}, []string{"<script>alert", "<!channel>"}},
		{"empty question", "/ask?q=", nil, 303, nil, nil},
		{"permalink", "/en/blackberry10?address=alice%40domaine.com", nil, 200,
			[]string{"Set up BlackBerry 10 for alice@domaine.com", `href="/fr/blackberry10?address=alice%40domaine.com"`, "/en/blackberry10/ticket?address="}, nil},
		{"permalink in French", "/fr/blackberry10?address=alice%40domaine.com", nil, 200, []string{"Configurer BlackBerry 10 pour alice@domaine.com", `<html lang="fr">`}, nil},
		{"permalink by domain", "/en/thunderbird?domain=domaine.com", nil, 200, []string{"bm.domaine.com", "?domain=domaine.com"}, nil},
		{"iphone is an alias", "/en/iphone?address=alice%40domaine.com", nil, 200, []string{"iPhone / iPad", "alice@domaine.com"}, nil},
		{"android", "/en/android?address=alice%40domaine.com", nil, 200, []string{"Android (Gmail app)", "alice@domaine.com"}, nil},
		{"outlook asks which one", "/en/outlook?address=alice%40domaine.com", nil, 200, []string{"Which Outlook do you use?", "new Outlook for Windows", "classic Outlook for Windows", "Outlook for iOS and Android"}, nil},
		{"ticket links, both forms", "/en/ios?address=alice%40domaine.com", nil, 200, []string{"/en/ios/ticket?address=alice%40domaine.com", "/en/ios/ticket?address=alice%40domaine.com&amp;format=text"}, nil},
		{"permalink in German", "/de/blackberry10?address=alice%40domaine.com", nil, 200, []string{"BlackBerry 10 für alice@domaine.com einrichten", `<html lang="de">`,
			`href="/en/blackberry10?address=alice%40domaine.com"`, `href="/es/blackberry10?address=alice%40domaine.com"`, `href="/fr/blackberry10?address=alice%40domaine.com"`, ">Español<"}, []string{`id="lang-de"`}},
		{"permalink in Spanish", "/es/blackberry10?address=alice%40domaine.com", nil, 200, []string{"Configurar BlackBerry 10 para alice@domaine.com", `<html lang="es">`, ">Deutsch<"}, nil},
		{"chat in Spanish by the browser", "/", []string{"Accept-Language", "es-419,es;q=0.9"}, 200, []string{`<html lang="es">`}, nil},
		{"ask in German", "/ask?q=" + urlEncode("Wie richte ich mein BlackBerry für alice@domaine.com ein?"), nil, 200, []string{"BlackBerry 10 für alice@domaine.com einrichten"}, nil},
		{"bad address in an IDN form", "/en/blackberry10?address=" + urlEncode("alice@domaine.com extra"), nil, 404, []string{"does not hold a valid mail address"}, nil},
		{"unknown client", "/fr/nokia3310?address=alice%40domaine.com", nil, 404, []string{"Page introuvable", `href="/fr/ios?address=alice%40domaine.com"`, `href="/fr/blackberry10?address=alice%40domaine.com"`}, nil},
		{"unknown language", "/xx/blackberry10", nil, 404, []string{"Page not found"}, nil},
		{"bad address", "/en/blackberry10?address=%3Cscript%3E", nil, 404, []string{"does not hold a valid mail address"}, []string{"<script>"}},
		{"unknown domain", "/en/blackberry10?domain=nowhere.example", nil, 404, []string{"nowhere.example is not in mailhelp"}, nil},
		{"other path", "/no/such/page/here", nil, 404, []string{"Page not found"}, nil},
		{"static script", "/static/app.js", nil, 200, []string{"use strict"}, nil},
		{"health", "/healthz", nil, 200, []string{`"ok"`}, nil},
		{"ready", "/readyz", nil, 200, []string{`"ready"`}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.do(t, "GET", tc.target, "", "", tc.hdr...)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d\n%s", rec.Code, tc.status, rec.Body.String())
			}
			body := rec.Body.String()
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q", w)
				}
			}
			for _, w := range tc.forbid {
				if strings.Contains(body, w) {
					t.Errorf("body holds %q", w)
				}
			}
			if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("CSP = %q", csp)
			}
		})
	}
}

func TestTicket(t *testing.T) {
	f := newFixture(t, nil, nil)
	rec := f.do(t, "GET", "/fr/blackberry10/ticket?address=alice%40domaine.com", "", "")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/markdown") ||
		!strings.HasPrefix(rec.Body.String(), "## Configurer BlackBerry 10 pour alice@domaine.com") ||
		!strings.Contains(rec.Body.String(), "https://help.domaine.com/fr/blackberry10?address=alice%40domaine.com") {
		t.Errorf("%d %s\n%s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	rec = f.do(t, "GET", "/en/blackberry10/ticket?format=text&address=alice%40domaine.com", "", "")
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") || !strings.HasPrefix(rec.Body.String(), "Set up BlackBerry 10 for alice@domaine.com\n=====") {
		t.Errorf("plain ticket: %s\n%.200s", rec.Header().Get("Content-Type"), rec.Body.String())
	}
	if rec := f.do(t, "GET", "/en/nokia/ticket", "", ""); rec.Code != 404 {
		t.Errorf("unknown client ticket: %d", rec.Code)
	}
}

func TestAPIAsk(t *testing.T) {
	f := newFixture(t, nil, nil)
	rec := f.do(t, "POST", "/api/v1/ask", "application/json", `{"text":"configure BlackBerry for alice@domaine.com","lang":"fr"}`)
	var resp struct {
		Intent    string
		Permalink string
		Reply     struct{ Title, Lang string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || rec.Code != 200 {
		t.Fatalf("%d %v %s", rec.Code, err, rec.Body.String())
	}
	if resp.Intent != "configure" || resp.Reply.Lang != "fr" || resp.Permalink != "https://help.domaine.com/fr/blackberry10?address=alice%40domaine.com" {
		t.Errorf("got %+v", resp)
	}
	for text, lang := range map[string]string{
		"Wie richte ich mein BlackBerry für alice@domaine.com ein?": "de",
		"¿Cómo configuro mi BlackBerry para alice@domaine.com?":     "es",
	} {
		body, _ := json.Marshal(map[string]string{"text": text})
		rec := f.do(t, "POST", "/api/v1/ask", "application/json", string(body))
		var got struct {
			Permalink string
			Reply     struct{ Lang string }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got.Reply.Lang != lang ||
			got.Permalink != "https://help.domaine.com/"+lang+"/blackberry10?address=alice%40domaine.com" {
			t.Errorf("%s: %d %+v %v", lang, rec.Code, got, err)
		}
	}
	ts := f.do(t, "POST", "/api/v1/ask", "application/json", `{"text":"my phone says certificate error"}`)
	var tsResp struct{ Intent, Symptom string }
	if err := json.Unmarshal(ts.Body.Bytes(), &tsResp); err != nil || tsResp.Intent != "troubleshoot" || tsResp.Symptom != "cert_warning" {
		t.Errorf("troubleshoot: %v %s", err, ts.Body.String())
	}
	errs := []struct {
		name, method, target, ctype, body string
		status                            int
		code                              string
	}{
		{"wrong content type", "POST", "/api/v1/ask", "text/plain", `{"text":"x"}`, 415, "unsupported_media_type"},
		{"bad json", "POST", "/api/v1/ask", "application/json", `{"text":`, 400, "bad_json"},
		{"unknown field", "POST", "/api/v1/ask", "application/json", `{"text":"x","admin":true}`, 400, "bad_json"},
		{"oversized body", "POST", "/api/v1/ask", "application/json", `{"text":"` + strings.Repeat("a", 20000) + `"}`, 413, "body_too_large"},
		{"bad language", "POST", "/api/v1/ask", "application/json", `{"text":"x","lang":"xx"}`, 400, "bad_lang"},
		{"wrong method", "GET", "/api/v1/ask", "", "", 405, "method_not_allowed"},
		{"unknown endpoint", "POST", "/api/v1/nope", "application/json", `{}`, 404, "not_found"},
		{"unknown api path", "GET", "/api/v2", "", "", 404, "not_found"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.do(t, tc.method, tc.target, tc.ctype, tc.body)
			var e struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != tc.status || e.Error.Code != tc.code {
				t.Errorf("%d %q (%v), want %d %s", rec.Code, rec.Body.String(), err, tc.status, tc.code)
			}
		})
	}
}

func TestAPICheck(t *testing.T) {
	f := newFixture(t, stubProber{rep: okReport}, probe.NewLimiter(probe.Limits{PerUser: 2}, nil))
	rec := f.do(t, "POST", "/api/v1/check", "application/json", `{"address":"alice@domaine.com"}`)
	var rep probe.Report
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil || rec.Code != 200 || rep.Verdict != probe.StatusOK || rep.Host != "bm.domaine.com" {
		t.Fatalf("%d %v %s", rec.Code, err, rec.Body.String())
	}
	for _, tc := range []struct {
		body   string
		status int
		code   string
	}{
		{`{"address":"alice@domaine.com","host":"bm.domaine.com"}`, 400, "bad_target"},
		{`{}`, 400, "bad_target"},
		{`{"host":"not a host"}`, 400, "bad_target"},
		{`{"address":"jo@nowhere.example"}`, 404, "unknown_domain"},
	} {
		rec := f.do(t, "POST", "/api/v1/check", "application/json", tc.body)
		if !strings.Contains(rec.Body.String(), `"code":"`+tc.code+`"`) || rec.Code != tc.status {
			t.Errorf("%s: %d %s", tc.body, rec.Code, rec.Body.String())
		}
	}
	// Two checks per client are allowed (refused requests never reached
	// the limiter): the second passes, the third waits.
	if rec = f.do(t, "POST", "/api/v1/check", "application/json", `{"host":"bm.domaine.com"}`); rec.Code != 200 {
		t.Fatalf("second check: %d", rec.Code)
	}
	rec = f.do(t, "POST", "/api/v1/check", "application/json", `{"host":"bm.domaine.com"}`)
	if rec.Code != 429 || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), `"rate_limited"`) {
		t.Errorf("%d %q %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body.String())
	}

	refused := newFixture(t, stubProber{err: &probe.PolicyError{Code: "not_allowed"}}, nil)
	rec = refused.do(t, "POST", "/api/v1/check", "application/json", `{"host":"evil.example"}`)
	if rec.Code != 403 || !strings.Contains(rec.Body.String(), `"not_allowed"`) {
		t.Errorf("%d %s", rec.Code, rec.Body.String())
	}
	disabled := newFixture(t, nil, nil)
	rec = disabled.do(t, "POST", "/api/v1/check", "application/json", `{"host":"bm.domaine.com"}`)
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), `"check_disabled"`) {
		t.Errorf("%d %s", rec.Code, rec.Body.String())
	}
}

func TestMetricsAndReadiness(t *testing.T) {
	f := newFixture(t, stubProber{rep: okReport}, nil)
	f.do(t, "POST", "/api/v1/check", "application/json", `{"address":"alice@domaine.com"}`)
	f.do(t, "GET", "/ask?q=help", "", "")
	body := f.do(t, "GET", "/metrics", "", "").Body.String()
	for _, w := range []string{`mailhelp_answers_total{intent="check",platform="web"} 1`, `mailhelp_checks_total{verdict="ok"} 1`,
		"mailhelp_answer_seconds_bucket", "mailhelp_http_requests_total", "go_goroutines"} {
		if !strings.Contains(body, w) {
			t.Errorf("metrics lack %q", w)
		}
	}
	f.ready = errors.New("slack: not connected")
	if rec := f.do(t, "GET", "/readyz", "", ""); rec.Code != 503 || !strings.Contains(rec.Body.String(), "slack: not connected") {
		t.Errorf("%d %s", rec.Code, rec.Body.String())
	}
	if strings.Contains(f.logs.String(), "alice") || strings.Contains(f.logs.String(), "domaine.com") {
		t.Errorf("the logs hold an address:\n%s", f.logs.String())
	}
}

// TestSlowClients runs the real server: a client that never finishes its
// headers is cut off, and oversized headers are refused.
func TestSlowClients(t *testing.T) {
	f := newFixture(t, nil, nil)
	srv := web.HTTPServer("127.0.0.1:0", f.handler, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv.ReadHeaderTimeout = 300 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	got, err := io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("the server kept a slow-headers client past its header timeout")
	}
	if strings.Contains(string(got), "200 OK") {
		t.Errorf("a request with unfinished headers was served: %q", got)
	}

	req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/healthz", nil)
	req.Header.Set("X-Huge", strings.Repeat("a", 64<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("64 KiB of headers: %d", resp.StatusCode)
	}
}

func urlEncode(s string) string {
	r := strings.NewReplacer(" ", "+", "<", "%3C", ">", "%3E", "@", "%40", "!", "%21", "[", "%5B", "]", "%5D", "(", "%28", ")", "%29", ":", "%3A", "/", "%2F")
	return r.Replace(s)
}

// TestLanguageSwitchFromFiles: a catalogue with one more message file
// puts that language in every page's switch, named in itself, and serves
// its pages, with no code change.
func TestLanguageSwitchFromFiles(t *testing.T) {
	base := locales.Files()
	extra := fstest.MapFS{}
	for _, name := range []string{"active.en.toml", "active.fr.toml", "vocab.en.toml", "vocab.fr.toml"} {
		data, err := fs.ReadFile(base, name)
		if err != nil {
			t.Fatal(err)
		}
		extra[name] = &fstest.MapFile{Data: data}
	}
	en := string(extra["active.en.toml"].Data)
	extra["active.it.toml"] = &fstest.MapFile{Data: []byte(strings.NewReplacer(
		`"lang.name" = "English"`, `"lang.name" = "Italiano"`,
		`"web.ask_button" = "Ask"`, `"web.ask_button" = "Chiedi"`).Replace(en))}
	cat, err := locales.LoadFS(extra)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse([]byte(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	r := bot.NewRouter(bot.RouterOptions{Translator: cat, Parser: cat.Parser(), Logger: testbot.Quiet()})
	handlers.Register(r, handlers.Deps{Directory: cfg.Directory, Translator: cat})
	h, err := web.New(web.Options{Router: r, Translator: cat, Logger: testbot.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	get := func(target string) string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		return rec.Body.String()
	}
	if body := get("/?lang=en"); !strings.Contains(body, `<a id="lang-it" href="/?lang=it" hreflang="it" lang="it">Italiano</a>`) {
		t.Errorf("no Italian in the switch:\n%s", body)
	}
	if body := get("/?lang=it"); !strings.Contains(body, `<html lang="it">`) || !strings.Contains(body, "Chiedi") {
		t.Errorf("the Italian page:\n%s", body)
	}
	if body := get("/it/blackberry10?address=alice%40domaine.com"); !strings.Contains(body, `<html lang="it">`) {
		t.Errorf("the Italian permalink:\n%.300s", body)
	}
}

// TestWebChatFollowUp: the web chat keeps a conversation in a cookie: a
// follow-up with it is read with the previous answer; without it, or
// from another client, it is not.
func TestWebChatFollowUp(t *testing.T) {
	f := newFixture(t, nil, nil)
	first := f.do(t, "GET", "/ask?partial=1&q="+urlEncode("configure BlackBerry for alice@domaine.com"), "", "")
	var cookie *http.Cookie
	for _, c := range first.Result().Cookies() {
		if c.Name == "mailhelp_conversation" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode {
		t.Fatalf("no conversation cookie: %v", first.Result().Cookies())
	}
	follow := f.do(t, "GET", "/ask?partial=1&q="+urlEncode("and for iPhone?"), "", "", "Cookie", cookie.Name+"="+cookie.Value)
	if body := follow.Body.String(); !strings.Contains(body, "Set up iPhone / iPad for alice@domaine.com") {
		t.Errorf("the follow-up lost the address: %.400s", body)
	}
	if body := f.do(t, "GET", "/ask?partial=1&q="+urlEncode("and for iPhone?"), "", "").Body.String(); strings.Contains(body, "alice@domaine.com") {
		t.Errorf("a new visitor got the address: %.400s", body)
	}
	req := httptest.NewRequest("GET", "/ask?partial=1&q="+urlEncode("and for iPhone?"), nil)
	req.RemoteAddr = "198.51.100.7:4321"
	req.AddCookie(cookie)
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	if strings.Contains(rec.Body.String(), "alice@domaine.com") {
		t.Errorf("another client with the same cookie got the address")
	}
	bad := f.do(t, "GET", "/ask?partial=1&q=help", "", "", "Cookie", "mailhelp_conversation=../../etc")
	if len(bad.Result().Cookies()) == 0 {
		t.Error("a malformed conversation id was kept")
	}
}

// TestCheckResultPage: a live check asked in the web chat gets a page to
// link in a ticket, with its ticket text, which ends with that link and
// not with a chat command.
func TestCheckResultPage(t *testing.T) {
	f := newFixture(t, stubProber{rep: okReport}, nil)
	cookies, token := session(t, f)
	body := send(f, "POST", "/ask", formType, askForm("check alice@domaine.com", token)+"&partial=1", cookies, "Sec-Fetch-Site", "same-origin").Body.String()
	i := strings.Index(body, "https://help.domaine.com/check/")
	if i < 0 {
		t.Fatalf("no result link: %s", body)
	}
	link := body[i : i+len("https://help.domaine.com/check/")+24]
	path := strings.TrimPrefix(link, "https://help.domaine.com")
	page := f.do(t, "GET", path, "", "")
	if page.Code != 200 || !strings.Contains(page.Body.String(), "everything your device needs works") ||
		!strings.Contains(page.Body.String(), "Checked on") {
		t.Fatalf("result page: %d %.400s", page.Code, page.Body.String())
	}
	ticket := f.do(t, "GET", path+"/ticket", "", "").Body.String()
	if !strings.HasSuffix(ticket, link+"\n") || strings.Contains(ticket, "Check again") || strings.Contains(ticket, "https\\:") {
		t.Errorf("ticket:\n%s", ticket)
	}
	if text := f.do(t, "GET", path+"/ticket?format=text", "", "").Body.String(); strings.Contains(text, "**") || !strings.HasSuffix(text, link+"\n") {
		t.Errorf("plain ticket:\n%s", text)
	}
	if f.do(t, "GET", "/check/000000000000000000000000", "", "").Code != 404 {
		t.Error("an unknown result has a page")
	}
}
