package store

import (
	"context"
	"time"
)

// renewer extends something held on the server (a claim, a lease)
// every period while its holder works on it, so that it outlives a slow
// answer but not a dead replica: when the process dies or the Redis is
// closed, renewals stop and the server lets it go within one lease.
type renewer struct {
	cancel  context.CancelFunc
	stopped chan struct{}
}

// renew calls extend every period until stop, Close, or extend reports
// that the thing is no longer held (false, nil). While the server is
// down, renewals are skipped; one that fails is tried again at the next
// period.
func (r *Redis) renew(period time.Duration, extend func(ctx context.Context) (bool, error)) *renewer {
	ctx, cancel := context.WithCancel(r.base)
	rn := &renewer{cancel: cancel, stopped: make(chan struct{})}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		close(rn.stopped)
		return rn
	}
	r.wg.Add(1)
	r.mu.Unlock()
	go func() {
		defer r.wg.Done()
		defer close(rn.stopped)
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if !r.up.Load() {
					continue
				}
				if held, err := extend(ctx); err == nil && !held {
					return
				}
			}
		}
	}()
	return rn
}

// stop ends the renewals and waits until none runs.
func (rn *renewer) stop() {
	rn.cancel()
	<-rn.stopped
}
