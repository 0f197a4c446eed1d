package audit

import (
	"bytes"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestWriteFailuresAreLoggedOncePerStreakAndCounted: every failed write
// is counted; the first of a streak is logged, and so is the recovery.
func TestWriteFailuresAreLoggedOncePerStreakAndCounted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "not-yet")
	l, err := Open(filepath.Join(dir, "audit.jsonl"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	var mu sync.Mutex
	failed := 0
	l.SetHooks(Hooks{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Failed: func(error) { mu.Lock(); failed++; mu.Unlock() },
	})
	record := func(n int) (errs int) {
		for range n {
			if l.Record(Entry{Platform: "cli", User: "cli", Action: "check", Result: "ok"}) != nil {
				errs++
			}
		}
		return errs
	}
	if errs := record(5); errs != 5 {
		t.Fatalf("%d of 5 writes into a missing directory failed", errs)
	}
	if n := strings.Count(logs.String(), "level=ERROR"); n != 1 {
		t.Errorf("a streak of 5 failures logged %d times:\n%s", n, logs.String())
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if errs := record(3); errs != 0 {
		t.Fatalf("%d writes failed after the directory came back", errs)
	}
	if !strings.Contains(logs.String(), "level=INFO") {
		t.Errorf("the recovery is not logged:\n%s", logs.String())
	}
	// A second streak (a request still writing to the trail of a
	// configuration that was replaced) is logged again.
	l.Close()
	if errs := record(4); errs != 4 {
		t.Fatalf("%d of 4 writes to a closed trail failed", errs)
	}
	if n := strings.Count(logs.String(), "level=ERROR"); n != 2 {
		t.Errorf("two streaks logged %d times:\n%s", n, logs.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if failed != 9 {
		t.Errorf("%d failures counted, want 9", failed)
	}
}

// TestReady opens the file now, so that an action that could not be
// recorded can be refused before it is done.
func TestReady(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l, _ := Open(path, 0, 0)
	defer l.Close()
	if err := l.Ready(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("Ready did not open the file: %v", err)
	}
	bad, _ := Open(filepath.Join(t.TempDir(), "missing", "audit.jsonl"), 0, 0)
	defer bad.Close()
	if err := bad.Ready(); err == nil || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Ready on a missing directory: %v", err)
	}
}
