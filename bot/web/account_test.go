package web_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/mailhelp/mailhelp/bot/web"
	"github.com/mailhelp/mailhelp/probe"
)

// accountProber records the account tests it is asked for.
type accountProber struct {
	stubProber
	mu    sync.Mutex
	creds []probe.Credentials
	opts  []probe.AccountOptions
}

func (p *accountProber) CheckAccount(ctx context.Context, t probe.Target, c probe.Credentials, o probe.AccountOptions) (*probe.Report, error) {
	p.mu.Lock()
	p.creds, p.opts = append(p.creds, c), append(p.opts, o)
	p.mu.Unlock()
	rep, err := p.Check(ctx, t, nil)
	if err != nil {
		return nil, err
	}
	rep.Account = &probe.AccountReport{Username: c.Username, Verdict: probe.StatusOK, Login: &probe.LoginResult{OK: true, Mechanism: "PLAIN"}}
	return rep, nil
}

// TestAPIAccount: the account test takes a password over HTTPS (or from
// this machine) only, never echoes it, and runs with the address as the
// login and the other form as the fallback.
func TestAPIAccount(t *testing.T) {
	ap := &accountProber{stubProber: stubProber{rep: okReport}}
	f := newFixture(t, ap, nil)
	const secret = "s3cr3t-Pa55"
	body := `{"address":"alice@domaine.com","password":"` + secret + `","account":true,"send":true}`
	do := func(remote string, https bool, body string, hdr ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/api/v1/check", strings.NewReader(body))
		req.RemoteAddr = remote
		req.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		if https {
			req.TLS = &tls.ConnectionState{HandshakeComplete: true}
		}
		rec := httptest.NewRecorder()
		f.handler.ServeHTTP(rec, req)
		if strings.Contains(rec.Body.String(), secret) || strings.Contains(f.logs.String(), secret) {
			t.Fatalf("the password was echoed or logged: %s", rec.Body)
		}
		return rec
	}
	// From a program on this machine (the admin's curl), over plain HTTP.
	rec := do("127.0.0.1:5555", false, body)
	var rep probe.Report
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil || rec.Code != 200 || rep.Account == nil || rep.Account.Username != "alice@domaine.com" {
		t.Fatalf("%d %v %s", rec.Code, err, rec.Body)
	}
	if c, o := ap.creds[0], ap.opts[0]; c.Password != secret || !o.Send || o.OtherUsername != "alice" {
		t.Errorf("asked %+v %+v", c.Username, o)
	}
	// From another machine over plain HTTP: refused before anything runs.
	if rec := do("203.0.113.7:5555", false, body); rec.Code != 403 || !strings.Contains(rec.Body.String(), "https_required") {
		t.Errorf("plain HTTP from afar: %d %s", rec.Code, rec.Body)
	}
	// A forged X-Forwarded-Proto from a peer that is not a trusted proxy
	// changes nothing.
	if rec := do("203.0.113.7:5555", false, body, "X-Forwarded-Proto", "https"); rec.Code != 403 {
		t.Errorf("forged header: %d", rec.Code)
	}
	// Over TLS: served.
	if rec := do("203.0.113.7:5555", true, body); rec.Code != 200 {
		t.Errorf("HTTPS: %d %s", rec.Code, rec.Body)
	}
	// A proxy on this machine relaying someone's plain HTTP is not
	// "from this machine".
	if rec := do("127.0.0.1:5555", false, body, "X-Forwarded-For", "203.0.113.7"); rec.Code != 403 {
		t.Errorf("local proxy without a scheme: %d", rec.Code)
	}
	if rec := do("[::1]:5555", false, body, "X-Forwarded-Proto", "http"); rec.Code != 403 {
		t.Errorf("local proxy saying http: %d", rec.Code)
	}
	if rec := do("[::1]:5555", false, body); rec.Code != 200 {
		t.Errorf("IPv6 loopback: %d %s", rec.Code, rec.Body)
	}
	if len(ap.creds) != 3 {
		t.Errorf("%d account tests ran, want 3", len(ap.creds))
	}
	for _, tc := range []struct{ body, code string }{
		{`{"address":"alice@domaine.com","password":"x"}`, "bad_json"},
		{`{"address":"alice@domaine.com","account":true}`, "bad_target"},
		{`{"host":"bm.domaine.com","password":"x","account":true}`, "bad_target"},
		{`{"address":"alice@domaine.com","password":"x","account":"yes"}`, "bad_json"},
		{`{"address":"alice@domaine.com","password":"x","account":1}`, "bad_json"},
		{`{"address":true}`, "bad_json"},
	} {
		if rec := do("127.0.0.1:5555", false, tc.body); rec.Code != 400 || !strings.Contains(rec.Body.String(), `"code":"`+tc.code) {
			t.Errorf("%s: %d %s", tc.body, rec.Code, rec.Body)
		}
	}
}

// TestAPIAccountBehindProxy: behind a trusted proxy, only the proxy's own
// (last) X-Forwarded-Proto counts, and it must say https.
func TestAPIAccountBehindProxy(t *testing.T) {
	ap := &accountProber{stubProber: stubProber{rep: okReport}}
	f := newFixtureWith(t, ap, nil, func(o *web.Options) {
		o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.5/32")}
	})
	body := `{"address":"alice@domaine.com","password":"x","account":true}`
	for _, tc := range []struct {
		peer   string
		protos []string
		status int
	}{
		{"127.0.0.1:4000", []string{"https"}, 200},
		{"10.0.0.5:4000", []string{"https"}, 200},
		{"10.0.0.5:4000", []string{"http, https"}, 200},
		{"127.0.0.1:4000", nil, 403},
		{"127.0.0.1:4000", []string{"http"}, 403},
		// The client's own header first, the proxy's after: the proxy's wins.
		{"10.0.0.5:4000", []string{"https", "http"}, 403},
		{"10.0.0.5:4000", []string{"https, http"}, 403},
	} {
		req := httptest.NewRequest("POST", "/api/v1/check", strings.NewReader(body))
		req.RemoteAddr = tc.peer
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", "203.0.113.7")
		for _, p := range tc.protos {
			req.Header.Add("X-Forwarded-Proto", p)
		}
		rec := httptest.NewRecorder()
		f.handler.ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("%s %q: %d, want %d", tc.peer, tc.protos, rec.Code, tc.status)
		}
	}
}
