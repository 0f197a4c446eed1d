package store

import (
	"context"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/internal/testredis"
)

// replyProxy forwards loopback TCP connections to a server. While it
// swallows, it still reads what the server sends and discards it, the
// client's bytes still reaching the server: commands run, their replies
// are lost, and the client times out. The switch holds for every
// connection, those already open and those opened while it is on, and
// is read at each chunk the server sends.
type replyProxy struct {
	ln     net.Listener
	target string
	wg     sync.WaitGroup

	mu         sync.Mutex
	closed     bool
	conns      []net.Conn
	accepted   int  // connections accepted
	swallowing bool // replies are discarded
	once       bool // swallowing stops after the next chunk
	dropped    int  // bytes of replies discarded
}

// startReplyProxy listens on loopback and forwards to target (host:port)
// until the test ends.
func startReplyProxy(t *testing.T, target string) *replyProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &replyProxy{ln: ln, target: target}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(p.close)
	return p
}

// URL is the proxy's address as a Redis URL, database 0.
func (p *replyProxy) URL() string { return "redis://" + p.ln.Addr().String() + "/0" }

// swallow switches the discarding of replies on or off.
func (p *replyProxy) swallow(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.swallowing, p.once = on, false
}

// swallowNext discards the next chunk the server sends (on whatever
// connection), then passes replies again. A one-line reply (a script's
// integer) arrives in one chunk on loopback: this loses exactly one
// reply, however slow the machine.
func (p *replyProxy) swallowNext() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.swallowing, p.once = true, true
}

// dials is how many connections the proxy accepted.
func (p *replyProxy) dials() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted
}

// swallowed is how many bytes of replies the proxy discarded.
func (p *replyProxy) swallowed() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dropped
}

// serve accepts connections until close, each forwarded by two
// goroutines.
func (p *replyProxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		s, err := net.DialTimeout("tcp", p.target, time.Second)
		if err != nil {
			c.Close()
			continue
		}
		if !p.track(c, s) {
			c.Close()
			s.Close()
			return
		}
		p.wg.Add(2)
		go func() {
			defer p.wg.Done()
			_, _ = io.Copy(s, c) // the client's commands always get through
			c.Close()
			s.Close()
		}()
		go func() {
			defer p.wg.Done()
			p.replies(c, s)
			c.Close()
			s.Close()
		}()
	}
}

// track records a client's connection and its server's, so that close
// closes them; false once the proxy is closed.
func (p *replyProxy) track(c, s net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.accepted++
	p.conns = append(p.conns, c, s)
	return true
}

// replies copies what the server s sends to the client c, but for the
// chunks read while swallowing, which are discarded.
func (p *replyProxy) replies(c, s net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := s.Read(buf)
		if n > 0 && !p.drop(n) {
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// drop reports whether a chunk of n bytes from the server is to be
// discarded, and counts it.
func (p *replyProxy) drop(n int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.swallowing {
		return false
	}
	p.dropped += n
	if p.once {
		p.swallowing, p.once = false, false
	}
	return true
}

// close stops accepting, closes every connection and waits for the
// proxy's goroutines.
func (p *replyProxy) close() {
	p.mu.Lock()
	p.closed = true
	conns := p.conns
	p.conns = nil
	p.mu.Unlock()
	p.ln.Close()
	for _, c := range conns {
		c.Close()
	}
	p.wg.Wait()
}

// afterPing waits until r's background ping (every pingEvery) has just
// been made, so that the next is about pingEvery away. A ping whose
// reply is swallowed marks the store down at once, and calls are then
// not even sent: the calls a test makes with replies swallowed must not
// meet one.
func afterPing(t *testing.T, r *Redis) {
	t.Helper()
	n := r.pings.Load()
	eventually(t, 3*pingEvery, "a background ping", func() bool { return r.pings.Load() > n })
}

// loadScripts loads scripts into the server's cache through r, so that
// the first EVALSHA of another replica runs them (rather than being
// answered NOSCRIPT, which runs nothing, and sent again as EVAL).
func loadScripts(t *testing.T, r *Redis, scripts ...*redis.Script) {
	t.Helper()
	for _, s := range scripts {
		if err := s.Load(context.Background(), r.c).Err(); err != nil {
			t.Fatal(err)
		}
	}
}

// evalshaCalls is how many EVALSHA the server has run, as INFO
// commandstats says (asked through r).
func evalshaCalls(t *testing.T, r *Redis) int {
	t.Helper()
	info, err := r.c.Info(context.Background(), "commandstats").Result()
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(info, "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "cmdstat_evalsha:calls=")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(strings.SplitN(rest, ",", 2)[0])
		if err != nil {
			t.Fatalf("commandstats: %q", line)
		}
		return n
	}
	return 0
}

// TestLostReplyProxy shows that the proxy the lost-reply tests rely on
// works as they assume: while it swallows, commands run on the server
// but the client gets no reply, on its open connections and on those it
// opens then; switched off, replies pass again — on a new connection,
// go-redis having discarded the one that timed out.
func TestLostReplyProxy(t *testing.T) {
	rs := testredis.Start(t)
	p := startReplyProxy(t, rs.Addr)
	ra, rb := replica(t, p.URL(), nil), replica(t, rs.URL(), nil)
	ctx := context.Background()
	if !ra.Healthy() {
		t.Fatal("not healthy through the proxy")
	}
	afterPing(t, ra)
	dials := p.dials()
	p.swallow(true)
	if err := ra.do(ctx, func(ctx context.Context) error { return ra.c.Set(ctx, "test:k", "1", 0).Err() }); err == nil {
		t.Fatal("a reply got through while swallowing")
	}
	if v := rb.c.Get(ctx, "test:k").Val(); v != "1" {
		t.Errorf("the command did not run on the server: %q", v)
	}
	if err := ra.Ping(ctx); err == nil { // on a new connection
		t.Error("a reply got through on a connection opened while swallowing")
	}
	if p.dials() == dials {
		t.Error("no new connection while swallowing: go-redis kept the one that timed out")
	}
	p.swallow(false)
	dials = p.dials()
	if err := ra.Ping(ctx); err != nil {
		t.Errorf("swallowing switched off: %v", err)
	}
	if !ra.Healthy() {
		t.Error("not healthy after a ping that worked")
	}
	if p.dials() == dials {
		t.Error("go-redis reused a connection that timed out")
	}
	if p.swallowed() == 0 {
		t.Error("nothing swallowed")
	}
}

// TestTakeWithALostReplyIsTakenAgain shows that the sums a Take took on
// the server are not lost with its reply: the replica's next Take sends
// the same token and gets them, and no other replica takes them again.
func TestTakeWithALostReplyIsTakenAgain(t *testing.T) {
	rs := testredis.Start(t)
	p := startReplyProxy(t, rs.Addr)
	ra, rb := replica(t, p.URL(), nil), replica(t, rs.URL(), nil)
	a, b := NewRefusals(ra), NewRefusals(rb)
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	mustAdd(t, b, refusal("198.51.100.7", t0), true)
	for i := 1; i <= 3; i++ {
		mustAdd(t, b, refusal("198.51.100.7", t0.Add(time.Duration(i)*time.Second)), false)
	}
	loadScripts(t, rb, takeRefusals)
	now := t0.Add(audit.RefusalWindow)
	run := b.runKey("web", "198.51.100.7", "check", "refused:rate_limited")
	if n := rb.c.HGet(ctx, run, "n").Val(); n != "3" {
		t.Fatalf("run before the Take: n = %q", n)
	}

	afterPing(t, ra)
	dials := p.dials()
	p.swallow(true)
	if sums, err := a.Take(ctx, now, false); err == nil {
		t.Fatalf("Take succeeded with its reply swallowed: %+v", sums)
	}
	p.swallow(false)
	// The Take ran on the server (the run was taken, its count reset);
	// only its reply was lost, and its token is kept for the next.
	if n := rb.c.HGet(ctx, run, "n").Val(); n != "0" {
		t.Fatalf("the lost Take did not run on the server: n = %q", n)
	}
	a.mu.Lock()
	retake := a.retake
	a.mu.Unlock()
	if retake == "" {
		t.Error("no token kept to take again")
	}
	// One timeout does not mark the store down (slowCalls), but a
	// background ping swallowed too would have, and Take then fails
	// at once without asking the server: wait for the ping to find it.
	eventually(t, 3*pingEvery, "a healthy again", ra.Healthy)

	sums := mustTake(t, a, now, false)
	if len(sums) != 1 || sums[0].Count != 3 || sums[0].User != "198.51.100.7" ||
		!sums[0].Time.Equal(t0.Add(time.Second)) || !sums[0].Until.Equal(t0.Add(3*time.Second)) {
		t.Fatalf("taken again: %+v, want the one sum of 3", sums)
	}
	if p.dials() == dials {
		t.Error("the Take after the timeout reused the connection that timed out")
	}
	if sums := mustTake(t, b, now, false); len(sums) != 0 {
		t.Errorf("taken once more by the other replica: %+v", sums)
	}
	if sums := mustTake(t, a, now, false); len(sums) != 0 {
		t.Errorf("taken once more with a new token: %+v", sums)
	}

	// A Take of all (a replica stopping) after a lost Take gets the
	// sums the lost one took and the rest.
	mustAdd(t, b, refusal("198.51.100.7", now.Add(time.Second)), false) // its run goes on, two minutes now
	mustAdd(t, b, refusal("203.0.113.9", now.Add(10*time.Second)), true)
	mustAdd(t, b, refusal("203.0.113.9", now.Add(11*time.Second)), false)
	mustAdd(t, b, refusal("203.0.113.9", now.Add(12*time.Second)), false)
	later := now.Add(2*time.Minute + time.Second) // both windows ended
	afterPing(t, ra)
	p.swallow(true)
	if _, err := a.Take(ctx, later, false); err == nil {
		t.Fatal("Take succeeded with its reply swallowed")
	}
	p.swallow(false)
	mustAdd(t, b, refusal("203.0.113.9", later.Add(time.Second)), false)
	eventually(t, 3*pingEvery, "a healthy again", ra.Healthy)
	counts := map[string]int{}
	for _, s := range mustTake(t, a, later.Add(2*time.Second), true) {
		counts[s.User] += s.Count
	}
	if counts["198.51.100.7"] != 1 || counts["203.0.113.9"] != 3 || len(counts) != 2 {
		t.Errorf("taken at the end: %v, want 198.51.100.7:1 (taken by the lost Take) and 203.0.113.9:3 (2 by it, 1 since)", counts)
	}
}

// TestAddWithALostReplyIsCountedOnce shows that an Add whose first
// call ran on the server but lost its reply, sent again by Add with the
// same token, is answered as the first call was and counted once.
func TestAddWithALostReplyIsCountedOnce(t *testing.T) {
	rs := testredis.Start(t)
	p := startReplyProxy(t, rs.Addr)
	ra, rb := replica(t, p.URL(), nil), replica(t, rs.URL(), nil)
	a, b := NewRefusals(ra), NewRefusals(rb)
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	mustAdd(t, b, refusal("U1", t0), true)
	loadScripts(t, rb, addRefusal)

	// Exactly the first call's reply is lost: the proxy swallows the
	// next reply the server sends and passes the others. (A switch
	// turned off by a timer would be fragile both ways: too early on a
	// slow machine, nothing is lost and the test shows nothing; too
	// late, the retry's reply is lost too and Add fails.) go-redis does
	// not retry within the call: the read's deadline is the call's, so
	// its retry would find the context done. Add's own retry, after the
	// 250 ms timeout, goes on a new connection (go-redis discards the
	// one that timed out). commandstats shows that both calls ran.
	afterPing(t, ra)
	calls, failed := evalshaCalls(t, rb), ra.Stats().CallsFailed
	p.swallowNext()
	first, err := a.Add(ctx, refusal("U1", t0.Add(time.Second)))
	if err != nil {
		t.Fatalf("Add with its first reply lost: %v", err)
	}
	if first {
		t.Error("a summed refusal reported first")
	}
	if n := ra.Stats().CallsFailed - failed; n != 1 {
		t.Errorf("%d calls failed, want 1 (the reply lost)", n)
	}
	if n := evalshaCalls(t, rb) - calls; n != 2 {
		t.Errorf("the script ran %d times, want 2 (the call and its retry)", n)
	}
	if p.swallowed() == 0 {
		t.Error("no reply swallowed")
	}

	mustAdd(t, b, refusal("U1", t0.Add(2*time.Second)), false)
	sums := mustTake(t, b, t0.Add(audit.RefusalWindow), false)
	if len(sums) != 1 || sums[0].Count != 2 || !sums[0].Time.Equal(t0.Add(time.Second)) ||
		!sums[0].Until.Equal(t0.Add(2*time.Second)) {
		t.Errorf("sums: %+v, want one of 2 refusals", sums)
	}
}

// TestClaimWithALostReplyIsEnded shows that a claim taken on the server
// whose reply was lost is held and ended as one: Claim falls back to
// Claimed, the other replica finds the delivery being handled (Busy),
// and once done(true) — tried even though the store was then marked
// down — it finds it handled, not free to answer again.
func TestClaimWithALostReplyIsEnded(t *testing.T) {
	rs := testredis.Start(t)
	p := startReplyProxy(t, rs.Addr)
	ra, rb := replica(t, p.URL(), nil), replica(t, rs.URL(), nil)
	a, b := NewDeliveries(ra, local()), NewDeliveries(rb, local())
	ctx := context.Background()
	loadScripts(t, rb, takeClaim, finishClaim)

	afterPing(t, ra)
	before := ra.Stats()
	p.swallow(true)
	done, st := a.Claim(ctx, "slack:event:X")
	if st != bot.Claimed || done == nil {
		t.Fatalf("claim with its reply lost: %v, want Claimed (the fallback)", st)
	}
	if after := ra.Stats(); after.CallsFailed == before.CallsFailed || after.Fallbacks == before.Fallbacks {
		t.Fatalf("the claim did not fail: stats %+v, then %+v", before, after)
	}
	// A ping while replies are swallowed marks the store down.
	if err := ra.Ping(ctx); err == nil || ra.Healthy() {
		t.Fatalf("ping with its reply swallowed: %v, healthy %v", err, ra.Healthy())
	}
	p.swallow(false)

	// The claim was taken on the server: the other replica leaves it.
	if _, st := b.Claim(ctx, "slack:event:X"); st != bot.Busy {
		t.Fatalf("the other replica, while a holds the claim: %v, want Busy", st)
	}
	// a is down (unless its background ping has found it again since):
	// done is tried all the same, and ends the claim on the server.
	done(true)
	if _, st := b.Claim(ctx, "slack:event:X"); st != bot.Handled {
		t.Errorf("the other replica, once a is done: %v, want Handled", st)
	}
	if _, st := a.Claim(ctx, "slack:event:X"); st != bot.Handled {
		t.Errorf("a, once done: %v, want Handled", st)
	}
}
