package config

import (
	"strings"
	"testing"
	"time"
)

// TestStoreURL: the store section takes redis:// and rediss:// URLs
// naming a host, refuses anything else and any password, and never
// repeats the URL in its error (it may hold a password).
func TestStoreURL(t *testing.T) {
	for _, tc := range []struct {
		url, err string
	}{
		{"", ""},
		{"redis://localhost:6379/0", ""},
		{"redis://redis", ""},
		{"rediss://cache.example.org:6380/2", ""},
		{"redis://mailhelp@redis:6379", ""},
		{"redis://[::1]:6379", ""},
		{"http://redis:6379", "scheme"},
		{"redis://", "no host"},
		{"redis:opaque", "no host"},
		{"redis://redis:99999", "port"},
		{"redis://redis:port", "not a URL"},
		{"redis://redis/db", "database number"},
		{"redis://redis/-1", "database number"},
		{"redis://:s3cret@redis:6379/0", "MAILHELP_REDIS_URL"},
		{"redis://user:s3cret@redis", "MAILHELP_REDIS_URL"},
		{"redis://u:s3cret@%zz", "not a URL"},
	} {
		cfg, err := Parse([]byte("domains:\n  - {domain: domaine.com, host: bm.domaine.com}\nstore:\n  url: \"" + tc.url + "\"\n"))
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%q: %v", tc.url, err)
		case tc.err == "" && cfg.Store.URL != tc.url:
			t.Errorf("%q: store URL %q", tc.url, cfg.Store.URL)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: error %v, want one saying %q", tc.url, err, tc.err)
		case err != nil && strings.Contains(err.Error(), "s3cret"):
			t.Errorf("%q: the error repeats the password: %v", tc.url, err)
		}
	}
	for _, tc := range []struct {
		lease string
		want  time.Duration
		err   string
	}{{"", 0, ""}, {"2s", 2 * time.Second, ""}, {"10m", 10 * time.Minute, ""}, {"500ms", 0, "between"}, {"1h", 0, "between"}, {"soon", 0, "not a duration"}} {
		cfg, err := Parse([]byte("domains:\n  - {domain: domaine.com, host: bm.domaine.com}\nstore:\n  claim_lease: \"" + tc.lease + "\"\n"))
		switch {
		case tc.err == "" && (err != nil || cfg.Store.ClaimLease != tc.want):
			t.Errorf("claim_lease %q: %v, %v", tc.lease, cfg, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("claim_lease %q: %v, want an error saying %q", tc.lease, err, tc.err)
		}
	}
	// From the environment a password is fine.
	if err := CheckStoreURL("redis://:s3cret@redis:6379/0"); err != nil {
		t.Errorf("CheckStoreURL with a password: %v", err)
	}
}

// FuzzCheckStoreURL: any string gets an answer without panicking, and a
// refusal never quotes the URL.
func FuzzCheckStoreURL(f *testing.F) {
	for _, s := range []string{"redis://localhost:6379/0", "rediss://u:p@h:1/2?dial_timeout=1s", "redis://%", "\x00", "redis://[::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if err := CheckStoreURL(s); err != nil && len(s) > 12 && strings.Contains(err.Error(), s) {
			t.Errorf("%q: the error quotes the URL: %v", s, err)
		}
	})
}
