package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	_ "image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"howett.net/plist"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/web"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/discovery/publish"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/probe"
)

// fixedDiscovery answers every discovery check with a fixed verdict.
type fixedDiscovery struct{ verdict discovery.Verdict }

func (f fixedDiscovery) Check(_ context.Context, d knowledge.Domain, _ string) (*discovery.Report, error) {
	return &discovery.Report{Domain: d.Name, Verdict: f.verdict, Expected: discovery.For(d)}, nil
}

// discoveryServer is the web side with autoconfig, Autodiscover and
// profiles served from the test configuration, and discovery checks
// answered by dc (none when nil).
func discoveryServer(t *testing.T, dc handlers.DiscoveryChecker, lim handlers.Limiter, publicURL string) http.Handler {
	t.Helper()
	cfg, err := config.Parse([]byte(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	cat := translator(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r := bot.NewRouter(bot.RouterOptions{Translator: cat, Parser: cat.Parser(), DefaultLang: "en",
		DomainLang: handlers.DomainLang(cfg.Directory), Logger: log, PublicURL: publicURL})
	handlers.Register(r, handlers.Deps{Directory: cfg.Directory, Translator: cat, Discovery: dc, Limiter: lim})
	h, err := web.New(web.Options{Router: r, Translator: cat, DefaultLang: "en", PublicURL: publicURL, Logger: log,
		Discovery: publish.New(publish.Options{Translator: cat, Logger: log, Settings: func() publish.Settings {
			return publish.Settings{Directory: cfg.Directory, DefaultLang: "en", PublicURL: publicURL}
		}})})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func serve(h http.Handler, method, target, host, body string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if host != "" {
		req.Host = host
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestDiscoveryRoutes: the web side serves the three formats on their
// standard paths, with its security headers, and nothing there when no
// Discovery handler is set.
func TestDiscoveryRoutes(t *testing.T) {
	h := discoveryServer(t, nil, nil, "https://help.domaine.com")
	request := `<Autodiscover xmlns="` + discovery.RequestSchema + `"><Request><EMailAddress>alice@domaine.com</EMailAddress>` +
		`<AcceptableResponseSchema>` + discovery.OutlookResponseSchema + `</AcceptableResponseSchema></Request></Autodiscover>`
	tests := []struct {
		method, target, host, body string
		status                     int
		ctype                      string
	}{
		{"GET", "/mail/config-v1.1.xml?emailaddress=alice%40domaine.com", "", "", 200, discovery.AutoconfigContentType},
		{"GET", "/mail/config-v1.1.xml", "autoconfig.domaine.com", "", 200, discovery.AutoconfigContentType},
		{"HEAD", "/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=alice%40domaine.com", "", "", 200, discovery.AutoconfigContentType},
		{"GET", "/mail/config-v1.1.xml?emailaddress=bob%40other.example", "", "", 404, ""},
		{"POST", "/autodiscover/autodiscover.xml", "", request, 200, discovery.AutodiscoverContentType},
		{"POST", "/Autodiscover/Autodiscover.xml", "autodiscover.domaine.com", request, 200, discovery.AutodiscoverContentType},
		{"POST", "/AUTODISCOVER/AUTODISCOVER.XML", "", request, 200, discovery.AutodiscoverContentType},
		{"GET", "/Autodiscover/Autodiscover.xml", "", "", 405, ""},
		{"GET", "/mobileconfig?address=alice%40domaine.com", "", "", 200, "application/x-apple-aspen-config"},
		{"GET", "/mobileconfig?address=alice%40nowhere.example", "", "", 404, ""},
	}
	for _, tc := range tests {
		rec := serve(h, tc.method, tc.target, tc.host, tc.body)
		if rec.Code != tc.status || (tc.ctype != "" && rec.Header().Get("Content-Type") != tc.ctype) {
			t.Errorf("%s %s: %d %q, want %d %q", tc.method, tc.target, rec.Code, rec.Header().Get("Content-Type"), tc.status, tc.ctype)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s: no security headers", tc.method, tc.target)
		}
	}
	// Without a Discovery handler, the paths are not served.
	plain := newFixture(t, nil, nil)
	for _, target := range []string{"/mail/config-v1.1.xml?emailaddress=alice%40domaine.com", "/mobileconfig?address=alice%40domaine.com"} {
		if rec := plain.do(t, "GET", target, "", ""); rec.Code != 404 {
			t.Errorf("%s without Discovery: %d", target, rec.Code)
		}
	}
}

func TestAPIDiscovery(t *testing.T) {
	h := discoveryServer(t, fixedDiscovery{verdict: discovery.VerdictWarning}, probe.NewLimiter(probe.Limits{PerUser: 2}, nil), "")
	rec := serve(h, "POST", "/api/v1/discovery", "", `{"domain":"domaine.com","lang":"fr"}`, "Content-Type", "application/json")
	var rep discovery.Report
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil || rec.Code != 200 || rep.Verdict != discovery.VerdictWarning || rep.Domain != "domaine.com" {
		t.Fatalf("%d %v %s", rec.Code, err, rec.Body)
	}
	for _, tc := range []struct {
		body   string
		status int
		code   string
	}{
		{`{"domain":"domaine.com","address":"alice@domaine.com"}`, 400, "bad_target"},
		{`{}`, 400, "bad_target"},
		{`{"domain":"https://domaine.com/"}`, 400, "bad_target"},
		{`{"domain":"nowhere.example"}`, 404, "unknown_domain"},
		{`{"domain":"domaine.com","lang":"xx"}`, 400, "bad_lang"},
		{`{"domain":"domaine.com","extra":1}`, 400, ""},
	} {
		rec := serve(h, "POST", "/api/v1/discovery", "", tc.body, "Content-Type", "application/json")
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), `"code":"`+tc.code) {
			t.Errorf("%s: %d %s", tc.body, rec.Code, rec.Body)
		}
	}
	// A second check passes (refusals did not count), the third waits.
	if rec := serve(h, "POST", "/api/v1/discovery", "", `{"address":"alice@domaine.com"}`, "Content-Type", "application/json"); rec.Code != 200 {
		t.Fatalf("second: %d %s", rec.Code, rec.Body)
	}
	rec = serve(h, "POST", "/api/v1/discovery", "", `{"domain":"domaine.com"}`, "Content-Type", "application/json")
	if rec.Code != 429 || rec.Header().Get("Retry-After") == "" {
		t.Errorf("third: %d %s", rec.Code, rec.Body)
	}
	// It dials on the user's behalf: never from another site.
	rec = serve(h, "POST", "/api/v1/discovery", "", `{"domain":"domaine.com"}`, "Content-Type", "application/json", "Origin", "https://evil.example")
	if rec.Code != 403 {
		t.Errorf("cross-site: %d %s", rec.Code, rec.Body)
	}
	if rec := serve(h, "GET", "/api/v1/discovery", "", ""); rec.Code != 405 {
		t.Errorf("GET: %d", rec.Code)
	}
	off := discoveryServer(t, nil, nil, "")
	if rec := serve(off, "POST", "/api/v1/discovery", "", `{"domain":"domaine.com"}`, "Content-Type", "application/json"); rec.Code != 503 ||
		!strings.Contains(rec.Body.String(), bot.CodeDiscoveryOff) {
		t.Errorf("off: %d %s", rec.Code, rec.Body)
	}
}

// TestProfileBox: an iPhone answer offers the profile once (a box, not
// also in the links), a Thunderbird answer does not.
func TestProfileBox(t *testing.T) {
	h := discoveryServer(t, nil, nil, "https://help.domaine.com")
	page := serve(h, "GET", "/en/ios?address=alice%40domaine.com", "", "").Body.String()
	link := "https://help.domaine.com/mobileconfig?address=alice%40domaine.com&amp;lang=en"
	if strings.Count(page, link) != 1 || !strings.Contains(page, `<svg xmlns="http://www.w3.org/2000/svg"`) ||
		!strings.Contains(page, "Unsigned") {
		t.Errorf("iPhone page: profile link %d times, QR %v:\n%s", strings.Count(page, link), strings.Contains(page, "<svg"), page)
	}
	if page := serve(h, "GET", "/en/thunderbird?address=alice%40domaine.com", "", "").Body.String(); strings.Contains(page, "mobileconfig") {
		t.Error("Thunderbird page offers a profile")
	}
	if page := serve(h, "GET", "/en/ios?domain=domaine.com", "", "").Body.String(); strings.Contains(page, "mobileconfig") {
		t.Error("a page without an address offers a profile")
	}
}

// TestBrowserProfileQR: in a real Chromium, the iPhone answer's QR code,
// as the screen shows it, decodes to the profile's link, and that link
// serves a profile for the address.
func TestBrowserProfileQR(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.Handle("/", discoveryServer(t, nil, nil, srv.URL))
	ctx := browserContext(t, 900, 1400)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/en/ios?address=alice%40domaine.com"),
		chromedp.WaitVisible(chromedp.CSS(".profile svg.qr")),
	); err != nil {
		t.Fatalf("page: %v", err)
	}
	png := must(t, ctx, chromedp.Screenshot(chromedp.CSS(".profile svg.qr")))
	img, _, err := image.Decode(bytes.NewReader(png))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the QR code on screen does not decode: %v", err)
	}
	want := srv.URL + "/mobileconfig?address=alice%40domaine.com&lang=en"
	if res.GetText() != want {
		t.Fatalf("QR code = %q, want %q", res.GetText(), want)
	}
	href := must(t, ctx, chromedp.Evaluate[string](`document.querySelector("#profile-link").href`))
	if href != want {
		t.Errorf("button href %q", href)
	}
	resp, err := http.Get(res.GetText())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var p map[string]any
	if _, err := plist.Unmarshal(body, &p); err != nil || resp.Header.Get("Content-Type") != "application/x-apple-aspen-config" {
		t.Fatalf("profile: %v %q", err, resp.Header.Get("Content-Type"))
	}
	if acct := p["PayloadContent"].([]any)[0].(map[string]any); acct["EmailAddress"] != "alice@domaine.com" {
		t.Errorf("profile for %v", acct["EmailAddress"])
	}
	shot(t, ctx, "profile_en.png")
}

// TestDiscoveryInChat: asked in the web chat by a link (GET), the
// discovery check is not run but offered, with its own words; the
// offer's POST (same site, with the token) runs it.
func TestDiscoveryInChat(t *testing.T) {
	h := discoveryServer(t, fixedDiscovery{verdict: discovery.VerdictOK}, nil, "")
	rec := serve(h, "GET", "/ask?q=check+autoconfig+for+domaine.com&lang=en", "", "")
	page := rec.Body.String()
	if !strings.Contains(page, "Check what it publishes") || !strings.Contains(page, "publishes for apps that set themselves up") ||
		strings.Contains(page, "publishes the right settings") {
		t.Errorf("GET: %d\n%s", rec.Code, page)
	}
}
