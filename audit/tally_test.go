package audit

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// fakeTally is a Tally in memory that fails while down is set: one run
// per client, without windows (Take takes every sum).
type fakeTally struct {
	mu    sync.Mutex
	down  bool
	runs  map[string]*Entry
	takes int
}

func (f *fakeTally) Add(_ context.Context, e Entry) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return false, errors.New("down")
	}
	if f.runs == nil {
		f.runs = map[string]*Entry{}
	}
	r := f.runs[e.User]
	if r == nil {
		f.runs[e.User] = &Entry{Platform: e.Platform, User: e.User, Action: e.Action, Result: e.Result}
		return true, nil
	}
	if r.Count == 0 {
		r.Time = e.Time
	}
	r.Count++
	r.Until = e.Time
	return false, nil
}

func (f *fakeTally) Take(_ context.Context, _ time.Time, _ bool) ([]Entry, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.takes++
	if f.down {
		return nil, errors.New("down")
	}
	var out []Entry
	for _, r := range f.runs {
		if r.Count > 0 {
			out = append(out, *r)
			r.Count = 0
		}
	}
	return out, nil
}

func (f *fakeTally) setDown(down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = down
}

func (f *fakeTally) takesSoFar() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.takes
}

// TestTallySumsAndPolls: with a Tally, a refusal it says is the first
// is written at once, the others only as the sums the poller takes; a
// record that is no refusal is written as ever.
func TestTallySumsAndPolls(t *testing.T) {
	l, _, path := openClocked(t)
	l.tallyPoll = 10 * time.Millisecond
	tally := &fakeTally{}
	l.SetTally(tally)
	refused := Entry{Platform: "web", User: "198.51.100.7", Action: "check", Result: "refused:rate_limited"}
	for range 5 {
		if err := l.Record(refused); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Record(Entry{Platform: "slack", User: "U1", Action: "check", Result: "ok"}); err != nil {
		t.Fatal(err)
	}
	for tally.takesSoFar() < 2 {
		time.Sleep(5 * time.Millisecond)
	}
	// The poller took the sum; Close has nothing more to write.
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	refusals, others, total := refusalsIn(readAll(t, path))
	if len(others) != 1 || total != 5 || len(refusals) != 2 || refusals[0].Count != 0 || refusals[1].Count != 4 {
		t.Errorf("refusal records %+v (%d refusals), others %+v", refusals, total, others)
	}
}

// TestTallyDownSumsAlone: while the Tally fails, the log sums refusals
// alone (the first written at once, the others when the log closes);
// once it works again, refusals go to it; Close writes its sums too.
func TestTallyDownSumsAlone(t *testing.T) {
	l, _, path := openClocked(t)
	l.tallyPoll = time.Hour
	tally := &fakeTally{down: true}
	l.SetTally(tally)
	refused := Entry{Platform: "web", User: "198.51.100.7", Action: "check", Result: "refused:rate_limited"}
	for range 3 {
		if err := l.Record(refused); err != nil {
			t.Fatal(err)
		}
	}
	tally.setDown(false)
	for range 4 {
		if err := l.Record(refused); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatalf("a second Close: %v", err)
	}
	refusals, _, total := refusalsIn(readAll(t, path))
	// Alone: one at once, a sum of 2. Shared: one at once, a sum of 3.
	if total != 7 || len(refusals) != 4 {
		t.Errorf("refusal records %+v (%d refusals, want 7 in 4 records)", refusals, total)
	}
	if err := l.Record(refused); err == nil {
		t.Error("a refusal recorded after Close")
	}
}
