package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/mailhelp/mailhelp/bot"
)

// Defaults of DeliveriesOptions.
const (
	DefaultLease = 30 * time.Second
	DefaultKeep  = 10 * time.Minute
)

// DeliveriesOptions configure NewDeliveriesWith. The zero value of a
// field means its default.
type DeliveriesOptions struct {
	// Lease is how long a claim lasts without renewal: a replica renews
	// its claims every Lease/3 while it answers, so one that dies frees
	// them within Lease; default 30 s.
	Lease time.Duration
	// Keep is how long a handled delivery's id stays claimed, so that
	// repeats are dropped; default 10 min.
	Keep time.Duration
	// Memory, when set, is the conversations' memory on the same
	// server: a claim whose ctx carries bot.WithRecallHint fetches that
	// conversation's context in the same round trip, for Memory.Recall
	// to find.
	Memory *Memory
}

// Deliveries implement bot.Deliveries across replicas: the first
// replica to claim a delivery id on the server answers it. While the
// server is down or fails, claims are decided by local alone (see the
// package comment). Safe for concurrent use.
type Deliveries struct {
	r     *Redis
	local bot.Deliveries
	lease time.Duration
	keep  time.Duration
	mem   *Memory
}

var _ bot.Deliveries = (*Deliveries)(nil)

// NewDeliveries returns Deliveries shared through r with the default
// lease and keep; local (typically bot.NewLocalDeliveries) claims while
// r is down.
func NewDeliveries(r *Redis, local bot.Deliveries) *Deliveries {
	return NewDeliveriesWith(r, local, DeliveriesOptions{})
}

// NewDeliveriesWith is NewDeliveries with options.
func NewDeliveriesWith(r *Redis, local bot.Deliveries, opts DeliveriesOptions) *Deliveries {
	if opts.Lease <= 0 {
		opts.Lease = DefaultLease
	}
	if opts.Keep <= 0 {
		opts.Keep = DefaultKeep
	}
	return &Deliveries{r: r, local: local, lease: opts.Lease, keep: opts.Keep, mem: opts.Memory}
}

// The claim scripts act only while the key still holds the claimer's
// token: a claim that expired and was taken by another replica is left
// alone.
var (
	// KEYS[1] claim; ARGV[1] token, ARGV[2] lease in ms. 1: claimed; 2:
	// handled; 3: being handled.
	// Run again after a lost reply (go-redis retries once), it finds
	// its own token: still claimed.
	takeClaim = redis.NewScript(`if redis.call("SET", KEYS[1], ARGV[1], "NX", "PX", ARGV[2]) then
  return 1
end
local v = redis.call("GET", KEYS[1])
if v == ARGV[1] then
  return 1
end
if v == "done" then
  return 2
end
return 3`)
	// KEYS[1] claim; ARGV[1] token, ARGV[2] lease in ms.
	renewClaim = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("PEXPIRE", KEYS[1], ARGV[2])
end
return 0`)
	// KEYS[1] claim; ARGV[1] token, ARGV[2] keep in ms. A claim that
	// expired while its answer was written (renewals failed) and that
	// nobody took is marked done too: the answer is out.
	finishClaim = redis.NewScript(`local v = redis.call("GET", KEYS[1])
if v == ARGV[1] or not v then
  redis.call("SET", KEYS[1], "done", "PX", ARGV[2])
  return 1
end
return 0`)
	// KEYS[1] claim; ARGV[1] token.
	dropClaim = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0`)
)

// Claim implements bot.Deliveries. This process's own claims (local)
// come first, so that a delivery it is handling or handled is known
// here whether the server was up or down then; then SET key token NX
// with the lease on the server, in one script that otherwise says
// whether the delivery was handled ("done") or is being handled (a
// token). The claim is renewed until done; done(true) keeps the id
// claimed for Keep, done(false) frees it, on the server and here. done
// is safe to call from any goroutine; calls after the first do nothing.
func (d *Deliveries) Claim(ctx context.Context, id string) (done func(handled bool), state bot.ClaimState) {
	ldone, lstate := d.local.Claim(ctx, id)
	if lstate != bot.Claimed {
		return nil, lstate
	}
	if !d.r.up.Load() {
		d.r.fallbacks.Add(1)
		return ldone, bot.Claimed
	}
	k := key(d.r.prefix, kindDelivery, id)
	tok := token()
	lease := strconv.FormatInt(d.lease.Milliseconds(), 10)
	var got int64
	var err error
	hint := ""
	if d.mem != nil {
		hint = bot.RecallHint(ctx)
	}
	if hint == "" {
		err = d.r.do(ctx, func(ctx context.Context) error {
			var err error
			got, err = takeClaim.Run(ctx, d.r.c, []string{k}, tok, lease).Int64()
			return err
		})
	} else {
		got, err = d.claimAndFetch(ctx, k, tok, lease, hint)
	}
	if err != nil {
		// Claimed by this process alone. The claim may have been taken
		// on the server all the same (its reply lost): it is renewed
		// and ended like one, so that no other replica takes it over
		// and answers again; renewals of a claim the server never had
		// stop at the first.
		d.r.fallbacks.Add(1)
		got = 1
	}
	switch got {
	case 2:
		ldone(true) // handled elsewhere: repeats are dropped here too
		return nil, bot.Handled
	case 3:
		ldone(false) // another replica's: not this process's to hold
		return nil, bot.Busy
	}
	c := &claim{d: d, key: k, token: tok}
	c.renewer = d.r.renew(d.lease/3, func(ctx context.Context) (bool, error) {
		var n int64
		err := d.r.do(ctx, func(ctx context.Context) error {
			var err error
			n, err = renewClaim.Run(ctx, d.r.c, []string{k}, tok, lease).Int64()
			return err
		})
		return n == 1, err
	})
	return func(handled bool) {
		c.done(handled)
		ldone(handled)
	}, bot.Claimed
}

// claimAndFetch takes the claim k and gets the context of the
// conversation hint in one round trip (a pipeline), keeping the context
// for Memory.Recall when the claim is this process's.
func (d *Deliveries) claimAndFetch(ctx context.Context, k, tok, lease, hint string) (int64, error) {
	var claim *redis.Cmd
	var conv *redis.StringCmd
	err := d.r.do(ctx, func(ctx context.Context) error {
		_, _ = d.r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
			// EVAL, not EVALSHA: a pipeline cannot load a script the
			// server lacks and send the command again.
			claim = takeClaim.Eval(ctx, p, []string{k}, tok, lease)
			conv = p.Get(ctx, d.mem.key(hint))
			return nil
		})
		// The claim decides; a context that could not be fetched is
		// asked for again by Recall.
		return claim.Err()
	})
	if err != nil {
		return 0, err
	}
	got, err := claim.Int64()
	if err != nil {
		return 0, fmt.Errorf("store: claim reply: %w", err)
	}
	if got == 1 {
		data, gerr := conv.Bytes()
		switch {
		case gerr == nil:
			d.mem.ahead(hint, data, true)
		case errors.Is(gerr, redis.Nil):
			d.mem.ahead(hint, nil, false)
		}
	}
	return got, nil
}

// claim is one delivery claimed on the server.
type claim struct {
	d       *Deliveries
	key     string
	token   string
	renewer *renewer
	once    sync.Once
}

// done ends the claim. It is tried even when the server is thought to
// be down (one call, bounded by the timeout): a claim it cannot end
// expires within the lease.
func (c *claim) done(handled bool) {
	c.once.Do(func() {
		c.renewer.stop()
		r := c.d.r
		if r.base.Err() != nil {
			return // closed
		}
		_ = r.do(context.Background(), func(ctx context.Context) error {
			if handled {
				return finishClaim.Run(ctx, r.c, []string{c.key}, c.token, c.d.keep.Milliseconds()).Err()
			}
			return dropClaim.Run(ctx, r.c, []string{c.key}, c.token).Err()
		})
	})
}

// token returns a random token: 128 bits in hex, never "done".
func token() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	const hexDigits = "0123456789abcdef"
	out := make([]byte, 32)
	for i, v := range b {
		out[2*i], out[2*i+1] = hexDigits[v>>4], hexDigits[v&15]
	}
	return string(out)
}
