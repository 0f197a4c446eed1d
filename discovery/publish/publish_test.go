package publish_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/smallstep/pkcs7"
	"howett.net/plist"

	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/discovery/profile"
	"github.com/mailhelp/mailhelp/discovery/publish"
	"github.com/mailhelp/mailhelp/internal/testpki"
	"github.com/mailhelp/mailhelp/locales"
)

const testConfig = `
default_language: en
web: {public_url: "https://mailhelp.domaine.com"}
domains:
  - domain: domaine.com
    host: bm.domaine.com
    language: fr
  - domain: société.fr
    host: mail.societe.fr
  - domain: example.org
    aliases: [paris.example.org]
    host: mail.example.org
    imap: {port: 143}
    smtp: {host: smtp.example.org, port: 465}
`

func newHandler(t testing.TB, signer *profile.Signer) *publish.Handler {
	t.Helper()
	cfg, err := config.Parse([]byte(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	return publish.New(publish.Options{
		Settings: func() publish.Settings {
			return publish.Settings{Directory: cfg.Directory, DefaultLang: cfg.DefaultLanguage, PublicURL: cfg.Web.PublicURL, Signer: signer}
		},
		Translator: cat,
		Now:        func() time.Time { return time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC) },
	})
}

func do(h http.Handler, method, target, host, body string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if host != "" {
		r.Host = host
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestAutoconfig(t *testing.T) {
	h := newHandler(t, nil)
	tests := []struct {
		name, target, host string
		status             int
		domain             string
	}{
		{"by address", "/mail/config-v1.1.xml?emailaddress=alice%40domaine.com", "", 200, "domaine.com"},
		{"well-known", "/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=bob@paris.example.org", "", 200, "example.org"},
		{"by host", "/mail/config-v1.1.xml", "autoconfig.example.org", 200, "example.org"},
		{"by host with port", "/mail/config-v1.1.xml", "AUTOCONFIG.domaine.com:443", 200, "domaine.com"},
		{"unknown address", "/mail/config-v1.1.xml?emailaddress=eve@evil.example", "autoconfig.domaine.com", 404, ""},
		{"no domain", "/mail/config-v1.1.xml", "mailhelp.domaine.com", 404, ""},
		{"not an address", "/mail/config-v1.1.xml?emailaddress=%3Cscript%3E@domaine.com", "", 404, ""},
		{"two ats", "/mail/config-v1.1.xml?emailaddress=a@b@domaine.com", "", 404, ""},
		{"huge", "/mail/config-v1.1.xml?emailaddress=" + strings.Repeat("a", 5000) + "@domaine.com", "", 404, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := do(h, "GET", tc.target, tc.host, "")
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			if tc.status != 200 {
				return
			}
			if ct := w.Header().Get("Content-Type"); ct != discovery.AutoconfigContentType {
				t.Errorf("content type %q", ct)
			}
			s, err := discovery.ParseAutoconfig(w.Body.Bytes())
			if err != nil || s.Domain != tc.domain {
				t.Errorf("document for %q: %+v, %v", s.Domain, s, err)
			}
		})
	}
	// The documentation links the domain's guide page, in its language.
	w := do(h, "GET", "/mail/config-v1.1.xml?emailaddress=alice@domaine.com", "", "")
	if !strings.Contains(w.Body.String(), `<documentation url="https://mailhelp.domaine.com/fr/thunderbird?domain=domaine.com">`) {
		t.Errorf("documentation link missing:\n%s", w.Body)
	}
	if w := do(h, "POST", "/mail/config-v1.1.xml?emailaddress=alice@domaine.com", "", ""); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", w.Code)
	}
}

func adRequest(addr, schema string) string {
	return `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="` + discovery.RequestSchema + `"><Request><EMailAddress>` +
		addr + `</EMailAddress><AcceptableResponseSchema>` + schema + `</AcceptableResponseSchema></Request></Autodiscover>`
}

func TestAutodiscover(t *testing.T) {
	h := newHandler(t, nil)
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><Autodiscover><Request><EMailAddress>&lol2;</EMailAddress></Request></Autodiscover>`
	tests := []struct {
		name, path, body string
		status           int
		errorCode        string // "" for settings
	}{
		{"settings", "/autodiscover/autodiscover.xml", adRequest("alice@domaine.com", discovery.OutlookResponseSchema), 200, ""},
		{"any case", "/Autodiscover/AutoDiscover.XML", adRequest("bob+tag@paris.example.org", discovery.OutlookResponseSchema), 200, ""},
		{"unknown address", "/autodiscover/autodiscover.xml", adRequest("eve@evil.example", discovery.OutlookResponseSchema), 200, "500"},
		{"activesync schema", "/autodiscover/autodiscover.xml", adRequest("alice@domaine.com", "http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006"), 200, "601"},
		{"not xml", "/autodiscover/autodiscover.xml", "hello", 200, "600"},
		{"empty", "/autodiscover/autodiscover.xml", "", 200, "600"},
		{"entities", "/autodiscover/autodiscover.xml", laughs, 200, "600"},
		{"too big", "/autodiscover/autodiscover.xml", strings.Repeat("<a>", discovery.MaxDocument), 413, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := do(h, "POST", tc.path, "", tc.body, "Content-Type", "text/xml")
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d", w.Code, tc.status)
			}
			if tc.status != 200 {
				return
			}
			s, err := discovery.ParseAutodiscoverResponse(w.Body.Bytes(), "alice@domaine.com")
			var ae *discovery.AutodiscoverErrorResponse
			switch {
			case tc.errorCode == "" && err != nil:
				t.Errorf("settings: %v\n%s", err, w.Body)
			case tc.errorCode == "" && (len(s.Incoming) != 1 || len(s.Outgoing) != 1):
				t.Errorf("settings %+v", s)
			case tc.errorCode != "" && (!asError(err, &ae) || ae.Code != tc.errorCode):
				t.Errorf("error %v, want code %s", err, tc.errorCode)
			}
		})
	}
	// The login is the address without its +tag.
	w := do(h, "POST", "/autodiscover/autodiscover.xml", "", adRequest("bob+tag@paris.example.org", discovery.OutlookResponseSchema))
	if !strings.Contains(w.Body.String(), "<LoginName>bob@paris.example.org</LoginName>") {
		t.Errorf("login:\n%s", w.Body)
	}
	if w := do(h, "GET", "/autodiscover/autodiscover.xml", "", ""); w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "POST" {
		t.Errorf("GET: %d %q", w.Code, w.Header().Get("Allow"))
	}
}

func asError(err error, target **discovery.AutodiscoverErrorResponse) bool {
	ae, ok := err.(*discovery.AutodiscoverErrorResponse)
	if ok {
		*target = ae
	}
	return ok
}

func TestProfile(t *testing.T) {
	h := newHandler(t, nil)
	w := do(h, "GET", "/mobileconfig?address=alice@domaine.com&lang=de", "", "")
	if w.Code != 200 || w.Header().Get("Content-Type") != profile.ContentType {
		t.Fatalf("status %d, type %q", w.Code, w.Header().Get("Content-Type"))
	}
	var p map[string]any
	if _, err := plist.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	payload := p["PayloadContent"].([]any)[0].(map[string]any)
	if payload["EmailAddress"] != "alice@domaine.com" || payload["IncomingMailServerHostName"] != "bm.domaine.com" ||
		payload["IncomingMailServerUsername"] != "alice@domaine.com" {
		t.Errorf("payload %v", payload)
	}
	// Display names in the asked language (German), not the domain's (French).
	cat, _ := locales.Load()
	want := cat.For("de").Text("discovery.profile.name", map[string]any{"Address": "alice@domaine.com", "Domain": "domaine.com"})
	if p["PayloadDisplayName"] != want {
		t.Errorf("name %q, want %q", p["PayloadDisplayName"], want)
	}
	// Without ?lang=, the browser's language, else the domain's.
	w = do(h, "GET", "/mobileconfig?address=alice@domaine.com", "", "", "Accept-Language", "es-ES,es;q=0.9")
	if _, err := plist.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if want := cat.For("es").Text("discovery.profile.name", map[string]any{"Address": "alice@domaine.com"}); p["PayloadDisplayName"] != want {
		t.Errorf("name %q, want %q", p["PayloadDisplayName"], want)
	}
	// The file is named after the domain, in its ASCII form.
	w = do(h, "GET", "/mobileconfig?address=jean@soci%C3%A9t%C3%A9.fr", "", "")
	if cd := w.Header().Get("Content-Disposition"); w.Code != 200 || cd != `attachment; filename=xn--socit-esab.fr.mobileconfig` {
		t.Errorf("IDN profile: %d %q", w.Code, cd)
	}
	for _, bad := range []string{"", "alice", "eve@evil.example", "alice@domaine.com%0d%0aX:%20y", "<a>@domaine.com"} {
		if w := do(h, "GET", "/mobileconfig?address="+bad, "", ""); w.Code != 404 {
			t.Errorf("%q: status %d", bad, w.Code)
		}
	}
}

func TestSignedProfile(t *testing.T) {
	ca, leaf := testpki.NewLeaf(t, "mailhelp.domaine.com")
	signer, err := profile.NewSigner(leaf.CertPEM, leaf.KeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	w := do(newHandler(t, signer), "GET", "/mobileconfig?address=alice@domaine.com", "", "")
	p7, err := pkcs7.Parse(w.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := p7.VerifyWithChain(ca.Pool()); err != nil {
		t.Fatal(err)
	}
	unsigned := do(newHandler(t, nil), "GET", "/mobileconfig?address=alice@domaine.com", "", "")
	if !bytes.Equal(p7.Content, unsigned.Body.Bytes()) {
		t.Error("the signed content is not the profile")
	}
}

func TestNotFound(t *testing.T) {
	w := do(newHandler(t, nil), "GET", "/other", "", "")
	body, _ := io.ReadAll(w.Body)
	if w.Code != 404 {
		t.Errorf("status %d: %s", w.Code, body)
	}
}
