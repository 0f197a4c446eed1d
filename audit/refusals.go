package audit

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"time"
)

// OtherClients is the User of a record that sums the refusals of the
// clients beyond those summed apart (see Log.Record).
const OtherClients = "*"

// The rules of summing refusals, which a Tally applies too.
const (
	// RefusalWindow is the first window over which a client's refusals
	// are summed; it doubles while the client keeps being refused, up to
	// MaxRefusalWindow.
	RefusalWindow    = time.Minute
	MaxRefusalWindow = time.Hour
	// MaxRefusalClients is how many clients' refusals are summed apart
	// at a time; the others' are summed as those of OtherClients.
	MaxRefusalClients = 32
)

// IsRefusal reports whether e records one refused request, which
// Log.Record sums.
func IsRefusal(e Entry) bool {
	return strings.HasPrefix(e.Result, "refused:") && e.Count == 0
}

// refusalKey is what a sum of refusals is about: a client, an action
// and a code.
type refusalKey struct{ platform, user, action, result string }

// refusalRun sums a client's refusals over its current window.
type refusalRun struct {
	window time.Duration
	due    time.Time // when the window ends
	n      int       // refusals in it, beyond the one written at once
	first  time.Time
	last   time.Time
	// target and channel are those of every refusal summed, or "" when
	// they differ.
	target, channel string
}

func (r *refusalRun) add(e Entry) {
	if r.n == 0 {
		r.first, r.target, r.channel = e.Time, e.Target, e.Channel
	}
	if e.Target != r.target {
		r.target = ""
	}
	if e.Channel != r.channel {
		r.channel = ""
	}
	r.last = e.Time
	r.n++
}

// refuse records or sums the refusal e; l.mu is held.
func (l *Log) refuse(e Entry) error {
	k := refusalKey{e.Platform, e.User, e.Action, e.Result}
	r := l.runs[k]
	if r == nil && (l.apart >= MaxRefusalClients || k.user == OtherClients) {
		k.user = OtherClients
		r = l.runs[k]
	}
	if r == nil {
		now := l.now()
		r = &refusalRun{window: RefusalWindow, due: now.Add(RefusalWindow)}
		l.runs[k] = r
		l.armLocked(now)
		if k.user != OtherClients {
			l.apart++
			// The first refusal of a quiet client is written at once.
			return l.report(l.write(e, true))
		}
	}
	if k.user == OtherClients {
		e.User = OtherClients
	}
	r.add(e)
	return nil
}

// flush writes the sums of the windows ended by now, or of all windows
// when all is set.
func (l *Log) flush(now time.Time, all bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.closed {
		_ = l.flushLocked(now, all)
	}
}

// flushLocked writes, in one sync, a record for each window ended by now
// (each window when all is set) that summed refusals: its client's next
// window is twice as long. A client whose window summed none is
// forgotten. l.mu is held.
func (l *Log) flushLocked(now time.Time, all bool) error {
	keys := make([]refusalKey, 0, len(l.runs))
	for k, r := range l.runs {
		if all || !r.due.After(now) {
			keys = append(keys, k)
		}
	}
	// In the order of their first refusal; the others' sum last.
	slices.SortFunc(keys, func(a, b refusalKey) int {
		ra, rb := l.runs[a], l.runs[b]
		if c := ra.first.Compare(rb.first); c != 0 {
			return c
		}
		return cmp.Compare(boolInt(a.user == OtherClients), boolInt(b.user == OtherClients))
	})
	var errs []error
	wrote := false
	for _, k := range keys {
		r := l.runs[k]
		if r.n > 0 {
			e := Entry{Time: r.first, Until: r.last, Count: r.n, Platform: k.platform, User: k.user,
				Action: k.action, Target: r.target, Channel: r.channel, Result: k.result}
			if err := l.report(l.write(e, false)); err != nil {
				errs = append(errs, err)
			} else {
				wrote = true
			}
		}
		if r.n == 0 || all {
			delete(l.runs, k)
			if k.user != OtherClients {
				l.apart--
			}
			continue
		}
		r.n = 0
		r.window = min(2*r.window, MaxRefusalWindow)
		r.due = now.Add(r.window)
	}
	if wrote {
		if err := l.report(l.sync()); err != nil {
			errs = append(errs, err)
		}
	}
	l.armLocked(now)
	return errors.Join(errs...)
}

// armLocked sets the timer to the end of the first window, or stops it
// when no refusal is being summed. l.mu is held.
func (l *Log) armLocked(now time.Time) {
	if len(l.runs) == 0 || l.closed {
		if l.timer != nil {
			l.timer.Stop()
		}
		return
	}
	var next time.Time
	for _, r := range l.runs {
		if next.IsZero() || r.due.Before(next) {
			next = r.due
		}
	}
	d := max(next.Sub(now), 0)
	if l.timer == nil {
		l.timer = time.AfterFunc(d, func() { l.flush(l.now(), false) })
		return
	}
	l.timer.Reset(d)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
