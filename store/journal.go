package store

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/mailhelp/mailhelp/bot"
)

// Journal keeps the slow answers in progress (bot.Journal): each is a
// key holding the bot.Unfinished as JSON, listed per platform in a
// sorted set by the time its lease runs out (the server's clock). The
// process answering renews the lease every lease/3; when it dies, its
// entries run out, and the first replica to ask for Orphans takes them
// over: they are leased to it, as if it had begun them, so that one it
// cannot finish (its reply lost, itself stopping or dying) is taken
// over again. An entry is removed when its answer is out; any left
// expires after journalKeep.
//
// An entry holds user and channel ids, the delivery id and the check's
// target (an address or a host) for as long as the check runs — no
// message text. While the store is down, nothing is recorded: an answer
// cut short then is lost, as without replicas.
type Journal struct {
	r     *Redis
	lease time.Duration
}

var _ bot.Journal = (*Journal)(nil)

// journalKeep bounds how long an entry nobody took stays on the server.
const journalKeep = 15 * time.Minute

// maxOrphans bounds the entries one Orphans call takes.
const maxOrphans = 16

// NewJournal keeps answers in progress through r, with the lease of
// claims (DefaultLease when zero).
func NewJournal(r *Redis, lease time.Duration) *Journal {
	if lease <= 0 {
		lease = DefaultLease
	}
	return &Journal{r: r, lease: lease}
}

var (
	// KEYS[1] the entry, KEYS[2] its platform's sorted set. ARGV[1] the
	// entry, ARGV[2] lease in ms, ARGV[3] keep in ms.
	beginUnfinished = redis.NewScript(`local t = redis.call("TIME")
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[3])
redis.call("ZADD", KEYS[2], string.format("%d", now + tonumber(ARGV[2])), KEYS[1])
return 1`)
	// KEYS[1] the entry, KEYS[2] its set. ARGV[1] lease in ms. 0: the
	// entry was removed (its answer out). An entry taken over by
	// another replica meanwhile (this one stalled past its lease) is
	// renewed by both: the delivery's claim decides who answers.
	renewUnfinished = redis.NewScript(`local t = redis.call("TIME")
local now = t[1] * 1000 + math.floor(t[2] / 1000)
if not redis.call("ZSCORE", KEYS[2], KEYS[1]) then
  return 0
end
redis.call("ZADD", KEYS[2], "XX", string.format("%d", now + tonumber(ARGV[1])), KEYS[1])
return 1`)
	// KEYS[1] the set. ARGV[1] most entries taken, ARGV[2] lease in ms.
	// The entries whose lease ran out, leased anew to the caller: their
	// key and value, in turn.
	takeOrphans = redis.NewScript(`local t = redis.call("TIME")
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local ids = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", string.format("%d", now), "LIMIT", 0, ARGV[1])
local out = {}
for _, id in ipairs(ids) do
  local v = redis.call("GET", id)
  if v then
    redis.call("ZADD", KEYS[1], string.format("%d", now + tonumber(ARGV[2])), id)
    out[#out + 1] = id
    out[#out + 1] = v
  else
    redis.call("ZREM", KEYS[1], id)
  end
end
return out`)
)

// Begin implements bot.Journal. With the store down, or failing,
// nothing is recorded and end does nothing.
func (j *Journal) Begin(ctx context.Context, u bot.Unfinished) (end func(finished bool)) {
	nothing := func(bool) {}
	if !j.r.up.Load() {
		return nothing
	}
	data, err := json.Marshal(u)
	if err != nil {
		return nothing
	}
	k, set := key(j.r.prefix, kindUnfinished, token()), j.set(u.Platform)
	lease := strconv.FormatInt(j.lease.Milliseconds(), 10)
	if err := j.r.do(ctx, func(ctx context.Context) error {
		return beginUnfinished.Run(ctx, j.r.c, []string{k, set}, data, lease, journalKeep.Milliseconds()).Err()
	}); err != nil {
		return nothing
	}
	return j.hold(k, set)
}

// hold renews the entry k of set until the returned end: end(true)
// removes it, end(false) leaves it to run out.
func (j *Journal) hold(k, set string) (end func(finished bool)) {
	lease := strconv.FormatInt(j.lease.Milliseconds(), 10)
	rn := j.r.renew(j.lease/3, func(ctx context.Context) (bool, error) {
		var n int64
		err := j.r.do(ctx, func(ctx context.Context) error {
			var err error
			n, err = renewUnfinished.Run(ctx, j.r.c, []string{k, set}, lease).Int64()
			return err
		})
		return n == 1, err
	})
	var once sync.Once
	return func(finished bool) {
		once.Do(func() {
			rn.stop()
			if !finished || j.r.base.Err() != nil {
				return // taken over once the lease runs out
			}
			j.drop(k, set)
		})
	}
}

// drop removes the entry k of set.
func (j *Journal) drop(k, set string) {
	_ = j.r.do(context.Background(), func(ctx context.Context) error {
		_, err := j.r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.ZRem(ctx, set, k)
			p.Del(ctx, k)
			return nil
		})
		return err
	})
}

// Orphans implements bot.Journal.
func (j *Journal) Orphans(ctx context.Context, platform string) []bot.Orphan {
	if !j.r.up.Load() {
		return nil
	}
	set := j.set(platform)
	var got []string
	if err := j.r.do(ctx, func(ctx context.Context) error {
		var err error
		got, err = takeOrphans.Run(ctx, j.r.c, []string{set}, maxOrphans, j.lease.Milliseconds()).StringSlice()
		return err
	}); err != nil {
		return nil // taken, perhaps, with the reply lost: taken over again after the lease
	}
	var out []bot.Orphan
	for i := 0; i+1 < len(got); i += 2 {
		k := got[i]
		var u bot.Unfinished
		if json.Unmarshal([]byte(got[i+1]), &u) != nil || u.Platform != platform {
			j.drop(k, set) // unreadable
			continue
		}
		out = append(out, bot.Orphan{Unfinished: u, End: j.hold(k, set)})
	}
	return out
}

// set is the sorted set of platform's entries.
func (j *Journal) set(platform string) string {
	return key(j.r.prefix, kindUnfinished, "set\x00"+platform)
}
