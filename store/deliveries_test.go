package store

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/internal/testredis"
)

func local() bot.Deliveries { return bot.NewLocalDeliveries(10*time.Minute, 1000) }

// TestDeliveriesRace: two replicas, many goroutines each, claiming the
// same ids: exactly one claim wins each id. Then handled ids are refused
// on both, and given-up ids can be claimed again, once.
func TestDeliveriesRace(t *testing.T) {
	srv := testredis.Start(t)
	check := noLeak(t)
	replicas := []*Deliveries{
		NewDeliveries(replica(t, srv.URL(), nil), local()),
		NewDeliveries(replica(t, srv.URL(), nil), local()),
	}
	ctx := context.Background()
	const ids, workers = 40, 6
	id := func(i int) string { return fmt.Sprintf("slack:event:Ev%04d", i) }

	type win struct {
		done func(bool)
		n    atomic.Int32
	}
	wins := make([]win, ids)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, d := range replicas {
		for range workers {
			wg.Go(func() {
				for i := range ids {
					if done, ok := claimed(d.Claim(ctx, id(i))); ok {
						wins[i].n.Add(1)
						mu.Lock()
						wins[i].done = done
						mu.Unlock()
					}
				}
			})
		}
	}
	wg.Wait()
	for i := range wins {
		if n := wins[i].n.Load(); n != 1 {
			t.Fatalf("%s claimed %d times", id(i), n)
		}
	}

	// Even ids are handled, odd ones given up; done is called from
	// several goroutines at once, and only the first call counts.
	for i := range wins {
		for range 3 {
			wg.Go(func() { wins[i].done(i%2 == 0) })
		}
	}
	wg.Wait()
	for i := range ids {
		for r, d := range replicas {
			done, ok := claimed(d.Claim(ctx, id(i)))
			switch {
			case i%2 == 0 && ok:
				t.Errorf("replica %d: handled %s claimed again", r, id(i))
			case i%2 == 1 && r == 0 && !ok:
				t.Errorf("replica %d: given-up %s not claimable", r, id(i))
			case i%2 == 1 && r == 1 && ok:
				t.Errorf("replica %d: given-up %s claimed twice", r, id(i))
			}
			if ok {
				done(true)
			}
		}
	}
	if st := replicas[0].r.Stats(); st.Fallbacks != 0 || st.CallsFailed != 0 || !st.Up {
		t.Errorf("stats: %+v", st)
	}
	for _, d := range replicas {
		d.r.Close()
	}
	check()
}

// TestDeliveriesKeys: a handled id stays claimed for Keep, a claim in
// progress for Lease; the keys hold neither the id nor the text.
func TestDeliveriesKeys(t *testing.T) {
	srv := testredis.Start(t)
	r := replica(t, srv.URL(), nil)
	d := NewDeliveriesWith(r, local(), DeliveriesOptions{Lease: 5 * time.Second, Keep: time.Minute})
	ctx := context.Background()
	id := "discord:int:" + string(make([]byte, 100_000)) // huge, binary
	done, ok := claimed(d.Claim(ctx, id))
	if !ok {
		t.Fatal("not claimed")
	}
	k := key(r.prefix, kindDelivery, id)
	if ttl := r.c.PTTL(ctx, k).Val(); ttl <= 0 || ttl > 5*time.Second {
		t.Errorf("claim TTL %s, want ≤ the lease", ttl)
	}
	done(true)
	if v := r.c.Get(ctx, k).Val(); v != "done" {
		t.Errorf("handled value %q", v)
	}
	if ttl := r.c.PTTL(ctx, k).Val(); ttl <= 5*time.Second || ttl > time.Minute {
		t.Errorf("handled TTL %s, want ≤ keep", ttl)
	}
	keys := r.c.Keys(ctx, "*").Val()
	if len(keys) != 1 || keys[0] != k || len(k) != len("test:delivery:")+hashLen {
		t.Errorf("keys %q", keys)
	}
}

// TestDeliveriesLease: a claim outlives its lease while its replica
// answers (it is renewed), and a replica that dies without calling done
// frees it within the lease.
func TestDeliveriesLease(t *testing.T) {
	srv := testredis.Start(t)
	check := noLeak(t)
	const lease = 1500 * time.Millisecond
	opts := DeliveriesOptions{Lease: lease}
	ra := replica(t, srv.URL(), nil)
	a := NewDeliveriesWith(ra, local(), opts)
	b := NewDeliveriesWith(replica(t, srv.URL(), nil), local(), opts)
	ctx := context.Background()

	if _, ok := claimed(a.Claim(ctx, "slack:event:E1")); !ok {
		t.Fatal("a did not claim")
	}
	// Two leases later, still a's.
	for end := time.Now().Add(2 * lease); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if _, ok := claimed(b.Claim(ctx, "slack:event:E1")); ok {
			t.Fatal("b took a claim being renewed")
		}
	}
	// a dies: its renewer stops, done is never called.
	ra.Close()
	start := time.Now()
	var doneB func(bool)
	eventually(t, 5*lease, "b claims after a died", func() bool {
		var ok bool
		doneB, ok = claimed(b.Claim(ctx, "slack:event:E1"))
		return ok
	})
	if d := time.Since(start); d > 2*lease {
		t.Errorf("freed after %s, lease %s", d, lease)
	}
	doneB(false)
	b.r.Close()
	check()
}

// TestDeliveriesDoneAfterExpiry: a replica whose claim expired and was
// taken by another replica does not touch the other's claim.
func TestDeliveriesDoneAfterExpiry(t *testing.T) {
	srv := testredis.Start(t)
	ra, rb := replica(t, srv.URL(), nil), replica(t, srv.URL(), nil)
	a := NewDeliveriesWith(ra, local(), DeliveriesOptions{Lease: time.Minute})
	b := NewDeliveries(rb, local())
	ctx := context.Background()
	doneA, ok := claimed(a.Claim(ctx, "x"))
	if !ok {
		t.Fatal("a did not claim")
	}
	// The claim expires (as after an outage longer than the lease).
	ra.c.Del(ctx, key(ra.prefix, kindDelivery, "x"))
	doneB, ok := claimed(b.Claim(ctx, "x"))
	if !ok {
		t.Fatal("b did not claim")
	}
	doneA(false) // must not free b's claim
	if _, ok := claimed(a.Claim(ctx, "x")); ok {
		t.Error("a's late done(false) freed b's claim")
	}
	doneB(true)
}

// claimed turns Claim's state into "the caller claimed it".
func claimed(done func(bool), st bot.ClaimState) (func(bool), bool) { return done, st == bot.Claimed }

// TestDeliveriesStates: a repeat of a delivery another replica is
// handling is Busy (left unacknowledged where the platform redelivers),
// one it has handled is Handled, one it gave up on is claimed again.
func TestDeliveriesStates(t *testing.T) {
	rs := testredis.Start(t)
	ctx := context.Background()
	a := NewDeliveries(replica(t, rs.URL(), nil), local())
	b := NewDeliveries(replica(t, rs.URL(), nil), local())
	done, st := a.Claim(ctx, "slack:event:S1")
	if st != bot.Claimed {
		t.Fatalf("first claim: %v", st)
	}
	if _, st := b.Claim(ctx, "slack:event:S1"); st != bot.Busy {
		t.Errorf("while the other replica handles it: %v, want Busy", st)
	}
	done(true)
	if _, st := b.Claim(ctx, "slack:event:S1"); st != bot.Handled {
		t.Errorf("once handled: %v, want Handled", st)
	}
	done, _ = a.Claim(ctx, "slack:event:S2")
	done(false)
	if done, st := b.Claim(ctx, "slack:event:S2"); st != bot.Claimed {
		t.Errorf("given up on: %v, want Claimed", st)
	} else {
		done(true)
	}
}

// TestDeliveriesLocalAndShared: what this process claims is known here
// whether the store was up or down then: a repeat reaching the same
// replica after the store went down, or came back, is not claimed again.
func TestDeliveriesLocalAndShared(t *testing.T) {
	rs := testredis.Start(t)
	r := replica(t, rs.URL(), nil)
	d := NewDeliveries(r, local())
	ctx := context.Background()
	done, st := d.Claim(ctx, "slack:event:L1") // on the server
	if st != bot.Claimed {
		t.Fatalf("first claim: %v", st)
	}
	r.up.Store(false) // the store goes down while it is answered
	if _, st := d.Claim(ctx, "slack:event:L1"); st != bot.Busy {
		t.Errorf("a repeat with the store down: %v, want Busy", st)
	}
	done2, st := d.Claim(ctx, "slack:event:L2") // here only
	if st != bot.Claimed {
		t.Fatalf("claim with the store down: %v", st)
	}
	r.up.Store(true) // back
	if _, st := d.Claim(ctx, "slack:event:L2"); st != bot.Busy {
		t.Errorf("a repeat of a claim made while the store was down: %v, want Busy", st)
	}
	done(true)
	done2(true)
	for _, id := range []string{"slack:event:L1", "slack:event:L2"} {
		if _, st := d.Claim(ctx, id); st != bot.Handled {
			t.Errorf("%s once handled: %v, want Handled", id, st)
		}
	}
}
