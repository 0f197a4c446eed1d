package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/probe"
	"github.com/mailhelp/mailhelp/store"
)

// Chat deliveries handled in this process are remembered this long, at
// most this many: what Slack and Discord may repeat.
const (
	deliveryTTL   = 10 * time.Minute
	maxDeliveries = 20000
)

// openStore sets up the deliveries, the pending previews and the
// conversations' memory, in this process or, with Options.Shared and a
// store URL, shared through the store. The store
// need not be reachable: answers flow while it is down, and it is used
// again as soon as it answers.
func (a *App) openStore(cfg *config.Config) error {
	a.deliveries = bot.NewLocalDeliveries(deliveryTTL, maxDeliveries)
	if !a.opts.Shared || cfg.Store.URL == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r, err := store.Open(ctx, cfg.Store.URL, store.Options{Logger: a.opts.Logger})
	if err != nil {
		return fmt.Errorf("app: store: %w", err)
	}
	a.store = r
	mem := store.NewMemory(r, conversationTTL, a.memory)
	a.memory = mem
	// A claim fetches the conversation the answer will recall, in the
	// same round trip (the adapters give it bot.WithRecallHint).
	a.deliveries = store.NewDeliveriesWith(r, a.deliveries, store.DeliveriesOptions{Lease: cfg.Store.ClaimLease, Memory: mem})
	a.claimLease = cfg.Store.ClaimLease
	a.previews = store.NewPreviews(r, a.previews)
	return nil
}

func (a *App) closeStore() {
	if a.store != nil {
		_ = a.store.Close()
	}
}

// limiters are the live checks' limiters for lim, and the account
// tests' (AccountLimits): shared by the replicas through the store when
// there is one, else this process's.
func (a *App) limiters(lim probe.Limits) (checks, accounts handlers.Limiter) {
	if a.store == nil {
		return probe.NewLimiter(lim, nil), probe.NewLimiter(AccountLimits, nil)
	}
	return store.NewLimiter(a.store, lim),
		store.NewLimiterWith(a.store, AccountLimits, store.LimiterOptions{Name: "account"})
}

// Deliveries decide which replica answers each chat delivery; the chat
// adapters claim every delivery through them.
func (a *App) Deliveries() bot.Deliveries { return a.deliveries }

// Journal keeps the slow answers in progress for the replicas to take
// over; nil without a shared store. Its lease is TakeoverAfter, a
// second over the claims': an answer is offered once its delivery's
// claim has run out, so the replica taking it over can claim it.
func (a *App) Journal() bot.Journal {
	if a.store == nil {
		return nil
	}
	return store.NewJournal(a.store, a.TakeoverAfter())
}

// TakeoverAfter is how long an adapter waits for a delivery another
// replica is answering before claiming it once more (the other may have
// died): a second over the claim lease. Zero without a shared store.
func (a *App) TakeoverAfter() time.Duration {
	if a.store == nil {
		return 0
	}
	lease := a.claimLease
	if lease <= 0 {
		lease = store.DefaultLease
	}
	return lease + time.Second
}

// ErrStoreDown is StoreDown's error while the shared store does not
// answer.
var ErrStoreDown = errors.New("shared store: not answering (answers go on, each replica on its own; live checks are refused)")

// StoreDown is nil without a shared store or while it answers, else
// ErrStoreDown: what /readyz reports as degraded (still ready: answers
// go on).
func (a *App) StoreDown() error {
	if a.store == nil || a.store.Healthy() {
		return nil
	}
	return ErrStoreDown
}

// StoreStats are the shared store's state and counters, for /metrics;
// ok is false without one.
func (a *App) StoreStats() (s store.Stats, ok bool) {
	if a.store == nil {
		return store.Stats{}, false
	}
	return a.store.Stats(), true
}
