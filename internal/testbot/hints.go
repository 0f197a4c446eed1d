package testbot

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/mailhelp/mailhelp/bot"
)

// Hints records, for an adapter's test, the recall hints its claims
// carry (bot.WithRecallHint) and the conversations its router recalls,
// so that a test can check that each claim names the conversation its
// answer recalls. Deliveries and Memory are in this process.
type Hints struct {
	mu       sync.Mutex
	hinted   []string
	recalled []string
	d        *bot.LocalDeliveries
	m        *bot.LocalMemory
}

// NewHints returns empty records.
func NewHints() *Hints {
	return &Hints{d: bot.NewLocalDeliveries(time.Minute, 1000), m: bot.NewLocalMemory(time.Minute, 1000, nil)}
}

// Deliveries records each claim's hint ("" when it has none).
func (h *Hints) Deliveries() bot.Deliveries { return hintDeliveries{h} }

// Memory records each recalled key.
func (h *Hints) Memory() bot.Memory { return hintMemory{h} }

// Hinted is the claims' hints so far, sorted.
func (h *Hints) Hinted() []string { return h.sorted(&h.hinted) }

// Recalled is the keys recalled so far, sorted.
func (h *Hints) Recalled() []string { return h.sorted(&h.recalled) }

func (h *Hints) sorted(s *[]string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := slices.Clone(*s)
	slices.Sort(out)
	return out
}

func (h *Hints) add(s *[]string, v string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	*s = append(*s, v)
}

type hintDeliveries struct{ h *Hints }

func (d hintDeliveries) Claim(ctx context.Context, id string) (func(bool), bot.ClaimState) {
	d.h.add(&d.h.hinted, bot.RecallHint(ctx))
	return d.h.d.Claim(ctx, id)
}

type hintMemory struct{ h *Hints }

func (m hintMemory) Recall(ctx context.Context, key string) (bot.Context, bool) {
	m.h.add(&m.h.recalled, key)
	return m.h.m.Recall(ctx, key)
}

func (m hintMemory) Remember(ctx context.Context, key string, c bot.Context) {
	m.h.m.Remember(ctx, key, c)
}
