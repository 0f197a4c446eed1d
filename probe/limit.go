package probe

import (
	"fmt"
	"sync"
	"time"
)

// Limits bound how often checks run. The zero value of a field means its
// default.
type Limits struct {
	// PerUser checks per user in Window; default 5.
	PerUser int
	// PerTarget checks per target host in Window; default 10.
	PerTarget int
	// Window is the sliding window of both counts; default one minute.
	Window time.Duration
	// MaxConcurrent checks at once, all users together; default 4.
	MaxConcurrent int
}

// WithDefaults is l with each field left zero (or negative) set to its
// default: what every limiter enforces.
func (l Limits) WithDefaults() Limits {
	if l.PerUser <= 0 {
		l.PerUser = 5
	}
	if l.PerTarget <= 0 {
		l.PerTarget = 10
	}
	if l.Window <= 0 {
		l.Window = time.Minute
	}
	if l.MaxConcurrent <= 0 {
		l.MaxConcurrent = 4
	}
	return l
}

// LimitError says a check was refused and when to retry.
type LimitError struct {
	// Scope is "user", "target" or "busy".
	Scope      string
	RetryAfter time.Duration
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("check refused (%s limit): retry in %s", e.Scope, e.RetryAfter.Round(time.Second))
}

// RetrySeconds is RetryAfter rounded up to whole seconds, at least 1.
func (e *LimitError) RetrySeconds() int {
	s := int((e.RetryAfter + time.Second - 1) / time.Second)
	return max(s, 1)
}

// maxKeys bounds the memory of the limiter: beyond it, keys with no
// recent check are swept.
const maxKeys = 10000

// Limiter enforces Limits. It is safe for concurrent use.
type Limiter struct {
	lim     Limits
	now     func() time.Time
	mu      sync.Mutex
	users   map[string][]time.Time
	targets map[string][]time.Time
	running int
}

// NewLimiter returns a Limiter; now may be nil for time.Now.
func NewLimiter(l Limits, now func() time.Time) *Limiter {
	l = l.WithDefaults()
	if now == nil {
		now = time.Now
	}
	return &Limiter{lim: l, now: now, users: make(map[string][]time.Time), targets: make(map[string][]time.Time)}
}

// Acquire admits one check by user of target, or says when to retry. The
// caller must call release when the check ends.
func (l *Limiter) Acquire(user, target string) (release func(), err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if l.running >= l.lim.MaxConcurrent {
		return nil, &LimitError{Scope: "busy", RetryAfter: 5 * time.Second}
	}
	u := prune(l.users[user], now, l.lim.Window)
	if len(u) >= l.lim.PerUser {
		return nil, &LimitError{Scope: "user", RetryAfter: u[0].Add(l.lim.Window).Sub(now)}
	}
	tg := prune(l.targets[target], now, l.lim.Window)
	if len(tg) >= l.lim.PerTarget {
		return nil, &LimitError{Scope: "target", RetryAfter: tg[0].Add(l.lim.Window).Sub(now)}
	}
	if len(l.users) > maxKeys || len(l.targets) > maxKeys {
		l.sweep(now)
	}
	l.users[user] = append(u, now)
	l.targets[target] = append(tg, now)
	l.running++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			l.running--
			l.mu.Unlock()
		})
	}, nil
}

// Refund takes back the most recent check admitted for user and for
// target within the window: one that dialed nothing (the dial policy
// refused it) must not count against either's quota. The caller still
// calls its release.
func (l *Limiter) Refund(user, target string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range []struct {
		m   map[string][]time.Time
		key string
	}{{l.users, user}, {l.targets, target}} {
		if ts := k.m[k.key]; len(ts) > 0 {
			k.m[k.key] = ts[:len(ts)-1]
		}
	}
}

// RefundUser takes back the latest check counted for user, not for its
// target (see handlers.UserRefunder).
func (l *Limiter) RefundUser(user string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ts := l.users[user]; len(ts) > 0 {
		l.users[user] = ts[:len(ts)-1]
	}
}

// prune drops the times older than the window.
func prune(ts []time.Time, now time.Time, window time.Duration) []time.Time {
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= window {
		i++
	}
	return ts[i:]
}

func (l *Limiter) sweep(now time.Time) {
	for _, m := range []map[string][]time.Time{l.users, l.targets} {
		for k, ts := range m {
			if len(prune(ts, now, l.lim.Window)) == 0 {
				delete(m, k)
			}
		}
	}
}
