package bot

import (
	"sync"
	"time"
)

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
