package audit

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// readTrail reads a trail and its rotated files, oldest first.
func readTrail(t *testing.T, path string, keep int) []Entry {
	t.Helper()
	var out []Entry
	for i := keep; i >= 0; i-- {
		p := path
		if i > 0 {
			p = fmt.Sprintf("%s.%d", path, i)
		}
		if _, err := os.Stat(p); os.IsNotExist(err) {
			continue
		}
		out = append(out, readAll(t, p)...)
	}
	return out
}

// refusalsIn splits entries into refusal records and the others, and
// sums the refusals they stand for.
func refusalsIn(entries []Entry) (refusals, others []Entry, total int) {
	for _, e := range entries {
		if !strings.HasPrefix(e.Result, "refused:") {
			others = append(others, e)
			continue
		}
		refusals = append(refusals, e)
		total += max(e.Count, 1)
	}
	return refusals, others, total
}

// TestRefusalFloodKeepsRealRecords: a flood of refused checks from one
// client, on a small trail that keeps one old file, leaves every real
// record in the trail and costs a few records, which still count every
// refusal.
func TestRefusalFloodKeepsRealRecords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l, err := Open(path, 4096, 1)
	if err != nil {
		t.Fatal(err)
	}
	realEntry := func(i int) Entry {
		return Entry{Platform: "slack", User: fmt.Sprintf("U%d", i), Action: "check", Target: "bm.domaine.com", Result: "ok"}
	}
	for i := range 3 {
		if err := l.Record(realEntry(i)); err != nil {
			t.Fatal(err)
		}
	}
	const flood = 20000
	for range flood {
		if err := l.Record(Entry{Platform: "web", User: "198.51.100.7", Action: "check", Target: "bm.domaine.com",
			Result: "refused:rate_limited"}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 3; i < 6; i++ {
		if err := l.Record(realEntry(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	refusals, others, total := refusalsIn(readTrail(t, path, 1))
	if len(others) != 6 {
		t.Fatalf("%d of the 6 real records are left: %+v", len(others), others)
	}
	for i, e := range others {
		if e.User != fmt.Sprintf("U%d", i) {
			t.Errorf("real record %d: %+v", i, e)
		}
	}
	if len(refusals) > 3 {
		t.Errorf("the flood cost %d records", len(refusals))
	}
	if total != flood {
		t.Errorf("the refusal records count %d refusals, want %d", total, flood)
	}
	for _, e := range refusals {
		if e.User != "198.51.100.7" || e.Platform != "web" || e.Result != "refused:rate_limited" || e.Target != "bm.domaine.com" {
			t.Errorf("refusal record %+v", e)
		}
		if e.Count > 1 && (e.Until.IsZero() || e.Until.Before(e.Time)) {
			t.Errorf("an aggregate without its span: %+v", e)
		}
	}
}

// fakeClock is a settable clock for the windows of refusals.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func openClocked(t *testing.T) (*Log, *fakeClock, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l, err := Open(path, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{t: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)}
	l.now = clock.now
	return l, clock, path
}

// TestRefusalWindows: the first refusal of a quiet client is written at
// once; the others of its window become one record "N refusals between
// T1 and T2" when the window ends; a client that keeps being refused is
// summed over longer and longer windows, and one that went quiet for a
// window is written at once again.
func TestRefusalWindows(t *testing.T) {
	l, clock, path := openClocked(t)
	refuse := func(n int, target string) {
		for range n {
			if err := l.Record(Entry{Platform: "web", User: "192.0.2.1", Action: "check", Target: target, Result: "refused:rate_limited"}); err != nil {
				t.Fatal(err)
			}
			clock.advance(100 * time.Millisecond)
		}
	}
	refuse(1, "a.example")
	if got := readAll(t, path); len(got) != 1 || got[0].Count != 0 || got[0].Target != "a.example" {
		t.Fatalf("the first refusal is not written at once: %+v", got)
	}
	refuse(100, "a.example")
	refuse(100, "b.example")
	if got := readAll(t, path); len(got) != 1 {
		t.Fatalf("refusals written before the window ended: %d records", len(got))
	}
	clock.advance(RefusalWindow)
	l.flush(clock.now(), false)
	got := readAll(t, path)
	if len(got) != 2 {
		t.Fatalf("after the window: %+v", got)
	}
	sum := got[1]
	if sum.Count != 200 || sum.Target != "" || !sum.Time.Equal(got[0].Time.Add(100*time.Millisecond)) ||
		!sum.Until.Equal(sum.Time.Add(199*100*time.Millisecond)) {
		t.Errorf("aggregate %+v", sum)
	}
	// Still refused: summed over a window twice as long.
	refuse(10, "a.example")
	clock.advance(RefusalWindow)
	l.flush(clock.now(), false)
	if got := readAll(t, path); len(got) != 2 {
		t.Errorf("a window of a hot client was cut short: %d records", len(got))
	}
	clock.advance(RefusalWindow)
	l.flush(clock.now(), false)
	if got := readAll(t, path); len(got) != 3 || got[2].Count != 10 || got[2].Target != "a.example" {
		t.Fatalf("after the longer window: %+v", got)
	}
	// A window without refusals forgets the client.
	clock.advance(MaxRefusalWindow)
	l.flush(clock.now(), false)
	refuse(1, "a.example")
	if got := readAll(t, path); len(got) != 4 || got[3].Count != 0 {
		t.Errorf("a client quiet for a window is not written at once: %+v", got)
	}
	l.Close()
}

// TestRefusalsOfManyClientsAreBounded: refusals of more clients than
// are recorded apart in a window become one record for all the others.
func TestRefusalsOfManyClientsAreBounded(t *testing.T) {
	l, _, path := openClocked(t)
	const clients = 5000
	for i := range clients {
		for range 3 {
			if err := l.Record(Entry{Platform: "web", User: fmt.Sprintf("2001:db8::%x", i), Action: "check", Result: "refused:not_allowed"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	l.Close()
	refusals, _, total := refusalsIn(readAll(t, path))
	if len(refusals) > 2*MaxRefusalClients+1 {
		t.Errorf("%d clients cost %d records", clients, len(refusals))
	}
	if total != 3*clients {
		t.Errorf("the records count %d refusals, want %d", total, 3*clients)
	}
	if last := refusals[len(refusals)-1]; last.User != OtherClients || last.Count != 3*(clients-MaxRefusalClients) {
		t.Errorf("the others' record: %+v", last)
	}
}

// TestRealRecordsAreNotAggregated: what is not a refusal (a reload
// "refused" as a whole is an event) is written at once, every time.
func TestRealRecordsAreNotAggregated(t *testing.T) {
	l, _, path := openClocked(t)
	for range 5 {
		_ = l.Record(Entry{Platform: "ops", User: "SIGHUP", Action: "reload", Result: "refused"})
		_ = l.Record(Entry{Platform: "web", User: "192.0.2.1", Action: "check", Result: "ok"})
	}
	if got := readAll(t, path); len(got) != 10 {
		t.Errorf("%d records of 10 events", len(got))
	}
	l.Close()
}

// TestSinceMatchesAnAggregateStillRunning: --since shows an aggregate
// whose span reaches into the period.
func TestSinceMatchesAnAggregateStillRunning(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	e := Entry{Time: t0, Until: t0.Add(time.Hour), Count: 50, Action: "check", Result: "refused:rate_limited"}
	if !(Filter{Since: t0.Add(30 * time.Minute)}).Match(e) {
		t.Error("an aggregate reaching into the period is filtered out")
	}
	if (Filter{Since: t0.Add(2 * time.Hour)}).Match(e) {
		t.Error("an aggregate before the period matches")
	}
}

// TestRefusalWindowEndsOnItsOwn: the sum of a window is written by the
// trail's own timer, without a further record or Close.
func TestRefusalWindowEndsOnItsOwn(t *testing.T) {
	l, clock, path := openClocked(t)
	defer l.Close()
	for range 3 {
		_ = l.Record(Entry{Platform: "web", User: "192.0.2.1", Action: "check", Result: "refused:rate_limited"})
	}
	clock.advance(2 * RefusalWindow)
	l.mu.Lock()
	l.armLocked(clock.now()) // the window is over: the timer fires now
	l.mu.Unlock()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := readAll(t, path)
		if len(got) == 2 && got[1].Count == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the window's sum was not written: %+v", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
