package bot

import (
	"context"
	"sync"
	"time"
)

// Memory keeps what each conversation was last about, for follow-ups.
// Implementations must be safe for concurrent use, bounded, keep nothing
// on disk (a Context holds an address), and bound any I/O by ctx and a
// timeout of their own: a context that cannot be recalled is a request
// read on its own.
type Memory interface {
	// Recall returns the context of key, if it is recent enough.
	Recall(ctx context.Context, key string) (Context, bool)
	// Remember stores the context of key.
	Remember(ctx context.Context, key string, c Context)
}

// LocalMemory is a Memory in this process: contexts expire after a time
// and, past a number of them, the oldest are forgotten.
type LocalMemory struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	now   func() time.Time
	items map[string]memoryItem
	// order lists writes, oldest first; a key written again has a stale
	// earlier entry, skipped when it comes up.
	order []memoryWrite
	seq   uint64
}

type memoryWrite struct {
	key string
	seq uint64
}

type memoryItem struct {
	ctx Context
	at  time.Time
	seq uint64
}

// NewLocalMemory returns a LocalMemory keeping contexts for ttl, at most
// max of them; now is the clock (nil for time.Now).
func NewLocalMemory(ttl time.Duration, max int, now func() time.Time) *LocalMemory {
	if now == nil {
		now = time.Now
	}
	return &LocalMemory{ttl: ttl, max: max, now: now, items: make(map[string]memoryItem)}
}

// Recall implements Memory.
func (m *LocalMemory) Recall(_ context.Context, key string) (Context, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	it, ok := m.items[key]
	if !ok || m.now().Sub(it.at) > m.ttl {
		return Context{}, false
	}
	return it.ctx, true
}

// Remember implements Memory.
func (m *LocalMemory) Remember(_ context.Context, key string, c Context) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seq++
	m.items[key] = memoryItem{ctx: c, at: m.now(), seq: m.seq}
	m.order = append(m.order, memoryWrite{key, m.seq})
	for len(m.items) > m.max {
		w := m.order[0]
		m.order = m.order[1:]
		if m.latest(w) {
			delete(m.items, w.key) // the oldest conversation
		}
	}
	if len(m.order) > 2*m.max+16 { // drop the stale writes
		kept := m.order[:0]
		for _, w := range m.order {
			if m.latest(w) {
				kept = append(kept, w)
			}
		}
		m.order = kept
	}
}

// latest reports whether w is its key's latest write.
func (m *LocalMemory) latest(w memoryWrite) bool {
	it, ok := m.items[w.key]
	return ok && it.seq == w.seq
}

// Len is how many contexts are kept.
func (m *LocalMemory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.items)
}
