package slackbot

import (
	"context"
	"sync"
	"time"
)

// localeCache keeps users' locales for a while, bounded; concurrent
// lookups of one user share a single users.info call.
type localeCache struct {
	mu       sync.Mutex
	ttl      time.Duration
	max      int
	m        map[string]localeEntry
	inflight map[string]*localeCall
}

type localeCall struct {
	done   chan struct{}
	locale string
}

type localeEntry struct {
	locale string
	at     time.Time
}

func newLocaleCache(ttl time.Duration, max int) *localeCache {
	return &localeCache{ttl: ttl, max: max, m: make(map[string]localeEntry), inflight: make(map[string]*localeCall)}
}

// lookup returns the cached locale of user, or fetches it once however
// many ask at the same time. A failed fetch is not cached.
func (c *localeCache) lookup(user string, fetch func() (string, error)) string {
	if l, ok := c.get(user); ok {
		return l
	}
	c.mu.Lock()
	if call, ok := c.inflight[user]; ok {
		c.mu.Unlock()
		<-call.done
		return call.locale
	}
	call := &localeCall{done: make(chan struct{})}
	c.inflight[user] = call
	c.mu.Unlock()
	l, err := fetch()
	call.locale = l
	c.mu.Lock()
	delete(c.inflight, user)
	c.mu.Unlock()
	close(call.done)
	if err == nil {
		c.put(user, l)
	}
	return l
}

func (c *localeCache) get(user string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[user]
	if !ok || time.Since(e.at) > c.ttl {
		return "", false
	}
	return e.locale, true
}

func (c *localeCache) put(user, locale string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		c.m = make(map[string]localeEntry) // simple and bounded: start over
	}
	c.m[user] = localeEntry{locale: locale, at: time.Now()}
}

// pacer lets each channel post a burst, then one post per interval.
type pacer struct {
	mu       sync.Mutex
	burst    int
	interval time.Duration
	next     map[string]time.Time // when the channel's bucket is full again
}

func newPacer(burst int, interval time.Duration) *pacer {
	return &pacer{burst: burst, interval: interval, next: make(map[string]time.Time)}
}

// wait blocks until channel may post, reserving that post.
func (p *pacer) wait(ctx context.Context, channel string) error {
	p.mu.Lock()
	now := time.Now()
	full := p.next[channel]
	floor := now.Add(-time.Duration(p.burst-1) * p.interval)
	if full.Before(floor) {
		full = floor
	}
	at := full // the post may go at "full" minus the burst allowance
	full = full.Add(p.interval)
	p.next[channel] = full
	if len(p.next) > 10000 {
		for ch, t := range p.next {
			if t.Before(now) {
				delete(p.next, ch)
			}
		}
	}
	p.mu.Unlock()
	d := time.Until(at)
	if d <= 0 {
		return nil
	}
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
