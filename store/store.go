// Package store keeps the state that replicas of mailhelp share, in
// Redis or Valkey: which replica answers a delivery (Deliveries), the
// live checks' limits (Limiter), the announcements waiting for Post
// (Previews), what each conversation was about (Memory), the live
// checks in progress, for another replica to finish (Journal), and the
// audit trail's sums of refusals (Refusals).
//
// Every call to the server has a timeout (Options.Timeout, 250 ms by
// default), so a slow or hanging server never holds an answer longer
// than that. The server being down does not stop the bot: Open succeeds
// without it, and while it is down (after a failed call, until a call or
// the background ping every 2 s succeeds) deliveries are claimed by this
// process alone, as a single replica does (a repeat may then be answered
// by two replicas), and live checks are refused ("busy", retry in 30 s)
// rather than run without limits. Each change of state is logged once;
// Stats counts the failures and the fallbacks for the metrics.
//
// Keys are Options.Prefix, a kind and a hash of the id (see key), so any
// id gives a short key and ids (which hold user ids) are never keys or
// logged in clear. Some values hold user ids and addresses — a
// conversation's context, a check in progress, a run of refusals — each
// for the time it is needed, never message text.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// Defaults of Options.
const (
	DefaultTimeout = 250 * time.Millisecond
	DefaultPrefix  = "mailhelp:"
)

// pingEvery is how often the background goroutine pings the server, up
// or down.
const pingEvery = 2 * time.Second

// serverErrorLogEvery bounds how often error replies (not outages) are
// logged.
const serverErrorLogEvery = time.Minute

// Options configure Open. The zero value of a field means its default.
type Options struct {
	// Timeout bounds every call to the server (dial, write, read,
	// waiting for a pooled connection); default 250 ms.
	Timeout time.Duration
	// Prefix starts every key, so several deployments can share a
	// server; default "mailhelp:".
	Prefix string
	// Logger receives the changes of state (up, down); default
	// slog.Default().
	Logger *slog.Logger
}

// Stats are the counters of a Redis, for /metrics.
type Stats struct {
	// Up is Healthy.
	Up bool
	// Calls to the server, and those of them that failed or timed out.
	Calls, CallsFailed uint64
	// Fallbacks counts deliveries, previews, conversations and refusals
	// kept by this process alone because the server was down or failed.
	Fallbacks uint64
	// Refused counts live checks refused because the server was down or
	// failed.
	Refused uint64
}

// Redis is a connection (a pool) to the shared server, with its state.
// It is safe for concurrent use.
type Redis struct {
	c       *redis.Client
	addr    string
	timeout time.Duration
	prefix  string
	log     *slog.Logger

	// base is cancelled by Close: it stops the ping goroutine and the
	// renewers of claims and leases.
	base    context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	mu      sync.Mutex // guards closed and wg.Add
	closed  bool
	closing sync.Once

	pings               atomic.Uint64 // calls that were pings (for tests)
	up                  atomic.Bool
	slow                atomic.Int32 // calls in a row that timed out
	calls, failed       atomic.Uint64
	fallbacks, refused  atomic.Uint64
	lastServerErrLogged atomic.Int64
}

// Open connects to the server at url (redis://, rediss:// or unix://,
// as go-redis's ParseURL reads them). Only a bad URL is an error: an
// unreachable server is recorded as down (and logged), and the
// background ping brings it up when it answers. Close releases it.
func Open(ctx context.Context, url string, opts Options) (*Redis, error) {
	ro, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("store: bad Redis URL: %w", redactURLError(err))
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Prefix == "" {
		opts.Prefix = DefaultPrefix
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	ro.DialTimeout = opts.Timeout
	ro.ReadTimeout = opts.Timeout
	ro.WriteTimeout = opts.Timeout
	ro.PoolTimeout = opts.Timeout
	ro.ContextTimeoutEnabled = true
	ro.MaxRetries = 1
	ro.DialerRetries = 1
	ro.MinRetryBackoff = 5 * time.Millisecond
	ro.MaxRetryBackoff = opts.Timeout / 4
	// One round trip fewer per connection, and no commands a plain
	// Redis 7.0 or Valkey does not know.
	ro.DisableIdentity = true
	ro.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}

	quietOnce.Do(func() { redis.SetLogger(quiet{}) })
	r := &Redis{
		c:       redis.NewClient(ro),
		addr:    ro.Addr,
		timeout: opts.Timeout,
		prefix:  opts.Prefix,
		log:     opts.Logger,
	}
	r.base, r.cancel = context.WithCancel(context.Background())
	r.up.Store(true)
	_ = r.Ping(ctx) // a failure marks it down, and is logged
	r.wg.Add(1)
	go r.watch()
	return r, nil
}

// quiet silences go-redis's own logger, which writes every failed dial
// to stderr; Redis logs the changes of state instead. (go-redis's logger
// is global: this package is the module's only user of go-redis.)
type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

var quietOnce sync.Once

// redactURLError keeps a URL that failed to parse (it may hold a
// password) out of the error.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: "(redacted)", Err: ue.Err}
	}
	return err
}

// Healthy reports whether the server answered the last call (false
// after a failed call until a call or the background ping succeeds).
func (r *Redis) Healthy() bool { return r.up.Load() }

// Ping asks the server whether it answers, within the timeout. Unlike
// other calls, a ping that times out marks the server down at once.
func (r *Redis) Ping(ctx context.Context) error {
	err := r.do(ctx, func(ctx context.Context) error { return r.c.Ping(ctx).Err() })
	r.pings.Add(1) // right after do counted the call
	if err != nil && ctx.Err() == nil && !isErrorReply(err) {
		r.markDown(err)
	}
	return err
}

// Close stops the background goroutines (the ping, the renewers of
// claims and leases not yet done) and closes the connections. Claims
// and leases not done then expire on the server within their lease.
func (r *Redis) Close() error {
	var err error
	r.closing.Do(func() {
		r.mu.Lock()
		r.closed = true
		r.mu.Unlock()
		r.cancel()
		r.wg.Wait()
		if cerr := r.c.Close(); cerr != nil {
			err = fmt.Errorf("store: close: %w", cerr)
		}
	})
	return err
}

// Stats returns the counters.
func (r *Redis) Stats() Stats {
	return Stats{
		Up:          r.up.Load(),
		Calls:       r.calls.Load(),
		CallsFailed: r.failed.Load(),
		Fallbacks:   r.fallbacks.Load(),
		Refused:     r.refused.Load(),
	}
}

// watch pings the server every pingEvery until Close: while it is down,
// so that it is used again as soon as it answers; while it is up too,
// so that Healthy (readiness) follows it when nothing else calls it.
func (r *Redis) watch() {
	defer r.wg.Done()
	t := time.NewTicker(pingEvery)
	defer t.Stop()
	for {
		select {
		case <-r.base.Done():
			return
		case <-t.C:
			_ = r.Ping(r.base)
		}
	}
}

// do runs one call with the timeout and records its outcome: a success
// (redis.Nil included) marks the server up; a failure is counted and,
// unless it is an error reply of a server that otherwise works, marks
// it down. A call abandoned because ctx ended says nothing about the
// server. The error returned is f's, wrapped.
func (r *Redis) do(ctx context.Context, f func(ctx context.Context) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	cctx, cancel := context.WithTimeout(ctx, r.timeout)
	err := f(cctx)
	cancel()
	r.calls.Add(1)
	if err == nil || errors.Is(err, redis.Nil) {
		r.slow.Store(0)
		r.markUp()
		return err
	}
	if ctx.Err() != nil {
		return fmt.Errorf("store: %w", err)
	}
	r.failed.Add(1)
	switch {
	case isErrorReply(err):
		r.logServerError(err)
	case isTimeout(err) && r.slow.Add(1) < slowCalls:
		// One slow call is not an outage: the call falls back, the
		// store stays up until slowCalls in a row time out.
	default:
		r.markDown(err)
	}
	return fmt.Errorf("store: %w", err)
}

// slowCalls is how many calls in a row must time out for the store to
// be marked down; a refused or closed connection marks it down at once.
const slowCalls = 3

// isTimeout reports whether err is a call that ran out of time, rather
// than a server that refused or closed the connection.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, redis.ErrPoolTimeout) ||
		errors.As(err, &ne) && ne.Timeout()
}

// isErrorReply reports whether err is the server's answer to a command
// (a wrong type, a script error) rather than a sign that it is
// unavailable (no connection, a timeout, loading, read-only, out of
// memory, too many clients, a busy script, a missing or wrong password
// or no permission: nothing will work until it is fixed).
func isErrorReply(err error) bool {
	var re redis.Error
	if !errors.As(err, &re) {
		return false
	}
	msg := re.Error()
	for _, p := range []string{"LOADING", "MASTERDOWN", "READONLY", "OOM", "BUSY", "TRYAGAIN", "CLUSTERDOWN", "ERR max number of clients",
		"NOAUTH", "WRONGPASS", "NOPERM"} {
		if strings.HasPrefix(msg, p) {
			return false
		}
	}
	return true
}

func (r *Redis) markUp() {
	if r.up.Load() || !r.up.CompareAndSwap(false, true) {
		return
	}
	r.log.Info("store: Redis answers again; deliveries and check limits are shared", "addr", r.addr)
}

func (r *Redis) markDown(err error) {
	if r.base.Err() != nil || !r.up.CompareAndSwap(true, false) {
		return // closed, or already down
	}
	// err names the address and the failure (refused, timeout), never
	// a key or a value.
	r.log.Warn("store: Redis is down; deliveries are claimed by this process alone and live checks refused until it answers",
		"addr", r.addr, "err", err)
}

func (r *Redis) logServerError(err error) {
	now := time.Now().UnixNano()
	last := r.lastServerErrLogged.Load()
	if now-last < int64(serverErrorLogEvery) || !r.lastServerErrLogged.CompareAndSwap(last, now) {
		return
	}
	r.log.Error("store: Redis refused a command (logged at most once a minute)", "addr", r.addr, "err", err)
}
