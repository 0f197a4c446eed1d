package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/mailhelp/mailhelp/bot/web"
	"github.com/mailhelp/mailhelp/probe"
)

// countingProber counts the checks it runs: a test's proof that a host
// was dialed, or was not.
type countingProber struct {
	stubProber
	n atomic.Int32
}

func (p *countingProber) Check(ctx context.Context, t probe.Target, c *probe.Credentials) (*probe.Report, error) {
	p.n.Add(1)
	return p.stubProber.Check(ctx, t, c)
}

// recordingLimiter admits every check and keeps the user each was
// counted against.
type recordingLimiter struct {
	mu    sync.Mutex
	users []string
}

func (l *recordingLimiter) Acquire(user, target string) (func(), error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.users = append(l.users, user)
	return func() {}, nil
}

func (l *recordingLimiter) last() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.users) == 0 {
		return ""
	}
	return l.users[len(l.users)-1]
}

var tokenInput = regexp.MustCompile(`name="token" value="([^"]+)"`)

// session opens the chat page as a browser does and returns the cookies
// it was given and the token of its forms.
func session(t *testing.T, f *fixture) ([]*http.Cookie, string) {
	t.Helper()
	rec := f.do(t, "GET", "/?lang=en", "", "")
	m := tokenInput.FindStringSubmatch(rec.Body.String())
	if rec.Code != 200 || m == nil {
		t.Errorf("the chat page has no form token: %d", rec.Code)
		return rec.Result().Cookies(), "missing"
	}
	return rec.Result().Cookies(), html.UnescapeString(m[1])
}

// send makes one request with headers and cookies.
func send(f *fixture, method, target, ctype, body string, cookies []*http.Cookie, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Add(hdr[i], hdr[i+1])
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	return rec
}

const formType = "application/x-www-form-urlencoded"

func askForm(q, token string) string {
	v := url.Values{"q": {q}, "lang": {"en"}}
	if token != "" {
		v.Set("token", token)
	}
	return v.Encode()
}

// TestNoCrossSiteCheck: nothing that dials starts from a request another
// site can make. A GET never dials (it offers the check as a form that
// posts); a POST dials only from this site's own page, with the form's
// token; cross-site attempts are refused with 403 and the same offer.
// Answers that dial nothing stay on GET, from anywhere.
func TestNoCrossSiteCheck(t *testing.T) {
	p := &countingProber{stubProber: stubProber{rep: okReport}}
	f := newFixture(t, p, nil)
	cookies, token := session(t, f)
	const q = "check alice@domaine.com"
	check := "/ask?q=" + urlEncode(q)
	forged := "A" + token[1:]
	if forged == token {
		forged = "B" + token[1:]
	}
	refused := []struct {
		name, method, target, body string
		cookies                    []*http.Cookie
		hdr                        []string
		status                     int
	}{
		{"img tag on another site", "GET", check, "", cookies, []string{"Sec-Fetch-Site", "cross-site", "Sec-Fetch-Dest", "image"}, 403},
		{"cross-site fragment", "GET", check + "&partial=1", "", cookies, []string{"Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example"}, 403},
		{"a sibling site", "GET", check, "", cookies, []string{"Sec-Fetch-Site", "same-site"}, 403},
		{"an old browser, another origin", "GET", check, "", cookies, []string{"Origin", "http://evil.example"}, 403},
		{"troubleshooting with a target", "GET", "/ask?q=" + urlEncode("my phone says certificate error for alice@domaine.com"), "", cookies, []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"a GET from this site only offers", "GET", check, "", cookies, []string{"Sec-Fetch-Site", "same-origin"}, 200},
		{"a typed address only offers", "GET", check, "", nil, []string{"Sec-Fetch-Site", "none"}, 200},
		{"a GET without headers only offers", "GET", check, "", nil, nil, 200},
		{"cross-site form post, even with a token", "POST", "/ask", askForm(q, token), cookies, []string{"Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example"}, 403},
		{"form post from a sibling site", "POST", "/ask", askForm(q, token), cookies, []string{"Sec-Fetch-Site", "same-site"}, 403},
		{"an old browser's post from another origin", "POST", "/ask", askForm(q, token), cookies, []string{"Origin", "http://evil.example"}, 403},
		{"an opaque origin", "POST", "/ask", askForm(q, token), cookies, []string{"Origin", "null"}, 403},
		{"no token", "POST", "/ask", askForm(q, ""), cookies, []string{"Sec-Fetch-Site", "same-origin"}, 403},
		{"a forged token", "POST", "/ask", askForm(q, forged), cookies, []string{"Sec-Fetch-Site", "same-origin"}, 403},
		{"a token without its cookie", "POST", "/ask", askForm(q, token), nil, []string{"Sec-Fetch-Site", "same-origin"}, 403},
		{"a token in the query, not the form", "POST", "/ask?token=" + url.QueryEscape(token), askForm(q, ""), cookies, []string{"Sec-Fetch-Site", "same-origin"}, 403},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			ctype := ""
			if tc.method == "POST" {
				ctype = formType
			}
			rec := send(f, tc.method, tc.target, ctype, tc.body, tc.cookies, tc.hdr...)
			if n := p.n.Load(); n != 0 {
				t.Fatalf("%d check(s) ran", n)
			}
			body := rec.Body.String()
			if rec.Code != tc.status {
				t.Errorf("status %d, want %d\n%.600s", rec.Code, tc.status, body)
			}
			// The answer is an offer to run the check here: a form that
			// posts, with this visitor's token.
			if !strings.Contains(body, `method="post"`) || !strings.Contains(body, `data-kind="check"`) || !tokenInput.MatchString(body) ||
				strings.Contains(body, "everything your device needs works") {
				t.Errorf("no offer to run the check:\n%.1500s", body)
			}
		})
	}

	// The chat's own form: same origin, the cookie and its token.
	rec := send(f, "POST", "/ask", formType, askForm(q, token)+"&partial=1", cookies, "Sec-Fetch-Site", "same-origin", "Origin", "http://example.com")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "everything your device needs works") || p.n.Load() != 1 {
		t.Fatalf("the chat's own check: %d, %d checks\n%.600s", rec.Code, p.n.Load(), rec.Body.String())
	}
	// A browser without Sec-Fetch-Site, posting from the public URL's origin.
	rec = send(f, "POST", "/ask", formType, askForm(q, token), cookies, "Origin", "https://help.domaine.com")
	if rec.Code != 200 || p.n.Load() != 2 {
		t.Errorf("a same-origin post from an old browser: %d, %d checks", rec.Code, p.n.Load())
	}
	// The refusal's offer works: its form, posted from this site, checks.
	offer := send(f, "GET", check, "", "", nil, "Sec-Fetch-Site", "cross-site")
	m := tokenInput.FindStringSubmatch(offer.Body.String())
	if m == nil {
		t.Fatal("the refusal has no token")
	}
	rec = send(f, "POST", "/ask", formType, askForm(q, html.UnescapeString(m[1])), offer.Result().Cookies(), "Sec-Fetch-Site", "same-origin")
	if rec.Code != 200 || p.n.Load() != 3 {
		t.Errorf("the refusal's offer, accepted: %d, %d checks", rec.Code, p.n.Load())
	}
	// Answers that dial nothing stay on GET, even from another site.
	rec = send(f, "GET", "/ask?q="+urlEncode("configure BlackBerry for alice@domaine.com"), "", "", nil, "Sec-Fetch-Site", "cross-site")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Set up BlackBerry 10 for alice@domaine.com") {
		t.Errorf("an answer by GET: %d", rec.Code)
	}
	if n := p.n.Load(); n != 3 {
		t.Errorf("%d checks ran, want 3", n)
	}
}

// TestAPICrossSite: the JSON API refuses what a browser sends from
// another site, and serves API clients, which send neither header.
func TestAPICrossSite(t *testing.T) {
	p := &countingProber{stubProber: stubProber{rep: okReport}}
	f := newFixture(t, p, nil)
	calls := []struct{ path, body string }{
		{"/api/v1/check", `{"host":"bm.domaine.com"}`},
		{"/api/v1/ask", `{"text":"check alice@domaine.com"}`},
	}
	refused := [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"},
		{"Sec-Fetch-Site", "cross-site", "Origin", "http://example.com"},
		{"Origin", "http://evil.example"},
		{"Origin", "null"},
	}
	allowed := [][]string{
		nil,
		{"Sec-Fetch-Site", "same-origin"},
		{"Origin", "http://example.com"},
		{"Origin", "https://help.domaine.com"},
	}
	want := int32(0)
	for _, c := range calls {
		for _, hdr := range refused {
			rec := send(f, "POST", c.path, "application/json", c.body, nil, hdr...)
			var e struct{ Error struct{ Code string } }
			_ = json.Unmarshal(rec.Body.Bytes(), &e)
			if rec.Code != 403 || e.Error.Code != "cross_site" || p.n.Load() != want {
				t.Errorf("%s %v: %d %s, %d checks", c.path, hdr, rec.Code, rec.Body.String(), p.n.Load())
			}
		}
		for _, hdr := range allowed {
			want++
			if rec := send(f, "POST", c.path, "application/json", c.body, nil, hdr...); rec.Code != 200 || p.n.Load() != want {
				t.Errorf("%s %v: %d %.300s, %d checks", c.path, hdr, rec.Code, rec.Body.String(), p.n.Load())
			}
		}
	}
}

var linkAttr = regexp.MustCompile(`(?:href|action|src)="([^"]*)"`)

// onSite reports whether ref, found in a page at base, leads to base's
// site, resolved as a browser does: tabs and newlines dropped, leading
// spaces and controls trimmed, a backslash read as a slash.
func onSite(base *url.URL, ref string) bool {
	ref = html.UnescapeString(ref)
	ref = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, ref)
	ref = strings.TrimLeft(ref, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	ref = strings.ReplaceAll(ref, `\`, "/")
	u, err := url.Parse(ref)
	if err != nil {
		return false
	}
	r := base.ResolveReference(u)
	return r.Scheme == base.Scheme && r.Host == base.Host
}

// TestLinksStayOnSite: no link, form or redirect built from the request's
// path leads to another site, whatever slashes, backslashes or blanks
// the path holds, encoded or not.
func TestLinksStayOnSite(t *testing.T) {
	f := newFixture(t, nil, nil)
	paths := []string{
		"/%2Fevil.com", "/%2fevil.com", "/%2F%2Fevil.com", "/%2F/evil.com", "/%5Cevil.com", "/%5cevil.com",
		"/%5C%5Cevil.com", "/%5C/evil.com", "/%2F%5Cevil.com", "/%5C%2Fevil.com", `/\evil.com`, `/\/evil.com`,
		"//evil.com", "///evil.com", "/./%2Fevil.com", "/%2E/%2Fevil.com", "/%09/evil.com", "/%0A/evil.com",
		"/%0D%0A/evil.com", "/%20/evil.com", "/%2F%09%2Fevil.com", "/%252Fevil.com", "/%2Fevil.com/", "/%2Fevil.com?lang=fr",
		"/%2Fevil.com?q=1#x", "/en/%2F%2Fevil.com", "/en/%5Cevil.com", "/xx/%2Fevil.com", "/check/%2F%2Fevil.com",
		"/%2F%2Fevil.com/ticket", "/ask/%2F%2Fevil.com",
	}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			req := httptest.NewRequest("GET", "https://help.domaine.com"+p, nil)
			rec := httptest.NewRecorder()
			f.handler.ServeHTTP(rec, req)
			base, _ := url.Parse("https://help.domaine.com" + req.URL.EscapedPath())
			if loc := rec.Header().Get("Location"); loc != "" && !onSite(base, loc) {
				t.Errorf("redirect to %q", loc)
			}
			body := rec.Body.String()
			links := linkAttr.FindAllStringSubmatch(body, -1)
			if rec.Code == 404 && len(links) == 0 {
				t.Fatalf("a 404 page with no link:\n%s", body)
			}
			for _, m := range links {
				if !onSite(base, m[1]) {
					t.Errorf("off-site link %q", m[1])
				}
			}
		})
	}
}

// TestStrictJSON: the API reads exactly one JSON object with its
// documented fields, each once, spelt exactly, and a check's target as a
// bare host or address; anything else is a 400 with a stable code, and
// nothing is dialed.
func TestStrictJSON(t *testing.T) {
	p := &countingProber{stubProber: stubProber{rep: okReport}}
	f := newFixture(t, p, nil)
	cases := []struct{ path, body, code string }{
		{"/api/v1/ask", ``, "bad_json"},
		{"/api/v1/ask", `null`, "bad_json"},
		{"/api/v1/ask", ` null `, "bad_json"},
		{"/api/v1/ask", `[]`, "bad_json"},
		{"/api/v1/ask", `"check alice@domaine.com"`, "bad_json"},
		{"/api/v1/ask", `{"text":"x"}garbage`, "bad_json"},
		{"/api/v1/ask", `{"text":"x"}{"text":"y"}`, "bad_json"},
		{"/api/v1/ask", `{"text":"x"} {}`, "bad_json"},
		{"/api/v1/ask", `{"text":"x"} null`, "bad_json"},
		{"/api/v1/ask", `{"text":"x"},`, "bad_json"},
		{"/api/v1/ask", `{"text":"x","text":"check alice@domaine.com"}`, "bad_json"},
		{"/api/v1/ask", `{"text":"x","te\u0078t":"y"}`, "bad_json"},
		{"/api/v1/ask", `{"Text":"check alice@domaine.com"}`, "bad_json"},
		{"/api/v1/ask", `{"TEXT":"check alice@domaine.com"}`, "bad_json"},
		{"/api/v1/ask", `{"text":"x","LANG":"fr"}`, "bad_json"},
		{"/api/v1/ask", `{"text":"x","lang":"fr","lang":"de"}`, "bad_json"},
		{"/api/v1/ask", `{"text":null}`, "bad_json"},
		{"/api/v1/ask", `{"text":1}`, "bad_json"},
		{"/api/v1/ask", `{"text":["check alice@domaine.com"]}`, "bad_json"},
		{"/api/v1/ask", `{"text":"x","lang":null}`, "bad_json"},
		{"/api/v1/ask", `{"lang":"fr"}`, "bad_json"},
		{"/api/v1/ask", `{}`, "bad_json"},
		{"/api/v1/ask", "{\"text\":\"\xff\"}", "bad_json"},
		{"/api/v1/check", `null`, "bad_json"},
		{"/api/v1/check", `{"host":"bm.domaine.com"}x`, "bad_json"},
		{"/api/v1/check", `{"host":"bm.domaine.com"}{"host":"bm.domaine.com"}`, "bad_json"},
		{"/api/v1/check", `{"host":"evil.example","host":"bm.domaine.com"}`, "bad_json"},
		{"/api/v1/check", `{"Host":"bm.domaine.com"}`, "bad_json"},
		{"/api/v1/check", `{"ADDRESS":"alice@domaine.com"}`, "bad_json"},
		{"/api/v1/check", `{"host":null}`, "bad_json"},
		{"/api/v1/check", `{"host":"bm.domaine.com","lang":"xx"}`, "bad_lang"},
		{"/api/v1/check", `{"host":"imap://bm.domaine.com"}`, "bad_target"},
		{"/api/v1/check", `{"host":"bm.domaine.com:993"}`, "bad_target"},
		{"/api/v1/check", `{"host":"bm.domaine.com extra"}`, "bad_target"},
		{"/api/v1/check", `{"host":" bm.domaine.com"}`, "bad_target"},
		{"/api/v1/check", `{"host":"bm.domaine.com\n"}`, "bad_target"},
		{"/api/v1/check", `{"host":"bm.domaine.com/imap"}`, "bad_target"},
		{"/api/v1/check", `{"host":"bm.domaine.com?x"}`, "bad_target"},
		{"/api/v1/check", `{"host":"user@bm.domaine.com"}`, "bad_target"},
		{"/api/v1/check", `{"host":"<bm.domaine.com>"}`, "bad_target"},
		{"/api/v1/check", `{"host":"[192.0.2.1]"}`, "bad_target"},
		{"/api/v1/check", `{"host":"192.0.2.1:993"}`, "bad_target"},
		{"/api/v1/check", `{"host":"fe80::1%eth0"}`, "bad_target"},
		{"/api/v1/check", `{"host":"bm.domaine.com\u200b"}`, "bad_target"},
		{"/api/v1/check", `{"address":"alice@domaine.com extra"}`, "bad_target"},
		{"/api/v1/check", `{"address":" alice@domaine.com"}`, "bad_target"},
		{"/api/v1/check", `{"address":"mailto:alice@domaine.com"}`, "bad_target"},
		{"/api/v1/check", `{"address":"<alice@domaine.com>"}`, "bad_target"},
		{"/api/v1/check", `{"address":"alice@domaine.com, bob@domaine.com"}`, "bad_target"},
		{"/api/v1/check", `{"address":"bm.domaine.com"}`, "bad_target"},
		{"/api/v1/check", `{"host":"alice@domaine.com"}`, "bad_target"},
	}
	for _, tc := range cases {
		rec := f.do(t, "POST", tc.path, "application/json", tc.body)
		var e struct{ Error struct{ Code string } }
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != 400 || e.Error.Code != tc.code {
			t.Errorf("%s %q: %d %s, want 400 %s", tc.path, tc.body, rec.Code, rec.Body.String(), tc.code)
		}
	}
	if n := p.n.Load(); n != 0 {
		t.Fatalf("%d check(s) ran for refused bodies", n)
	}
	for _, tc := range []struct{ path, body string }{
		{"/api/v1/ask", `{"text":"configure BlackBerry for alice@domaine.com"}`},
		{"/api/v1/ask", " {\"lang\":\"fr\", \"text\":\"x\"}\n"},
		{"/api/v1/check", `{"host":"bm.domaine.com"}`},
		{"/api/v1/check", `{"host":"BM.Domaine.com","lang":"fr"}`},
		{"/api/v1/check", `{"address":"alice@domaine.com"}`},
	} {
		if rec := f.do(t, "POST", tc.path, "application/json", tc.body); rec.Code != 200 {
			t.Errorf("%s %q: %d %s", tc.path, tc.body, rec.Code, rec.Body.String())
		}
	}
}

// rawRequest sends head as is and returns the response's status line.
func rawRequest(t *testing.T, addr, head string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, head); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		t.Fatalf("no answer to a %d-byte head: %v", len(head), err)
	}
	return strings.TrimSpace(line)
}

// TestHeaderCap: the server's cap on a request's head (request line and
// headers) is 16 KiB, exactly: a head of 16 384 bytes is served, one of
// 16 385 is refused with 431.
func TestHeaderCap(t *testing.T) {
	f := newFixture(t, nil, nil)
	srv := web.HTTPServer("127.0.0.1:0", f.handler, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	head := func(size int) string {
		const start, end = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Pad: ", "\r\n\r\n"
		return start + strings.Repeat("a", size-len(start)-len(end)) + end
	}
	if got := rawRequest(t, ln.Addr().String(), head(16<<10)); !strings.Contains(got, " 200 ") {
		t.Errorf("a 16 KiB head: %q", got)
	}
	if got := rawRequest(t, ln.Addr().String(), head(16<<10+1)); !strings.Contains(got, " 431 ") {
		t.Errorf("a head of 16 KiB and one byte: %q", got)
	}
}

// TestMethodNotAllowed: a page route asked with another method answers
// 405 with the methods it has, not a 404 page.
func TestMethodNotAllowed(t *testing.T) {
	f := newFixture(t, nil, nil)
	getOnly := "GET, HEAD"
	for _, tc := range []struct{ method, target, allow string }{
		{"POST", "/", getOnly},
		{"DELETE", "/?lang=fr", getOnly},
		{"PUT", "/ask", "GET, HEAD, POST"},
		{"DELETE", "/ask?q=help", "GET, HEAD, POST"},
		{"POST", "/en/ios", getOnly},
		{"PUT", "/fr/blackberry10?address=alice%40domaine.com", getOnly},
		{"POST", "/en/ios/ticket", getOnly},
		{"POST", "/check/000000000000000000000000", getOnly},
		{"POST", "/check/000000000000000000000000/ticket", getOnly},
		{"POST", "/healthz", getOnly},
		{"POST", "/readyz", getOnly},
		{"POST", "/metrics", getOnly},
		{"POST", "/static/app.js", getOnly},
		{"PATCH", "/static/app.css", getOnly},
	} {
		rec := f.do(t, tc.method, tc.target, "", "")
		if rec.Code != 405 || rec.Header().Get("Allow") != tc.allow {
			t.Errorf("%s %s: %d, Allow %q; want 405, Allow %q", tc.method, tc.target, rec.Code, rec.Header().Get("Allow"), tc.allow)
		}
	}
	for _, tc := range []struct {
		method, target string
		status         int
	}{
		{"POST", "/no/such/page/here", 404},
		{"GET", "/", 200},
		{"HEAD", "/healthz", 200},
		{"POST", "/api/v1/nope", 404},
		{"GET", "/api/v1/check", 405},
	} {
		if rec := f.do(t, tc.method, tc.target, "", ""); rec.Code != tc.status {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.target, rec.Code, tc.status)
		}
	}
	if rec := f.do(t, "GET", "/api/v1/check", "", ""); !slices.Contains(strings.Split(rec.Header().Get("Allow"), ", "), "POST") {
		t.Errorf("the API's Allow: %q", rec.Header().Get("Allow"))
	}
}
