package main

import (
	"strings"
	"testing"
)

// TestStoreEnv: $MAILHELP_REDIS_URL sets the store URL, password and
// all, over the file's; one that is not a store URL is refused without
// being quoted.
func TestStoreEnv(t *testing.T) {
	for _, tc := range []struct{ env, want, err string }{
		{"", "", ""},
		{"redis://:s3cret@redis:6379/0", "redis://:s3cret@redis:6379/0", ""},
		{"rediss://cache.example:6380", "rediss://cache.example:6380", ""},
		{"http://s3cret@redis", "", "MAILHELP_REDIS_URL"},
		{"redis://:s3cret@", "", "no host"},
	} {
		m := &Main{Getenv: func(k string) string {
			if k == redisURLEnv {
				return tc.env
			}
			return ""
		}}
		cfg, err := m.loadConfig("")
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%q: %v", tc.env, err)
		case tc.err == "" && cfg.Store.URL != tc.want:
			t.Errorf("%q: store URL %q, want %q", tc.env, cfg.Store.URL, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: %v, want an error saying %q", tc.env, err, tc.err)
		case err != nil && strings.Contains(err.Error(), "s3cret"):
			t.Errorf("%q: the error quotes the URL: %v", tc.env, err)
		}
	}
}
