package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/mailhelp/mailhelp/audit"
)

// Refusals sum the refusals of the replicas' audit trails
// (audit.Tally): the first refusal of a client (platform and user) for
// an action and code is written at once by the replica that saw it, the
// ones that follow within the window are summed on the server, and each
// sum is written once, by the first replica to poll after the window
// ends — with the rules of a lone trail (audit.RefusalWindow, doubling
// up to audit.MaxRefusalWindow, audit.MaxRefusalClients apart, the
// others as audit.OtherClients).
//
// A run is a hash (its client, action, code, window and what it summed
// so far), listed by the time its window ends in one sorted set; the
// clients summed apart are counted in a set. There are at most
// MaxRefusalClients runs apart and one run of the others per platform,
// action and code, so the state is bounded whatever the flood (but for
// each call's outcome, kept a few seconds under its token). It has no
// expiry: sums left by replicas that all stopped are written by the
// next one to start.
//
// While the server is down, Add fails at once and each trail sums on
// its own (counted as fallbacks).
type Refusals struct {
	r *Redis

	mu sync.Mutex
	// retake is the token of a Take whose reply was lost: the next Take
	// sends it again, and gets the sums the server took then.
	retake string
}

var _ audit.Tally = (*Refusals)(nil)

// NewRefusals sums refusals through r.
func NewRefusals(r *Redis) *Refusals { return &Refusals{r: r} }

// errDown is what calls return while the server is known to be down:
// they are not tried.
var errDown = errors.New("store: Redis is down")

// How long the outcome of a call is kept under its token, so that the
// call sent again with the same token after a lost reply — by go-redis
// within the call, by Add at once, by Take at the next poll — is not
// counted, or taken, twice. An Add's is short: a flood of refusals
// leaves that many keys for that long.
const (
	addKeep = 2 * time.Second
	// A Take's is kept long enough to outlast an outage that began
	// with its lost reply; only one that took sums is kept.
	takeKeep = 10 * time.Minute
)

// maxTaken bounds the runs one Take looks at.
const maxTaken = 256

var (
	// KEYS[1] run, KEYS[2] the others' run, KEYS[3] the runs by end of
	// window, KEYS[4] the runs apart, KEYS[5] the call's token.
	// ARGV[1] end of the window in ms, ARGV[2] window in ms, ARGV[3]
	// most runs apart, ARGV[4..7] platform, user, action, code, ARGV[8]
	// time, ARGV[9] target, ARGV[10] channel, ARGV[11] opKeep in ms.
	// 1: the first of its run, to be written at once; 0: summed.
	addRefusal = redis.NewScript(`local prev = redis.call("GET", KEYS[5])
if prev then
  return tonumber(prev)
end
local run = KEYS[1]
local other = run == KEYS[2]
local res = 0
if redis.call("EXISTS", run) == 0 then
  if not other and redis.call("SCARD", KEYS[4]) >= tonumber(ARGV[3]) then
    run, other = KEYS[2], true
  end
  if redis.call("EXISTS", run) == 0 then
    local user = ARGV[5]
    if other then
      user = "*"
    end
    redis.call("HSET", run, "platform", ARGV[4], "user", user, "action", ARGV[6], "result", ARGV[7],
      "window", ARGV[2], "n", 0, "taken", 0)
    redis.call("ZADD", KEYS[3], ARGV[1], run)
    if not other then
      redis.call("SADD", KEYS[4], run)
      res = 1
    end
  end
end
if res == 0 then
  if redis.call("HINCRBY", run, "n", 1) == 1 then
    redis.call("HSET", run, "first", ARGV[8], "target", ARGV[9], "channel", ARGV[10])
  else
    if redis.call("HGET", run, "target") ~= ARGV[9] then
      redis.call("HSET", run, "target", "")
    end
    if redis.call("HGET", run, "channel") ~= ARGV[10] then
      redis.call("HSET", run, "channel", "")
    end
  end
  redis.call("HSET", run, "last", ARGV[8])
end
redis.call("SET", KEYS[5], res, "PX", ARGV[11])
return res`)

	// KEYS[1] the runs by end of window, KEYS[2] the runs apart, KEYS[3]
	// the call's token. ARGV[1] now in ms, ARGV[2] "1" for all runs,
	// ARGV[3] longest window in ms, ARGV[4] opKeep in ms, ARGV[5] most
	// runs looked at. Nine strings per sum: count, first, last, target,
	// channel, platform, user, action, code.
	takeRefusals = redis.NewScript(`local prev = redis.call("GET", KEYS[3])
if prev then
  return cjson.decode(prev)
end
local now, all, maxw = tonumber(ARGV[1]), ARGV[2] == "1", tonumber(ARGV[3])
local runs
if all then
  runs = redis.call("ZRANGE", KEYS[1], 0, tonumber(ARGV[5]) - 1)
else
  runs = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[1], "LIMIT", 0, ARGV[5])
end
local out = {}
for _, run in ipairs(runs) do
  local h = redis.call("HMGET", run, "n", "taken", "window", "first", "last", "target", "channel",
    "platform", "user", "action", "result")
  if not h[1] then
    redis.call("ZREM", KEYS[1], run)
    redis.call("SREM", KEYS[2], run)
  else
    local n = tonumber(h[1])
    if n > 0 then
      out[#out + 1] = h[1]
      for i = 4, 11 do
        out[#out + 1] = h[i] or ""
      end
    end
    if all then
      if n > 0 then
        redis.call("HSET", run, "n", 0, "taken", 1)
      end
    elseif n == 0 and h[2] ~= "1" then
      redis.call("DEL", run)
      redis.call("ZREM", KEYS[1], run)
      redis.call("SREM", KEYS[2], run)
    else
      local w = math.min(2 * tonumber(h[3]), maxw)
      redis.call("HSET", run, "n", 0, "taken", 0, "window", string.format("%d", w))
      redis.call("ZADD", KEYS[1], string.format("%d", now + w), run)
    end
  end
end
if #out > 0 then
  redis.call("SET", KEYS[3], cjson.encode(out), "PX", ARGV[4])
end
return out`)
)

// Add implements audit.Tally. A call that fails and leaves the server
// counted up (a timeout, not yet an outage) is sent again at once with
// the same token: if the first ran, the server answers as it did then.
// A call that fails otherwise — twice, or marking the server down — is
// summed by the trail alone, and may have been counted here too.
func (s *Refusals) Add(ctx context.Context, e audit.Entry) (first bool, err error) {
	if !s.r.up.Load() {
		s.r.fallbacks.Add(1)
		return false, errDown
	}
	keys := []string{
		s.runKey(e.Platform, e.User, e.Action, e.Result),
		s.runKey(e.Platform, audit.OtherClients, e.Action, e.Result),
		s.r.prefix + kindRefusal + ":due",
		s.r.prefix + kindRefusal + ":apart",
		key(s.r.prefix, kindRefusalCall, token()),
	}
	t := e.Time.UTC()
	args := []any{
		strconv.FormatInt(t.Add(audit.RefusalWindow).UnixMilli(), 10),
		strconv.FormatInt(audit.RefusalWindow.Milliseconds(), 10),
		audit.MaxRefusalClients,
		e.Platform, e.User, e.Action, e.Result,
		t.Format(time.RFC3339Nano), e.Target, e.Channel,
		addKeep.Milliseconds(),
	}
	var got int64
	for attempt := 0; ; attempt++ {
		err = s.r.do(ctx, func(ctx context.Context) error {
			var err error
			got, err = addRefusal.Run(ctx, s.r.c, keys, args...).Int64()
			return err
		})
		if err == nil || attempt == 1 || !s.r.up.Load() || ctx.Err() != nil {
			break
		}
	}
	if err != nil {
		s.r.fallbacks.Add(1)
		return false, fmt.Errorf("store: summing a refusal: %w", err)
	}
	return got == 1, nil
}

// Take implements audit.Tally. A Take whose reply is lost leaves its
// token for the next, which gets the sums the server took then (kept
// takeKeep) instead of losing them — and, when it takes all, takes
// the rest as well.
func (s *Refusals) Take(ctx context.Context, now time.Time, all bool) ([]audit.Entry, error) {
	if !s.r.up.Load() {
		return nil, errDown
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var sums []audit.Entry
	if s.retake != "" {
		got, err := s.take(ctx, s.retake, now, all)
		if err != nil {
			return nil, err
		}
		s.retake = ""
		if !all {
			return got, nil
		}
		sums = got
	}
	tok := token()
	got, err := s.take(ctx, tok, now, all)
	if err != nil {
		s.retake = tok
		if len(sums) > 0 {
			return sums, nil // the rest at the next Take
		}
		return nil, err
	}
	return append(sums, got...), nil
}

// take is one call of takeRefusals with the token tok.
func (s *Refusals) take(ctx context.Context, tok string, now time.Time, all bool) ([]audit.Entry, error) {
	keys := []string{
		s.r.prefix + kindRefusal + ":due",
		s.r.prefix + kindRefusal + ":apart",
		key(s.r.prefix, kindRefusalCall, tok),
	}
	allArg := "0"
	if all {
		allArg = "1"
	}
	var got []string
	err := s.r.do(ctx, func(ctx context.Context) error {
		var err error
		got, err = takeRefusals.Run(ctx, s.r.c, keys, strconv.FormatInt(now.UnixMilli(), 10), allArg,
			audit.MaxRefusalWindow.Milliseconds(), takeKeep.Milliseconds(), maxTaken).StringSlice()
		return err
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("store: taking refusal sums: %w", err)
	}
	sums, bad := decodeSums(got)
	if bad > 0 {
		s.r.logServerError(fmt.Errorf("store: %d refusal sums unreadable, left out", bad))
	}
	return sums, nil
}

// decodeSums reads Take's replies, nine strings a sum; bad counts the
// sums it could not read (left out: the server has taken them).
func decodeSums(got []string) (sums []audit.Entry, bad int) {
	sums = make([]audit.Entry, 0, len(got)/9)
	for i := 0; i+9 <= len(got); i += 9 {
		n, err := strconv.Atoi(got[i])
		first, err1 := time.Parse(time.RFC3339Nano, got[i+1])
		last, err2 := time.Parse(time.RFC3339Nano, got[i+2])
		if err != nil || n <= 0 || err1 != nil || err2 != nil {
			bad++
			continue
		}
		sums = append(sums, audit.Entry{Time: first, Until: last, Count: n, Target: got[i+3], Channel: got[i+4],
			Platform: got[i+5], User: got[i+6], Action: got[i+7], Result: got[i+8]})
	}
	if len(got)%9 != 0 {
		bad++
	}
	// In the order of their first refusal, the others' last of equals.
	slices.SortStableFunc(sums, func(a, b audit.Entry) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return cmp.Compare(boolInt(a.User == audit.OtherClients), boolInt(b.User == audit.OtherClients))
	})
	return sums, bad
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// runKey is the key of the run of a client's refusals of an action.
func (s *Refusals) runKey(platform, user, action, result string) string {
	return key(s.r.prefix, kindRefusal, platform+"\x00"+user+"\x00"+action+"\x00"+result)
}
