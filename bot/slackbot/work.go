package slackbot

import (
	"context"
	"sync"
	"time"
)

// work runs the adapter's answers in the background and lets Run drain
// them when it stops: no new answer starts, and those under way get a
// grace period to finish (a live check takes seconds) before their
// context is cancelled.
type work struct {
	mu     sync.Mutex
	ctx    context.Context // nil before start
	cancel context.CancelFunc
	closed bool
	wg     sync.WaitGroup
}

// start opens for work under the values of ctx, but not its
// cancellation: stop decides when work is cut off.
func (w *work) start(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ctx, w.cancel = context.WithCancel(context.WithoutCancel(ctx))
}

// Go runs f in the background; it reports false, running nothing,
// before start and after stop.
func (w *work) Go(f func(ctx context.Context)) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ctx == nil || w.closed {
		return false
	}
	ctx := w.ctx
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		f(ctx)
	}()
	return true
}

// stop refuses new work, waits up to grace for what runs, then cancels
// it and waits for it to return.
func (w *work) stop(grace time.Duration) {
	w.mu.Lock()
	w.closed = true
	cancel := w.cancel
	w.mu.Unlock()
	if cancel == nil {
		return
	}
	done := make(chan struct{})
	go func() { w.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		cancel()
		<-done
	}
	cancel()
}
