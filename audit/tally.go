package audit

import (
	"context"
	"errors"
	"sync"
	"time"
)

// A Tally sums refusals for several processes that keep one trail
// between them (replicas sharing a store, each writing its own file):
// with the same rules as a lone Log (RefusalWindow, MaxRefusalWindow,
// MaxRefusalClients, OtherClients), so that a client refused by every
// replica in turn costs the trail what it costs a single process — one
// record at once, then one sum per window — and not one of each per
// replica.
type Tally interface {
	// Add counts the refusal e (its Time set). first reports that it
	// opened its client's run (no refusal of that client, action and
	// code is being summed): e is then to be written at once, by the
	// caller, and is not counted in any sum.
	Add(ctx context.Context, e Entry) (first bool, err error)
	// Take returns the sums of the runs whose window ended by now, each
	// once whichever process takes it, as records to write (Count and
	// Until set); a run's next window is then twice as long, and a run
	// that summed nothing over its window is forgotten. With all set (a
	// process stopping), it returns what every run summed so far, and
	// the runs go on.
	Take(ctx context.Context, now time.Time, all bool) ([]Entry, error)
}

// TallyPoll is how often a Log with a Tally takes the sums due: a
// window ends at most this late in the trail.
const TallyPoll = 5 * time.Second

// tallyState is the Tally of a Log, and its poller.
type tallyState struct {
	t        Tally
	poll     time.Duration
	stop     chan struct{}
	done     chan struct{}
	stopping sync.Once
}

// SetTally makes the log sum refusals through t, taking the sums due
// every TallyPoll. While t fails (its store is down), refusals are
// summed by the log alone, as without a Tally: nothing is lost, but a
// client refused by several processes then has a record at once in
// each. It is called once, before the first Record.
func (l *Log) SetTally(t Tally) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tally != nil || l.closed || t == nil {
		return
	}
	poll := l.tallyPoll
	if poll <= 0 {
		poll = TallyPoll
	}
	ts := &tallyState{t: t, poll: poll, stop: make(chan struct{}), done: make(chan struct{})}
	l.tally = ts
	go l.pollTally(ts)
}

// recordShared counts the refusal e in the tally: handled reports that
// it was (and, when it was the first, written); when the tally fails,
// the log sums e alone.
func (l *Log) recordShared(e Entry) (handled bool, err error) {
	l.mu.Lock()
	ts, closed := l.tally, l.closed
	l.mu.Unlock()
	if ts == nil || closed {
		return false, nil
	}
	first, terr := ts.t.Add(context.Background(), e)
	if terr != nil {
		return false, nil
	}
	if !first {
		return true, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return true, l.report(errors.New("audit: log closed"))
	}
	return true, l.report(l.write(e, true))
}

// pollTally takes the sums due every poll, until Close.
func (l *Log) pollTally(ts *tallyState) {
	defer close(ts.done)
	tick := time.NewTicker(ts.poll)
	defer tick.Stop()
	for {
		select {
		case <-ts.stop:
			return
		case <-tick.C:
			_ = l.takeSums(ts.t, false)
		}
	}
}

// takeSums writes the sums t has for this log, in one sync. A failure
// of t (its store down) is no failure of the trail: the sums stay in
// the store for the next poll, of this process or another.
func (l *Log) takeSums(t Tally, all bool) error {
	sums, err := t.Take(context.Background(), l.now(), all)
	if err != nil || len(sums) == 0 {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return l.report(errors.New("audit: log closed"))
	}
	var errs []error
	wrote := false
	for _, e := range sums {
		if err := l.report(l.write(e, false)); err != nil {
			errs = append(errs, err)
		} else {
			wrote = true
		}
	}
	if wrote {
		if err := l.report(l.sync()); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// stopTally stops the poller and writes every sum pending in the
// tally, so that none waits for another process that may never come.
func (l *Log) stopTally() error {
	l.mu.Lock()
	ts := l.tally
	l.mu.Unlock()
	if ts == nil {
		return nil
	}
	stopped := false
	ts.stopping.Do(func() {
		close(ts.stop)
		<-ts.done
		stopped = true
	})
	if !stopped {
		return nil
	}
	return l.takeSums(ts.t, true)
}
