// Package audit keeps mailhelp's audit trail: one JSON line per admin
// action and per live check (who, when, what, result), appended to a file
// and synced to disk before the write returns, so that nothing recorded is
// lost if the process is killed between two actions. Refusals are summed
// per client and window (see Log.Record), so that nobody can flush the
// trail by being refused — by one process, or by replicas sharing a
// Tally. The file is rotated by size. It imports nothing
// from this module.
package audit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
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
	// Count is set on a record that sums refusals: that many, the first
	// at Time and the last at Until. It is zero on the record of one
	// action.
	Count int       `json:"count,omitempty"`
	Until time.Time `json:"until,omitzero"`
}

// Hooks tell the rest of the program about the trail's failed writes.
// A nil field does nothing.
type Hooks struct {
	// Logger gets the first failure of each streak of failed writes,
	// and the first write that succeeds after it: never one line per
	// failure.
	Logger *slog.Logger
	// Failed is called for each failed write (a metric counts them).
	Failed func(err error)
}

// Log appends entries to a file. It is safe for concurrent use.
type Log struct {
	closing  sync.Mutex // held by Close
	mu       sync.Mutex
	path     string
	maxBytes int64
	keep     int
	f        *os.File
	size     int64
	closed   bool
	now      func() time.Time
	hooks    Hooks
	failing  bool // the last write failed

	// Refusals being summed (refusals.go).
	runs  map[refusalKey]*refusalRun
	apart int // runs of a client of their own, not OtherClients
	timer *time.Timer

	// Refusals summed with other processes (tally.go).
	tally     *tallyState
	tallyPoll time.Duration // TallyPoll unless set by a test
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
	return &Log{path: path, maxBytes: maxBytes, keep: keep, now: time.Now, runs: map[refusalKey]*refusalRun{}}, nil
}

// SetHooks makes h the hooks told about failed writes.
func (l *Log) SetHooks(h Hooks) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hooks = h
}

// Ready opens the file now, creating it, so that a caller can refuse an
// action that could not be recorded before doing it. Its failure is
// returned, not told to the hooks.
func (l *Log) Ready() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return errors.New("audit: log closed")
	}
	if l.f == nil {
		return l.open()
	}
	return nil
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
//
// A refusal (a Result "refused:<code>") is summed instead: the first one
// of a client (platform and user) for an action and code is written at
// once; the ones that follow it within a minute become one record, with
// Count and Until, written when the minute ends — and while the client
// keeps being refused, its windows double, up to an hour. A client
// refused nothing for a whole window is forgotten. At most 32 clients
// are summed apart at a time; the refusals of any other are summed as
// those of OtherClients. So a flood of refusals costs a few records, and
// no sync per request, whatever its rate; Close writes what is pending.
// With a Tally (SetTally), refusals are summed with the other processes
// sharing it.
//
// A failed write is told to the hooks and returned.
func (l *Log) Record(e Entry) error {
	if e.Time.IsZero() {
		e.Time = l.now().UTC()
	}
	if IsRefusal(e) {
		if handled, err := l.recordShared(e); handled {
			return err
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return l.report(errors.New("audit: log closed"))
	}
	if IsRefusal(e) {
		return l.refuse(e)
	}
	return l.report(l.write(e, true))
}

// write appends e as one line, and syncs the file when sync is set. On a
// failure the file is closed, to be opened again by the next write.
func (l *Log) write(e Entry, sync bool) error {
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	line = append(line, '\n')
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
		l.drop()
		return fmt.Errorf("audit: write: %w", err)
	}
	if sync {
		return l.sync()
	}
	return nil
}

// sync syncs the file to disk.
func (l *Log) sync() error {
	if l.f == nil {
		return nil
	}
	if err := l.f.Sync(); err != nil {
		l.drop()
		return fmt.Errorf("audit: sync: %w", err)
	}
	return nil
}

// drop closes the file after a failure.
func (l *Log) drop() {
	if l.f != nil {
		_ = l.f.Close()
		l.f = nil
	}
}

// report tells the hooks about the outcome of a write, and returns err.
func (l *Log) report(err error) error {
	h := l.hooks
	switch {
	case err != nil:
		if h.Failed != nil {
			h.Failed(err)
		}
		if !l.failing && h.Logger != nil {
			h.Logger.Error("audit trail: a record could not be written; further failures are counted, not logged, until one succeeds",
				"file", l.path, "err", err)
		}
		l.failing = true
	case l.failing:
		l.failing = false
		if h.Logger != nil {
			h.Logger.Info("audit trail: records are written again", "file", l.path)
		}
	}
	return err
}

// rotate shifts the old files and starts a new one.
func (l *Log) rotate() error {
	err := l.f.Close()
	l.f = nil
	if err != nil {
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

// Close writes the refusals still being summed (those of its Tally
// too) and closes the file.
func (l *Log) Close() error {
	// One Close at a time: a second waits for the first, then finds the
	// log closed.
	l.closing.Lock()
	defer l.closing.Unlock()
	tallyErr := l.stopTally()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	flushErr := errors.Join(tallyErr, l.flushLocked(l.now(), true))
	l.closed = true
	if l.f == nil {
		return flushErr
	}
	err := l.f.Close()
	l.f = nil
	return errors.Join(flushErr, err)
}

// Filter selects entries; zero fields match everything.
type Filter struct {
	Action, User, Platform string
	Since                  time.Time
}

// Match reports whether e passes the filter. A record that sums
// refusals matches Since when its span reaches into the period.
func (f Filter) Match(e Entry) bool {
	since := f.Since.IsZero() || !e.Time.Before(f.Since) || !e.Until.IsZero() && !e.Until.Before(f.Since)
	return (f.Action == "" || e.Action == f.Action) && (f.User == "" || e.User == f.User) &&
		(f.Platform == "" || e.Platform == f.Platform) && since
}

// maxLine is the longest line Read parses; a longer one is skipped.
const maxLine = 1 << 20

// Read calls fn for each entry of r that f matches. A line that is not
// an entry (a write torn by a crash, a foreign line, a line over 1 MiB)
// is skipped and counted, never fatal; only a failure to read r is.
func Read(r io.Reader, f Filter, fn func(Entry) error) (skipped int, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var buf []byte
	for {
		line, long, rerr := readLine(br, buf[:0])
		buf = line
		// A line ended by a newline counts even when empty; the piece
		// after the last newline only when there is one.
		if rerr == nil || len(line) > 0 || long {
			var e Entry
			switch {
			case long || json.Unmarshal(line, &e) != nil || e.Action == "":
				skipped++
			case f.Match(e):
				if err := fn(e); err != nil {
					return skipped, err
				}
			}
		}
		if rerr == io.EOF {
			return skipped, nil
		}
		if rerr != nil {
			return skipped, fmt.Errorf("audit: read: %w", rerr)
		}
	}
}

// readLine reads one line into buf, without its newline, keeping at most
// maxLine bytes in memory: long reports a longer line, whose bytes are
// read and dropped. err is io.EOF after the last line.
func readLine(br *bufio.Reader, buf []byte) (line []byte, long bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !long {
			buf = append(buf, chunk...)
			if len(buf) > maxLine+1 {
				long, buf = true, buf[:0]
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if !long {
			buf = bytes.TrimSuffix(buf, []byte("\n"))
			if len(buf) > maxLine {
				long, buf = true, buf[:0]
			}
		}
		return buf, long, err
	}
}
