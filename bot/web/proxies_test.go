package web_test

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/bot/web"
)

// TestTrustedProxies: X-Forwarded-For and Forwarded name the client only
// when the peer is a trusted proxy, and then the rightmost hop that is
// not one; anyone else's headers are ignored.
func TestTrustedProxies(t *testing.T) {
	lim := &recordingLimiter{}
	f := newFixtureWith(t, stubProber{rep: okReport}, lim, func(o *web.Options) {
		o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	})
	cases := []struct {
		name, peer string
		hdr        []string
		want       string
	}{
		{"no proxy", "203.0.113.9:5000", nil, "203.0.113.9"},
		{"an untrusted peer's header is ignored", "203.0.113.9:5000", []string{"X-Forwarded-For", "198.51.100.1"}, "203.0.113.9"},
		{"an untrusted peer's Forwarded is ignored", "203.0.113.9:5000", []string{"Forwarded", "for=198.51.100.1"}, "203.0.113.9"},
		{"a trusted proxy without a header", "10.0.0.1:5000", nil, "10.0.0.1"},
		{"one hop", "10.0.0.1:5000", []string{"X-Forwarded-For", "198.51.100.1"}, "198.51.100.1"},
		{"a spoofed hop on the left", "10.0.0.1:5000", []string{"X-Forwarded-For", "6.6.6.6, 198.51.100.1"}, "198.51.100.1"},
		{"two proxies", "10.0.0.1:5000", []string{"X-Forwarded-For", "6.6.6.6, 198.51.100.1,10.0.0.2"}, "198.51.100.1"},
		{"several header lines", "10.0.0.1:5000", []string{"X-Forwarded-For", "6.6.6.6", "X-Forwarded-For", "198.51.100.1"}, "198.51.100.1"},
		{"a hop with a port", "10.0.0.1:5000", []string{"X-Forwarded-For", "198.51.100.1:4711"}, "198.51.100.1"},
		{"IPv6", "[fd00::1]:5000", []string{"X-Forwarded-For", "2001:db8::7"}, "2001:db8::7"},
		{"IPv4-mapped peer", "[::ffff:10.0.0.1]:5000", []string{"X-Forwarded-For", "198.51.100.1"}, "198.51.100.1"},
		{"garbage behind trusted hops", "10.0.0.1:5000", []string{"X-Forwarded-For", "garbage, 10.0.0.2"}, "10.0.0.2"},
		{"garbage on the left", "10.0.0.1:5000", []string{"X-Forwarded-For", "garbage, 198.51.100.1"}, "198.51.100.1"},
		{"only trusted hops", "10.0.0.1:5000", []string{"X-Forwarded-For", "10.0.0.3, 10.0.0.2"}, "10.0.0.3"},
		{"an empty header", "10.0.0.1:5000", []string{"X-Forwarded-For", ""}, "10.0.0.1"},
		{"Forwarded", "10.0.0.1:5000", []string{"Forwarded", `for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8:cafe::17]:4711"`}, "2001:db8:cafe::17"},
		{"Forwarded, quoted, with a port", "10.0.0.1:5000", []string{"Forwarded", `For="198.51.100.7:1234"`}, "198.51.100.7"},
		{"Forwarded, a spoofed hop on the left", "10.0.0.1:5000", []string{"Forwarded", "for=6.6.6.6", "Forwarded", "for=198.51.100.7;proto=https"}, "198.51.100.7"},
		{"Forwarded, an unknown hop", "10.0.0.1:5000", []string{"Forwarded", "for=unknown"}, "10.0.0.1"},
		{"Forwarded, an obfuscated hop", "10.0.0.1:5000", []string{"Forwarded", "for=_hidden, for=10.0.0.2"}, "10.0.0.2"},
		{"X-Forwarded-For comes first", "10.0.0.1:5000", []string{"X-Forwarded-For", "198.51.100.1", "Forwarded", "for=6.6.6.6"}, "198.51.100.1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/api/v1/check", strings.NewReader(`{"host":"bm.domaine.com"}`))
			req.Header.Set("Content-Type", "application/json")
			req.RemoteAddr = tc.peer
			for i := 0; i+1 < len(tc.hdr); i += 2 {
				req.Header.Add(tc.hdr[i], tc.hdr[i+1])
			}
			rec := httptest.NewRecorder()
			f.handler.ServeHTTP(rec, req)
			if rec.Code != 200 {
				t.Fatalf("%d %s", rec.Code, rec.Body.String())
			}
			if got := lim.last(); got != "web:"+tc.want {
				t.Errorf("counted against %q, want web:%s", got, tc.want)
			}
		})
	}
	// Without trusted proxies, every header is ignored, as before.
	plain := &recordingLimiter{}
	g := newFixture(t, stubProber{rep: okReport}, plain)
	req := httptest.NewRequest("POST", "/api/v1/check", strings.NewReader(`{"host":"bm.domaine.com"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", "198.51.100.1")
	req.RemoteAddr = "10.0.0.1:5000"
	g.handler.ServeHTTP(httptest.NewRecorder(), req)
	if got := plain.last(); got != "web:10.0.0.1" {
		t.Errorf("no trusted proxy: counted against %q", got)
	}
}
