package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/mailhelp/mailhelp/internal/testbot"
)

// TestHealthzNamesTheInstance: /healthz says which service, build and
// public URL answer, so that mailhelp doctor can tell this instance from
// another server behind web.public_url.
func TestHealthzNamesTheInstance(t *testing.T) {
	for _, publicURL := range []string{"", "https://help.example.com"} {
		r, cat := testbot.Router(t, nil)
		s, err := New(Options{Router: r, Translator: cat, Logger: testbot.Quiet(), PublicURL: publicURL})
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		var h Health
		if err := json.Unmarshal(rec.Body.Bytes(), &h); err != nil {
			t.Fatal(err)
		}
		want := Health{Status: "ok", Service: Service, Version: InstanceVersion(), PublicURL: publicURL}
		if h != want {
			t.Errorf("public_url %q: /healthz = %+v, want %+v", publicURL, h, want)
		}
	}
}

func TestVersionOf(t *testing.T) {
	tests := []struct {
		b    BuildInfo
		want string
	}{
		{BuildInfo{}, "unknown"},
		{BuildInfo{Version: "v1.2.3"}, "v1.2.3"},
		{BuildInfo{Version: "v1.2.3", Commit: "6184ef0abcdef0123456"}, "v1.2.3 6184ef0abcde"},
		{BuildInfo{Version: "(devel)", Commit: "6184ef0"}, "(devel) 6184ef0"},
	}
	for _, tc := range tests {
		if got := versionOf(tc.b); got != tc.want {
			t.Errorf("versionOf(%+v) = %q, want %q", tc.b, got, tc.want)
		}
	}
}

// TestReadyzDegraded: /readyz is 503 with the reason when the process
// cannot serve, 200 saying what is degraded when it serves less well,
// 200 alone otherwise.
func TestReadyzDegraded(t *testing.T) {
	r, cat := testbot.Router(t, nil)
	for _, tc := range []struct {
		ready, degraded error
		code            int
		body            map[string]string
	}{
		{nil, nil, 200, map[string]string{"status": "ready"}},
		{nil, errors.New("shared store: not answering"), 200, map[string]string{"status": "ready", "degraded": "shared store: not answering"}},
		{errors.New("slack: not connected"), errors.New("shared store: not answering"), 503,
			map[string]string{"status": "not ready", "reason": "slack: not connected"}},
	} {
		s, err := New(Options{Router: r, Translator: cat, Logger: testbot.Quiet(),
			Ready: func() error { return tc.ready }, Degraded: func() error { return tc.degraded }})
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		var got map[string]string
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != tc.code || !reflect.DeepEqual(got, tc.body) {
			t.Errorf("ready %v, degraded %v: %d %s", tc.ready, tc.degraded, rec.Code, rec.Body)
		}
	}
}
