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
// order remembered, long before a person can ask a follow-up.
type Memory struct {
	r      *Redis
	ttl    time.Duration
	local  bot.Memory
	writes chan memoryWrite
	start  sync.Once

	// Contexts fetched with a claim (Deliveries with Memory set), each
	// for the one Recall that follows it.
	mu      sync.Mutex
	fetched map[string]fetchedContext
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
	key  string
	data []byte
}

// maxPendingWrites bounds the contexts waiting to be written: past it
// (the store is slower than the answers), a context is kept here only.
const maxPendingWrites = 1024

var _ bot.Memory = (*Memory)(nil)

// NewMemory shares contexts through r for ttl, keeping them in local too.
func NewMemory(r *Redis, ttl time.Duration, local bot.Memory) *Memory {
	return &Memory{r: r, ttl: ttl, local: local, writes: make(chan memoryWrite, maxPendingWrites),
		fetched: map[string]fetchedContext{}}
}

// Recall implements bot.Memory: the store's context — fetched with the
// delivery's claim, else asked for now — else this process's (written
// while the store was down).
func (m *Memory) Recall(ctx context.Context, key string) (bot.Context, bool) {
	if f, ok := m.takeFetched(key); ok {
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
	if !m.r.up.Load() {
		m.r.fallbacks.Add(1)
		return
	}
	data, err := json.Marshal(c)
	if err != nil {
		return
	}
	m.start.Do(m.startWriter)
	select {
	case m.writes <- memoryWrite{key: m.key(key), data: data}:
	default:
		m.r.fallbacks.Add(1)
	}
}

// startWriter starts the goroutine writing contexts to the store,
// which Close stops (contexts still queued then are this process's
// only).
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
				return
			case w := <-m.writes:
				if err := m.r.do(m.r.base, func(ctx context.Context) error {
					return m.r.c.Set(ctx, w.key, w.data, m.ttl).Err()
				}); err != nil {
					m.r.fallbacks.Add(1)
				}
			}
		}
	}()
}

// ahead keeps the context of key fetched with a claim, for the Recall
// that follows.
func (m *Memory) ahead(key string, data []byte, found bool) {
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.fetched) >= maxFetched {
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
// was within fetchedFor.
func (m *Memory) takeFetched(key string) (fetchedContext, bool) {
	m.mu.Lock()
	f, ok := m.fetched[key]
	if ok {
		delete(m.fetched, key)
	}
	m.mu.Unlock()
	return f, ok && time.Since(f.at) <= fetchedFor
}

func (m *Memory) key(k string) string { return key(m.r.prefix, kindMemory, k) }
