package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/audit"
)

// trailResults counts the audit trail's reload records by user and result.
func trailResults(t *testing.T, path string) map[string]int {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return map[string]int{}
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e audit.Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("%q: %v", sc.Text(), err)
		}
		if e.Action == "reload" {
			out[e.User+" "+e.Result]++
		}
	}
	return out
}

// TestAdminReloadThrottlesBadTokens: failed attempts are audited; past
// five per client, or twenty in all, a minute, every attempt is refused
// unread (even with the right token) and a flood writes one record.
func TestAdminReloadThrottlesBadTokens(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mailhelp.yaml")
	trail := filepath.Join(dir, "audit.jsonl")
	if err := os.WriteFile(path, []byte(safeV1(dir)), 0o644); err != nil {
		t.Fatal(err)
	}
	r, _ := testReloader(t, path)
	var mu sync.Mutex
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	r.guard.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	h := r.adminHandler("s3cret")
	post := func(ip, token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/admin/reload", nil)
		req.RemoteAddr = ip + ":40000"
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	for i := range 5 {
		if w := post("192.0.2.1", fmt.Sprint("guess", i)); w.Code != http.StatusUnauthorized {
			t.Fatalf("bad token %d: %d", i+1, w.Code)
		}
	}
	for i := range 100 {
		w := post("192.0.2.1", "guess")
		if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "60" {
			t.Fatalf("bad token %d: %d, Retry-After %q", i+6, w.Code, w.Header().Get("Retry-After"))
		}
	}
	if w := post("192.0.2.1", "s3cret"); w.Code != http.StatusTooManyRequests || strings.Contains(w.Body.String(), "reloaded") {
		t.Errorf("the right token from a throttled client: %d %s", w.Code, w.Body)
	}
	if w := post("192.0.2.2", "s3cret"); w.Code != http.StatusOK {
		t.Errorf("another client with the right token: %d %s", w.Code, w.Body)
	}
	got := trailResults(t, trail)
	if got["192.0.2.1 refused:unauthorized"] != 5 || got["192.0.2.1 refused:throttled"] != 1 || len(got) != 2 {
		t.Errorf("audit trail: %v", got)
	}
	advance(30 * time.Second)
	if w := post("192.0.2.1", "guess"); w.Header().Get("Retry-After") != "30" {
		t.Errorf("half-way: Retry-After %q", w.Header().Get("Retry-After"))
	}
	advance(30 * time.Second)
	if w := post("192.0.2.1", "s3cret"); w.Code != http.StatusOK {
		t.Errorf("a minute later, the right token: %d %s", w.Code, w.Body)
	}

	// Many clients: twenty failures in all, then everyone waits, and the
	// trail gets one record for all of them.
	advance(time.Minute)
	for i := range 1000 {
		w := post(fmt.Sprintf("198.51.100.%d", i%250), "guess")
		want := http.StatusUnauthorized
		if i >= 20 {
			want = http.StatusTooManyRequests
		}
		if w.Code != want {
			t.Fatalf("attempt %d from many clients: %d, want %d", i+1, w.Code, want)
		}
	}
	got = trailResults(t, trail)
	refused := 0
	for k, n := range got {
		if strings.HasPrefix(k, "198.51.100.") {
			refused += n
		}
	}
	if refused != 21 {
		t.Errorf("a flood from 250 clients wrote %d records, want 21: %v", refused, got)
	}
}

// TestAdminReloadLeavesOneHandle: 25 reloads through POST /admin/reload,
// each followed by a live check, leave one handle on the audit file.
func TestAdminReloadLeavesOneHandle(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("counts descriptors through /proc/self/fd")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "mailhelp.yaml")
	trail := filepath.Join(dir, "audit.jsonl")
	cfg := func(host string) string {
		// The host is pinned to an address nothing listens on: the check
		// fails at once, and is recorded.
		return "domains:\n  - domain: domaine.com\n    host: " + host + "\ncheck:\n  budget: 2s\n  per_user: 1000\n  per_target: 1000\n" +
			"  hosts:\n    " + host + ": 127.0.0.1\n  allow_any_host: false\naudit:\n  file: " + trail + "\n"
	}
	if err := os.WriteFile(path, []byte(cfg("bm.domaine.com")), 0o644); err != nil {
		t.Fatal(err)
	}
	base, _, stop := startServe(t, map[string]string{"MAILHELP_CONFIG": path, "MAILHELP_ADMIN_TOKEN": "s3cret"}, nil)
	defer stop()
	handles := func() int {
		entries, _ := os.ReadDir("/proc/self/fd")
		n := 0
		for _, e := range entries {
			if target, err := os.Readlink(filepath.Join("/proc/self/fd", e.Name())); err == nil && target == trail {
				n++
			}
		}
		return n
	}
	for i := range 25 {
		host := []string{"bm.domaine.com", "mail.domaine.com"}[i%2]
		if err := os.WriteFile(path, []byte(cfg(host)), 0o644); err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("POST", base+"admin/reload", nil)
		req.Header.Set("Authorization", "Bearer s3cret")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("reload %d: %d", i+1, resp.StatusCode)
		}
		resp, err = http.Post(base+"api/v1/check", "application/json", strings.NewReader(`{"host":"`+host+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if n := handles(); n > 1 {
			t.Fatalf("after reload %d and a check: %d handles on the audit file", i+1, n)
		}
	}
	data, _ := os.ReadFile(trail)
	if n := strings.Count(string(data), `"action":"check"`); n != 25 {
		t.Errorf("%d checks recorded, want 25", n)
	}
}
