package testredis

import (
	"strings"
	"testing"
)

// TestServer documents the fixture: it answers, its URL names it, Stop
// makes it unreachable and Restart brings it back on the same address.
func TestServer(t *testing.T) {
	s := Start(t)
	if err := ping(s.Addr); err != nil {
		t.Fatalf("after Start: %v", err)
	}
	if want := "redis://" + s.Addr + "/0"; s.URL() != want {
		t.Errorf("URL %q, want %q", s.URL(), want)
	}
	if strings.HasSuffix(s.Addr, ":6379") {
		t.Errorf("listens on the system instance's port: %s", s.Addr)
	}
	s.Stop()
	if err := ping(s.Addr); err == nil {
		t.Fatal("still answers after Stop")
	}
	s.Stop() // stopping twice is harmless
	addr := s.Addr
	s.Restart(t)
	if s.Addr != addr {
		t.Errorf("restarted on %s, want %s", s.Addr, addr)
	}
	if err := ping(s.Addr); err != nil {
		t.Fatalf("after Restart: %v", err)
	}
}
