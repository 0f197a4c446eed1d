package store

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/mailhelp/mailhelp/probe"
)

// Defaults of LimiterOptions.
const (
	DefaultLimiterName = "check"
	// DefaultSlotLease is how long a running check holds its slot of
	// MaxConcurrent without renewal.
	DefaultSlotLease = 30 * time.Second
)

// RetryWhenDown is the RetryAfter of the checks refused because the
// server is down or failed.
const RetryWhenDown = 30 * time.Second

// busyRetry is the RetryAfter of a check refused because MaxConcurrent
// run, as probe.Limiter says.
const busyRetry = 5 * time.Second

// LimiterOptions configure NewLimiterWith. The zero value of a field
// means its default.
type LimiterOptions struct {
	// Name separates limiters that share a server (the live checks'
	// and the account tests'): 1 to 32 of a-z, 0-9, "-" and "_";
	// default "check".
	Name string
	// Lease is how long a running check holds its slot without
	// renewal: a replica renews its slots every Lease/3 while the
	// checks run, so one that dies frees them within Lease; default
	// 30 s.
	Lease time.Duration
}

// Limiter enforces probe.Limits across replicas: it has the contract of
// probe.Limiter (Acquire, Refund, the same LimitError scopes, RetryAfter
// and defaults), with the counts kept on the server, whose clock they
// read. While the server is down or fails, every check is refused with
// Scope "busy" and RetryAfter RetryWhenDown: checks are refused rather
// than run without limits. Safe for concurrent use.
type Limiter struct {
	r       *Redis
	lim     probe.Limits
	lease   time.Duration
	user    string // kind of the per-user keys
	target  string // kind of the per-target keys
	running string // key of the running checks
	args    [5]string
}

// NewLimiter returns a Limiter named "check" enforcing l through r.
func NewLimiter(r *Redis, l probe.Limits) *Limiter {
	return NewLimiterWith(r, l, LimiterOptions{})
}

// NewLimiterWith is NewLimiter with options. It panics on a bad
// opts.Name (names are constants of the program).
func NewLimiterWith(r *Redis, l probe.Limits, opts LimiterOptions) *Limiter {
	if opts.Name == "" {
		opts.Name = DefaultLimiterName
	}
	if !validName(opts.Name) {
		panic(fmt.Sprintf("store: bad limiter name %q: want 1 to 32 of a-z, 0-9, - and _", opts.Name))
	}
	if opts.Lease <= 0 {
		opts.Lease = DefaultSlotLease
	}
	l = l.WithDefaults() // probe.NewLimiter's
	kind := kindLimit + ":" + opts.Name
	lt := &Limiter{
		r:       r,
		lim:     l,
		lease:   opts.Lease,
		user:    kind + ":user",
		target:  kind + ":target",
		running: key(r.prefix, kind, "running"),
	}
	lt.args = [5]string{
		strconv.Itoa(l.PerUser),
		strconv.Itoa(l.PerTarget),
		strconv.FormatInt(max(l.Window.Milliseconds(), 1), 10),
		strconv.Itoa(l.MaxConcurrent),
		strconv.FormatInt(max(opts.Lease.Milliseconds(), 1), 10),
	}
	return lt
}

func validName(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// The limiter's scripts read the server's clock (TIME, in ms), so that
// replicas with different clocks share one window. The sliding windows
// are sorted sets of admissions (score: time); the running checks a
// sorted set of slots (score: expiry).
var (
	// KEYS[1] user, KEYS[2] target, KEYS[3] running; ARGV[1] per user,
	// ARGV[2] per target, ARGV[3] window ms, ARGV[4] max concurrent,
	// ARGV[5] lease ms, ARGV[6] token. Returns {scope, retry ms}, scope
	// "" when admitted. Run again after a lost reply (go-redis retries
	// once), it finds its token running: admitted, once.
	acquireScript = redis.NewScript(`if redis.call("ZSCORE", KEYS[3], ARGV[6]) then
  return {"", 0}
end
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[3])
local lease = tonumber(ARGV[5])
redis.call("ZREMRANGEBYSCORE", KEYS[3], "-inf", now)
if redis.call("ZCARD", KEYS[3]) >= tonumber(ARGV[4]) then
  return {"busy", 0}
end
local limits = {{KEYS[1], tonumber(ARGV[1]), "user"}, {KEYS[2], tonumber(ARGV[2]), "target"}}
for _, l in ipairs(limits) do
  redis.call("ZREMRANGEBYSCORE", l[1], "-inf", now - window)
  if redis.call("ZCARD", l[1]) >= l[2] then
    local oldest = redis.call("ZRANGE", l[1], 0, 0, "WITHSCORES")
    return {l[3], tonumber(oldest[2]) + window - now}
  end
end
for _, l in ipairs(limits) do
  redis.call("ZADD", l[1], now, ARGV[6])
  redis.call("PEXPIRE", l[1], window)
end
redis.call("ZADD", KEYS[3], now + lease, ARGV[6])
redis.call("PEXPIRE", KEYS[3], lease)
return {"", 0}`)
	// KEYS[1] running; ARGV[1] token, ARGV[2] lease ms.
	renewSlot = redis.NewScript(`local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call("ZSCORE", KEYS[1], ARGV[1]) then
  redis.call("ZADD", KEYS[1], "XX", now + tonumber(ARGV[2]), ARGV[1])
  redis.call("PEXPIRE", KEYS[1], ARGV[2])
  return 1
end
return 0`)
	// KEYS[1] user, KEYS[2] target.
	refundScript = redis.NewScript(`redis.call("ZPOPMAX", KEYS[1])
redis.call("ZPOPMAX", KEYS[2])
return 1`)
	// KEYS[1] the user's checks.
	refundUserScript = redis.NewScript(`redis.call("ZPOPMAX", KEYS[1])
return 1`)
)

// Acquire admits one check by user of target, or says when to retry (a
// *probe.LimitError). The caller must call release when the check ends;
// release is safe to call more than once, from any goroutine. It is
// AcquireContext without a deadline of its own (every call to the
// server has the store's timeout).
func (l *Limiter) Acquire(user, target string) (release func(), err error) {
	return l.AcquireContext(context.Background(), user, target)
}

// AcquireContext is Acquire with a context.
func (l *Limiter) AcquireContext(ctx context.Context, user, target string) (release func(), err error) {
	if !l.r.up.Load() {
		l.r.refused.Add(1)
		return nil, &probe.LimitError{Scope: "busy", RetryAfter: RetryWhenDown}
	}
	tok := token()
	var res []any
	err = l.r.do(ctx, func(ctx context.Context) error {
		var err error
		res, err = acquireScript.Run(ctx, l.r.c,
			[]string{key(l.r.prefix, l.user, user), key(l.r.prefix, l.target, target), l.running},
			l.args[0], l.args[1], l.args[2], l.args[3], l.args[4], tok).Slice()
		return err
	})
	if err == nil && len(res) != 2 {
		err = fmt.Errorf("store: acquire: unexpected reply of %d values", len(res))
	}
	var scope string
	var retry int64
	if err == nil {
		var ok1, ok2 bool
		scope, ok1 = res[0].(string)
		retry, ok2 = res[1].(int64)
		if !ok1 || !ok2 {
			err = fmt.Errorf("store: acquire: unexpected reply %T, %T", res[0], res[1])
		}
	}
	if err != nil {
		l.r.refused.Add(1)
		return nil, &probe.LimitError{Scope: "busy", RetryAfter: RetryWhenDown}
	}
	switch scope {
	case "":
	case "busy":
		return nil, &probe.LimitError{Scope: "busy", RetryAfter: busyRetry}
	default:
		return nil, &probe.LimitError{Scope: scope, RetryAfter: time.Duration(retry) * time.Millisecond}
	}
	s := &slot{l: l, token: tok}
	s.renewer = l.r.renew(l.lease/3, func(ctx context.Context) (bool, error) {
		var n int64
		err := l.r.do(ctx, func(ctx context.Context) error {
			var err error
			n, err = renewSlot.Run(ctx, l.r.c, []string{l.running}, tok, l.args[4]).Int64()
			return err
		})
		return n == 1, err
	})
	return s.release, nil
}

// slot is a running check's place among MaxConcurrent.
type slot struct {
	l       *Limiter
	token   string
	renewer *renewer
	once    sync.Once
}

// release frees the slot. It is tried even when the server is thought
// to be down (one call, bounded by the timeout): a slot it cannot free
// expires within the lease.
func (s *slot) release() {
	s.once.Do(func() {
		s.renewer.stop()
		r := s.l.r
		if r.base.Err() != nil {
			return // closed
		}
		_ = r.do(context.Background(), func(ctx context.Context) error {
			return r.c.ZRem(ctx, s.l.running, s.token).Err()
		})
	})
}

// Refund takes back the most recent check admitted for user and for
// target: one that dialed nothing (the dial policy refused it) must not
// count against either's quota. The caller still calls its release.
// While the server is down it does nothing.
func (l *Limiter) Refund(user, target string) {
	_ = l.RefundContext(context.Background(), user, target)
}

// RefundContext is Refund with a context, reporting a failure.
func (l *Limiter) RefundContext(ctx context.Context, user, target string) error {
	if !l.r.up.Load() {
		return fmt.Errorf("store: refund: Redis is down")
	}
	return l.r.do(ctx, func(ctx context.Context) error {
		return refundScript.Run(ctx, l.r.c, []string{key(l.r.prefix, l.user, user), key(l.r.prefix, l.target, target)}).Err()
	})
}

// RefundUser takes back the latest check counted for user, not for its
// target (handlers.UserRefunder). With the store down it does nothing.
func (l *Limiter) RefundUser(user string) {
	if !l.r.up.Load() {
		return
	}
	_ = l.r.do(context.Background(), func(ctx context.Context) error {
		return refundUserScript.Run(ctx, l.r.c, []string{key(l.r.prefix, l.user, user)}).Err()
	})
}
