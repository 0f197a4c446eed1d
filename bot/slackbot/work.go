package slackbot

import (
	"context"
	"sync"
)

// work runs the adapter's answers in the background, under the context
// of Run, and lets Run wait for them when it stops: no answer is cut off
// by a shutdown it could have finished, and none starts after.
type work struct {
	mu  sync.Mutex
	ctx context.Context // nil before start and after stop
	wg  sync.WaitGroup
}

func (w *work) start(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ctx = ctx
}

// Go runs f under Run's context; it reports false, running nothing,
// before Run or once it stops.
func (w *work) Go(f func(ctx context.Context)) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ctx == nil || w.ctx.Err() != nil {
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

// stop refuses new work and waits for what runs.
func (w *work) stop() {
	w.mu.Lock()
	w.ctx = nil
	w.mu.Unlock()
	w.wg.Wait()
}
