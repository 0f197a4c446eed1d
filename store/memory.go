package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/mailhelp/mailhelp/bot"
)

// Memory is what each conversation was last about (bot.Memory), shared
// by the replicas: a follow-up ("and for iPhone?") may reach another
// replica than the question before it. Contexts expire after ttl. They
// are also kept by this process (local), which answers while the store
// is down.
type Memory struct {
	r     *Redis
	ttl   time.Duration
	local bot.Memory
}

var _ bot.Memory = (*Memory)(nil)

// NewMemory shares contexts through r for ttl, keeping them in local too.
func NewMemory(r *Redis, ttl time.Duration, local bot.Memory) *Memory {
	return &Memory{r: r, ttl: ttl, local: local}
}

// Recall implements bot.Memory: the store's context, else this
// process's (written while the store was down).
func (m *Memory) Recall(ctx context.Context, key string) (bot.Context, bool) {
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

// Remember implements bot.Memory.
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
	if err := m.r.do(ctx, func(ctx context.Context) error {
		return m.r.c.Set(ctx, m.key(key), data, m.ttl).Err()
	}); err != nil {
		m.r.fallbacks.Add(1)
	}
}

func (m *Memory) key(k string) string { return key(m.r.prefix, kindMemory, k) }
