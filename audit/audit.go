// Package audit keeps mailhelp's audit trail: one JSON line per admin
// action and per live check (who, when, what, result), appended to a file
// and synced to disk before the write returns, so that nothing recorded is
// lost if the process is killed between two actions. The file is rotated
// by size. It imports nothing from this module.
package audit

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"time"
)

// Entry is one recorded action. It holds ids and names, never message
// text, addresses' local parts or secrets.
type Entry struct {
	Time     time.Time `json:"time"`
	Platform string    `json:"platform"`
	// User is the platform's user id ("U024BE7LH"), or "cli".
	User string `json:"user"`
	// Action is "check", "announce", "reload"…
	Action string `json:"action"`
	// Target is the domain or host acted on.
	Target  string `json:"target,omitempty"`
	Channel string `json:"channel,omitempty"`
	// Result is the outcome: a verdict ("ok", "warn", "fail"), "posted",
	// or "refused:<code>".
	Result string `json:"result"`
}

// Log appends entries to a file. It is safe for concurrent use.
type Log struct {
	mu       sync.Mutex
	path     string
	maxBytes int64
	keep     int
	f        *os.File
	size     int64
	closed   bool
	now      func() time.Time
}

// Open prepares the trail at path; the file is created with the first
// entry, so a process that records nothing leaves nothing behind. When a
// write would take the file past maxBytes it is rotated: path becomes
// path.1, path.1 becomes path.2, … up to keep old files.
func Open(path string, maxBytes int64, keep int) (*Log, error) {
	if path == "" {
		return nil, errors.New("audit: no file")
	}
	if maxBytes <= 0 {
		maxBytes = 10 << 20
	}
	if keep < 1 {
		keep = 5
	}
	return &Log{path: path, maxBytes: maxBytes, keep: keep, now: time.Now}, nil
}

func (l *Log) open() error {
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("audit: %w", err)
	}
	l.f, l.size = f, st.Size()
	return nil
}

// Record appends e (its Time set now if zero) as one line, in a single
// write, and syncs it to disk.
func (l *Log) Record(e Entry) error {
	if e.Time.IsZero() {
		e.Time = l.now().UTC()
	}
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	line = append(line, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return errors.New("audit: log closed")
	}
	if l.f == nil {
		if err := l.open(); err != nil {
			return err
		}
	}
	if l.size > 0 && l.size+int64(len(line)) > l.maxBytes {
		if err := l.rotate(); err != nil {
			return err
		}
	}
	n, err := l.f.Write(line)
	l.size += int64(n)
	if err != nil {
		return fmt.Errorf("audit: write: %w", err)
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("audit: sync: %w", err)
	}
	return nil
}

// rotate shifts the old files and starts a new one.
func (l *Log) rotate() error {
	if err := l.f.Close(); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	_ = os.Remove(l.path + "." + strconv.Itoa(l.keep))
	for i := l.keep - 1; i >= 1; i-- {
		_ = os.Rename(l.path+"."+strconv.Itoa(i), l.path+"."+strconv.Itoa(i+1))
	}
	if err := os.Rename(l.path, l.path+".1"); err != nil {
		return fmt.Errorf("audit: rotate: %w", err)
	}
	return l.open()
}

// Close closes the file.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// Filter selects entries; zero fields match everything.
type Filter struct {
	Action, User, Platform string
	Since                  time.Time
}

// Match reports whether e passes the filter.
func (f Filter) Match(e Entry) bool {
	return (f.Action == "" || e.Action == f.Action) && (f.User == "" || e.User == f.User) &&
		(f.Platform == "" || e.Platform == f.Platform) && (f.Since.IsZero() || !e.Time.Before(f.Since))
}

// Read calls fn for each entry of r that f matches. A line that is not
// an entry (a write torn by a crash, a foreign line) is skipped and
// counted, never fatal.
func Read(r io.Reader, f Filter, fn func(Entry) error) (skipped int, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var e Entry
		if json.Unmarshal(sc.Bytes(), &e) != nil || e.Action == "" {
			skipped++
			continue
		}
		if f.Match(e) {
			if err := fn(e); err != nil {
				return skipped, err
			}
		}
	}
	return skipped, sc.Err()
}
