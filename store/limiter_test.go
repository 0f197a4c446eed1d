package store

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/internal/testredis"
	"github.com/mailhelp/mailhelp/probe"
)

// limitScope returns err's scope and RetryAfter, "" for none.
func limitScope(t *testing.T, err error) (string, time.Duration) {
	t.Helper()
	if err == nil {
		return "", 0
	}
	var le *probe.LimitError
	if !errors.As(err, &le) {
		t.Fatalf("not a *probe.LimitError: %v", err)
	}
	return le.Scope, le.RetryAfter
}

// TestLimiterShared mirrors probe's TestLimiter with two replicas
// sharing the limits: each step runs on replica a or b and expects
// admission ("") or a refusal's scope.
func TestLimiterShared(t *testing.T) {
	srv := testredis.Start(t)
	check := noLeak(t)
	lim := probe.Limits{PerUser: 2, PerTarget: 3, Window: time.Minute, MaxConcurrent: 2}
	replicas := map[string]*Limiter{
		"a": NewLimiter(replica(t, srv.URL(), nil), lim),
		"b": NewLimiter(replica(t, srv.URL(), nil), lim),
	}
	held := map[string]func(){}
	for i, st := range []struct {
		on, user, target string
		release          string // release the check held under this name (after the step)
		hold             string // keep the admitted check's release under this name
		want             string
	}{
		{on: "a", user: "U1", target: "bm.domaine.com", hold: "r1"},
		{on: "b", user: "U2", target: "bm.domaine.com", hold: "r2"},
		{on: "a", user: "U3", target: "x.example", want: "busy"},
		{on: "b", user: "U3", target: "x.example", want: "busy", release: "r1"},
		{on: "b", user: "U3", target: "x.example", hold: "r3"}, // r1's slot is free
		{on: "a", user: "U4", target: "y.example", want: "busy", release: "r2"},
		{on: "a", user: "U1", target: "bm.domaine.com", release: "r3"}, // U1's second, bm's third
		{on: "b", user: "U1", target: "other.example", want: "user"},
		{on: "a", user: "U9", target: "bm.domaine.com", want: "target"},
		{on: "b", user: "U9", target: "bm.domaine.com", want: "target"},
		{on: "b", user: "U9", target: "other.example"},
	} {
		t.Run(fmt.Sprintf("%d_%s_%s_%s", i, st.on, st.user, st.target), func(t *testing.T) {
			rel, err := replicas[st.on].Acquire(st.user, st.target)
			scope, retry := limitScope(t, err)
			if scope != st.want {
				t.Fatalf("got %q (%v), want %q", scope, err, st.want)
			}
			switch scope {
			case "":
				if st.hold != "" {
					held[st.hold] = rel
				} else {
					rel()
					rel() // releasing twice is harmless
				}
			case "busy":
				if retry != 5*time.Second {
					t.Errorf("busy: retry in %s", retry)
				}
			default:
				if retry <= 0 || retry > lim.Window {
					t.Errorf("%s: retry in %s, window %s", scope, retry, lim.Window)
				}
			}
			if st.release != "" {
				held[st.release]()
			}
		})
	}
	for _, l := range replicas {
		l.r.Close()
	}
	check()
}

// TestLimiterWindow: an admission stops counting after the window, and
// RetryAfter says when.
func TestLimiterWindow(t *testing.T) {
	srv := testredis.Start(t)
	const window = time.Second
	lim := probe.Limits{PerUser: 1, PerTarget: 1, Window: window}
	a := NewLimiter(replica(t, srv.URL(), nil), lim)
	b := NewLimiter(replica(t, srv.URL(), nil), lim)
	rel, err := a.Acquire("U1", "h1")
	if err != nil {
		t.Fatal(err)
	}
	rel()
	_, err = b.Acquire("U1", "h2")
	scope, retry := limitScope(t, err)
	if scope != "user" || retry <= 0 || retry > window {
		t.Fatalf("user: %v", err)
	}
	_, err = b.Acquire("U2", "h1")
	if scope, retry := limitScope(t, err); scope != "target" || retry <= 0 || retry > window {
		t.Fatalf("target: %v", err)
	}
	start := time.Now()
	eventually(t, 5*window, "admitted after the window", func() bool {
		rel, err := b.Acquire("U1", "h2")
		if err == nil {
			rel()
		}
		return err == nil
	})
	if d := time.Since(start); d < retry-100*time.Millisecond {
		t.Errorf("admitted after %s, RetryAfter was %s", d, retry)
	}
	// The window's keys expire with it: the server forgets idle users.
	r := a.r
	for _, k := range r.c.Keys(t.Context(), "*").Val() {
		if ttl := r.c.PTTL(t.Context(), k).Val(); ttl <= 0 || ttl > DefaultSlotLease {
			t.Errorf("%s: TTL %s", k, ttl)
		}
		if strings.Contains(k, "U1") || strings.Contains(k, "h1") {
			t.Errorf("key %q holds an id", k)
		}
	}
}

// TestLimiterRefund: a check refunded on one replica no longer counts on
// the other, for the user and for the target.
func TestLimiterRefund(t *testing.T) {
	srv := testredis.Start(t)
	lim := probe.Limits{PerUser: 1, PerTarget: 1}
	a := NewLimiter(replica(t, srv.URL(), nil), lim)
	b := NewLimiter(replica(t, srv.URL(), nil), lim)
	rel, err := a.Acquire("U1", "h")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Acquire("U1", "h"); err == nil {
		t.Fatal("second check admitted")
	}
	b.Refund("U1", "h")
	rel()
	rel, err = b.Acquire("U1", "h")
	if err != nil {
		t.Fatalf("after the refund: %v", err)
	}
	rel()
	b.Refund("nobody", "nothing") // refunding nothing is harmless
}

// TestLimiterRefundUser: RefundUser gives a person back their latest
// check on every replica, and leaves the target's count as it was.
func TestLimiterRefundUser(t *testing.T) {
	srv := testredis.Start(t)
	lim := probe.Limits{PerUser: 1, PerTarget: 1}
	a := NewLimiter(replica(t, srv.URL(), nil), lim)
	b := NewLimiter(replica(t, srv.URL(), nil), lim)
	var _ handlers.UserRefunder = a
	rel, err := a.Acquire("U1", "h")
	if err != nil {
		t.Fatal(err)
	}
	rel()
	b.RefundUser("U1")
	if _, err := b.Acquire("U2", "h"); err == nil {
		t.Error("the target's count was refunded too")
	}
	rel, err = b.Acquire("U1", "h2")
	if err != nil {
		t.Fatalf("after the refund: %v", err)
	}
	rel()
	b.RefundUser("nobody") // refunding nothing is harmless
}

// TestLimiterDeadReplica: the slots of a replica that dies without
// releasing come back within the lease, and a running check keeps its
// slot past the lease while its replica lives.
func TestLimiterDeadReplica(t *testing.T) {
	srv := testredis.Start(t)
	check := noLeak(t)
	const lease = 1500 * time.Millisecond
	lim := probe.Limits{MaxConcurrent: 1, PerUser: 100, PerTarget: 100}
	ra := replica(t, srv.URL(), nil)
	a := NewLimiterWith(ra, lim, LimiterOptions{Lease: lease})
	b := NewLimiterWith(replica(t, srv.URL(), nil), lim, LimiterOptions{Lease: lease})
	if _, err := a.Acquire("U1", "h"); err != nil {
		t.Fatal(err)
	}
	for end := time.Now().Add(2 * lease); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if _, err := b.Acquire("U2", "h"); err == nil {
			t.Fatal("b took a running check's slot")
		}
	}
	ra.Close()
	var rel func()
	eventually(t, 5*lease, "slot back after a died", func() bool {
		var err error
		rel, err = b.Acquire("U2", "h")
		return err == nil
	})
	rel()
	b.r.Close()
	check()
}

// TestLimiterNames: limiters with different names share nothing; a bad
// name is refused.
func TestLimiterNames(t *testing.T) {
	srv := testredis.Start(t)
	r := replica(t, srv.URL(), nil)
	lim := probe.Limits{PerUser: 1, PerTarget: 1, MaxConcurrent: 1}
	checks := NewLimiter(r, lim)
	accounts := NewLimiterWith(r, lim, LimiterOptions{Name: "account"})
	rel1, err := checks.Acquire("U1", "h")
	if err != nil {
		t.Fatal(err)
	}
	defer rel1()
	rel2, err := accounts.Acquire("U1", "h")
	if err != nil {
		t.Fatalf("the account limiter counts the checks: %v", err)
	}
	defer rel2()
	for _, name := range []string{"Check", "a:b", strings.Repeat("a", 33), "é"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("name %q accepted", name)
				}
			}()
			NewLimiterWith(r, lim, LimiterOptions{Name: name})
		}()
	}
}

// TestLimiterDefaults: probe's defaults.
func TestLimiterDefaults(t *testing.T) {
	srv := testredis.Start(t)
	l := NewLimiter(replica(t, srv.URL(), nil), probe.Limits{})
	want := probe.Limits{PerUser: 5, PerTarget: 10, Window: time.Minute, MaxConcurrent: 4}
	if l.lim != want {
		t.Errorf("limits %+v, want %+v", l.lim, want)
	}
	var rels []func()
	for i := range 4 {
		rel, err := l.Acquire(fmt.Sprint("U", i), fmt.Sprint("h", i))
		if err != nil {
			t.Fatal(err)
		}
		rels = append(rels, rel)
	}
	if _, err := l.Acquire("U9", "h9"); err == nil {
		t.Error("fifth concurrent check admitted")
	}
	for _, rel := range rels {
		rel()
	}
	for i := range 5 {
		rel, err := l.Acquire("U", fmt.Sprint("t", i))
		if err != nil {
			t.Fatal(err)
		}
		rel()
	}
	if _, err := l.Acquire("U", "t9"); err == nil {
		t.Error("sixth check of a user admitted")
	}
}
