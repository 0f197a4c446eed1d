package store

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/mailhelp/mailhelp/bot"
)

// Memory is what each conversation was last about (bot.Memory), shared
// by the replicas: a follow-up ("and for iPhone?") may reach another
// replica than the question before it. Contexts expire after ttl. They
// are also kept by this process (local), which answers while the store
// is down.
//
// Remember does not make the answer wait for the store: the context is
// kept here at once and written to the store in the background, in the
// order remembered (within milliseconds while the store keeps up; until
// it is out, this process recalls its own).
type Memory struct {
	r      *Redis
	ttl    time.Duration
	local  bot.Memory
	writes chan memoryWrite
	start  sync.Once

	mu sync.Mutex
	// Contexts fetched with a claim (Deliveries with Memory set), each
	// for the one Recall that follows it.
	fetched map[string]fetchedContext
	// pending counts the writes of each key still queued: until they
	// are out, this process's own context is the latest.
	pending map[string]int
}

// fetchedContext is a conversation's context as a claim fetched it:
// found is false when the store had none.
type fetchedContext struct {
	data  []byte
	found bool
	at    time.Time
}

// Bounds of the contexts fetched with claims: one not recalled within
// fetchedFor (its answer was cut short) is not used; past maxFetched
// waiting, the next Recall asks the store.
const (
	fetchedFor = 5 * time.Second
	maxFetched = 1024
)

// memoryWrite is one context waiting to be written to the store.
type memoryWrite struct {
	key    string // as remembered
	stored string // the store's key
	data   []byte
	queued time.Time
}

// Bounds of the writes: maxPendingWrites wait at most (past it, the
// store being slower than the answers, a context is kept here only),
// and one that waited over maxWriteLag is dropped rather than written
// late over a newer context another replica may have written since.
const (
	maxPendingWrites = 1024
	maxWriteLag      = 2 * time.Second
)

var _ bot.Memory = (*Memory)(nil)

// NewMemory shares contexts through r for ttl, keeping them in local too.
func NewMemory(r *Redis, ttl time.Duration, local bot.Memory) *Memory {
	return &Memory{r: r, ttl: ttl, local: local, writes: make(chan memoryWrite, maxPendingWrites),
		fetched: map[string]fetchedContext{}, pending: map[string]int{}}
}

// Recall implements bot.Memory: the store's context — fetched with the
// delivery's claim, else asked for now — else this process's (written
// while the store was down).
func (m *Memory) Recall(ctx context.Context, key string) (bot.Context, bool) {
	f, ok, pending := m.takeFetched(key)
	if pending {
		return m.local.Recall(ctx, key)
	}
	if ok {
		var c bot.Context
		if f.found && json.Unmarshal(f.data, &c) == nil {
			return c, true
		}
		return m.local.Recall(ctx, key)
	}
	if m.r.up.Load() {
		var data []byte
		err := m.r.do(ctx, func(ctx context.Context) error {
			var err error
			data, err = m.r.c.Get(ctx, m.key(key)).Bytes()
			return err
		})
		var c bot.Context
		if err == nil && json.Unmarshal(data, &c) == nil {
			return c, true
		}
	}
	return m.local.Recall(ctx, key)
}

// Remember implements bot.Memory: c is kept here at once, and queued
// for the store. With the store down, or the queue full, it is kept
// here only (a fallback).
func (m *Memory) Remember(ctx context.Context, key string, c bot.Context) {
	m.local.Remember(ctx, key, c)
	m.mu.Lock()
	delete(m.fetched, key) // older than c
	m.mu.Unlock()
	if !m.r.up.Load() {
		m.r.fallbacks.Add(1)
		return
	}
	data, err := json.Marshal(c)
	if err != nil {
		return
	}
	m.start.Do(m.startWriter)
	m.mu.Lock()
	defer m.mu.Unlock()
	select {
	case m.writes <- memoryWrite{key: key, stored: m.key(key), data: data, queued: time.Now()}:
		m.pending[key]++
	default:
		m.r.fallbacks.Add(1)
	}
}

// startWriter starts the goroutine writing contexts to the store. The
// Redis's Close stops it, after it has written what was still queued
// then, within twice the call timeout.
func (m *Memory) startWriter() {
	m.r.mu.Lock()
	defer m.r.mu.Unlock()
	if m.r.closed {
		return
	}
	m.r.wg.Add(1)
	go func() {
		defer m.r.wg.Done()
		for {
			select {
			case <-m.r.base.Done():
				m.drain(time.Now().Add(2 * m.r.timeout))
				return
			case w := <-m.writes:
				if time.Since(w.queued) > maxWriteLag {
					m.r.fallbacks.Add(1)
				} else if err := m.r.do(m.r.base, func(ctx context.Context) error {
					return m.r.c.Set(ctx, w.stored, w.data, m.ttl).Err()
				}); err != nil {
					m.r.fallbacks.Add(1)
				}
				m.written(w.key)
			}
		}
	}()
}

// drain writes what is still queued, until deadline.
func (m *Memory) drain(deadline time.Time) {
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	for {
		select {
		case w := <-m.writes:
			if ctx.Err() == nil {
				_ = m.r.c.Set(ctx, w.stored, w.data, m.ttl).Err()
			}
			m.written(w.key)
		default:
			return
		}
	}
}

// written counts a queued write of key as out.
func (m *Memory) written(key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pending[key]--; m.pending[key] <= 0 {
		delete(m.pending, key)
	}
}

// ahead keeps the context of key fetched with a claim, for the Recall
// that follows. Past maxFetched waiting (none older than fetchedFor),
// it is not kept, and that Recall asks the store.
func (m *Memory) ahead(key string, data []byte, found bool) {
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, again := m.fetched[key]; !again && len(m.fetched) >= maxFetched {
		for k, f := range m.fetched {
			if now.Sub(f.at) > fetchedFor {
				delete(m.fetched, k)
			}
		}
		if len(m.fetched) >= maxFetched {
			return
		}
	}
	m.fetched[key] = fetchedContext{data: data, found: found, at: now}
}

// takeFetched removes and returns the context fetched for key, if one
// was within fetchedFor; pending reports that this process has a write
// of key still queued (its own context is then the latest).
func (m *Memory) takeFetched(key string) (f fetchedContext, ok, pending bool) {
	m.mu.Lock()
	f, ok = m.fetched[key]
	if ok {
		delete(m.fetched, key)
	}
	pending = m.pending[key] > 0
	m.mu.Unlock()
	return f, ok && time.Since(f.at) <= fetchedFor, pending
}

func (m *Memory) key(k string) string { return key(m.r.prefix, kindMemory, k) }
