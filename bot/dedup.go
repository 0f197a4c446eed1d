package bot

import (
	"context"
	"sync"
	"time"
)

// Deliveries decides which process answers a delivery that a platform
// may send more than once (a retry, a replay after a reconnect) or to
// several replicas of mailhelp: the first to claim its id answers, the
// others drop it. Implementations are safe for concurrent use.
type Deliveries interface {
	// Claim says whether the caller is the one to handle delivery id.
	// When it is (Claimed), it must call done once: with true when the
	// delivery has been handled (its id then stays claimed for a while,
	// so that repeats are dropped), with false when it gives up on it (a
	// redelivery may then be taken, here or elsewhere). done is nil
	// otherwise.
	Claim(ctx context.Context, id string) (done func(handled bool), state ClaimState)
}

// ClaimState is what Deliveries.Claim found.
type ClaimState int

const (
	// Claimed: the caller handles the delivery, then calls done.
	Claimed ClaimState = iota + 1
	// Handled: the delivery has been handled; the repeat is dropped.
	Handled
	// Busy: the delivery is being handled, here or by another replica;
	// the repeat is dropped, but where the platform delivers again what
	// is not acknowledged (Slack's events), it is left unacknowledged: if
	// its handler dies, a later delivery is claimed once the claim has
	// expired.
	Busy
)

// LocalDeliveries are the Deliveries of one process: a Dedup, and the
// deliveries being handled.
type LocalDeliveries struct {
	d  *Dedup
	mu sync.Mutex
	// busy are the ids claimed and not done yet.
	busy map[string]bool
}

// NewLocalDeliveries keeps handled ids for ttl, at most max of them.
func NewLocalDeliveries(ttl time.Duration, max int) *LocalDeliveries {
	return &LocalDeliveries{d: NewDedup(ttl, max), busy: map[string]bool{}}
}

// Claim implements Deliveries.
func (l *LocalDeliveries) Claim(_ context.Context, id string) (done func(handled bool), state ClaimState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.busy[id]:
		return nil, Busy
	case !l.d.First(id):
		return nil, Handled
	}
	l.busy[id] = true
	var once sync.Once
	return func(handled bool) {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			delete(l.busy, id)
			if !handled {
				l.d.Forget(id)
			}
		})
	}, Claimed
}

// Dedup remembers delivery ids for a while, so a delivery a platform
// repeats (a retry, a replay after a reconnect) is handled once. It is
// bounded: past max ids, the oldest are forgotten. Safe for concurrent
// use.
type Dedup struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	seen  map[string]time.Time
	order []string
}

// NewDedup returns a Dedup keeping ids for ttl, at most max of them.
func NewDedup(ttl time.Duration, max int) *Dedup {
	return &Dedup{ttl: ttl, max: max, seen: make(map[string]time.Time)}
}

// First reports whether id is seen for the first time, and records it.
func (d *Dedup) First(id string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := time.Now()
	if t, ok := d.seen[id]; ok && now.Sub(t) < d.ttl {
		return false
	}
	d.seen[id] = now
	d.order = append(d.order, id)
	for len(d.order) > d.max {
		delete(d.seen, d.order[0])
		d.order = d.order[1:]
	}
	return true
}

// Forget drops id, as if it had never been seen: a delivery given up on
// may be handled when it comes again.
func (d *Dedup) Forget(id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.seen, id)
}
