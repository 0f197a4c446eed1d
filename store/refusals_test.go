package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/internal/testredis"
)

// refusal is a refused check of user at t.
func refusal(user string, t time.Time) audit.Entry {
	return audit.Entry{Time: t, Platform: "web", User: user, Action: "check", Target: "bm.domaine.com",
		Channel: "", Result: "refused:rate_limited"}
}

func mustAdd(t *testing.T, s *Refusals, e audit.Entry, wantFirst bool) {
	t.Helper()
	first, err := s.Add(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if first != wantFirst {
		t.Fatalf("refusal of %s at %s: first = %v, want %v", e.User, e.Time.Format(time.TimeOnly), first, wantFirst)
	}
}

func mustTake(t *testing.T, s *Refusals, now time.Time, all bool) []audit.Entry {
	t.Helper()
	sums, err := s.Take(context.Background(), now, all)
	if err != nil {
		t.Fatal(err)
	}
	return sums
}

// TestRefusalsAcrossReplicas: a client refused by two replicas in turn
// has one refusal written at once, by the replica that saw it, and the
// others summed once, by whichever replica takes them after the window;
// its windows double while it keeps being refused, and it is forgotten
// after a quiet window.
func TestRefusalsAcrossReplicas(t *testing.T) {
	rs := testredis.Start(t)
	a, b := NewRefusals(replica(t, rs.URL(), nil)), NewRefusals(replica(t, rs.URL(), nil))
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }

	mustAdd(t, a, refusal("198.51.100.7", at(0)), true)
	mustAdd(t, b, refusal("198.51.100.7", at(time.Second)), false)
	mustAdd(t, a, refusal("198.51.100.7", at(2*time.Second)), false)
	mustAdd(t, b, refusal("198.51.100.7", at(3*time.Second)), false)
	if sums := mustTake(t, a, at(59*time.Second), false); len(sums) != 0 {
		t.Fatalf("sums taken before the window ends: %+v", sums)
	}
	sums := mustTake(t, b, at(audit.RefusalWindow), false)
	if len(sums) != 1 {
		t.Fatalf("sums after the window: %+v", sums)
	}
	s := sums[0]
	if s.Count != 3 || !s.Time.Equal(at(time.Second)) || !s.Until.Equal(at(3*time.Second)) ||
		s.User != "198.51.100.7" || s.Platform != "web" || s.Action != "check" ||
		s.Result != "refused:rate_limited" || s.Target != "bm.domaine.com" {
		t.Errorf("sum: %+v", s)
	}
	if sums := mustTake(t, a, at(audit.RefusalWindow), false); len(sums) != 0 {
		t.Errorf("a sum taken twice: %+v", sums)
	}

	// The client keeps being refused: summed, over a window of two
	// minutes now.
	mustAdd(t, a, refusal("198.51.100.7", at(90*time.Second)), false)
	mustAdd(t, b, refusal("198.51.100.7", at(100*time.Second)), false)
	if sums := mustTake(t, b, at(3*time.Minute-time.Millisecond), false); len(sums) != 0 {
		t.Fatalf("the second window ended after one minute: %+v", sums)
	}
	if sums := mustTake(t, a, at(3*time.Minute), false); len(sums) != 1 || sums[0].Count != 2 {
		t.Fatalf("second window: %+v", sums)
	}
	// A quiet window of four minutes: forgotten, and written at once
	// again.
	if sums := mustTake(t, b, at(7*time.Minute), false); len(sums) != 0 {
		t.Fatalf("a quiet window summed: %+v", sums)
	}
	mustAdd(t, b, refusal("198.51.100.7", at(8*time.Minute)), true)
}

// TestRefusalsSumDifferingTargets: a sum names the target and channel
// of its refusals only when they all had the same.
func TestRefusalsSumDifferingTargets(t *testing.T) {
	rs := testredis.Start(t)
	s := NewRefusals(replica(t, rs.URL(), nil))
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for i, target := range []string{"bm.domaine.com", "bm.domaine.com", "mail.exemple.fr", "bm.domaine.com"} {
		e := refusal("U1", t0.Add(time.Duration(i)*time.Second))
		e.Platform, e.Target, e.Channel = "slack", target, "C1"
		mustAdd(t, s, e, i == 0)
	}
	sums := mustTake(t, s, t0.Add(audit.RefusalWindow), false)
	if len(sums) != 1 || sums[0].Count != 3 || sums[0].Target != "" || sums[0].Channel != "C1" {
		t.Errorf("sums: %+v", sums)
	}
}

// TestRefusalsOfManyClientsAreBounded: past audit.MaxRefusalClients
// clients summed apart, the others' refusals are summed together, every
// refusal still counted.
func TestRefusalsOfManyClientsAreBounded(t *testing.T) {
	rs := testredis.Start(t)
	a, b := NewRefusals(replica(t, rs.URL(), nil)), NewRefusals(replica(t, rs.URL(), nil))
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	const clients = audit.MaxRefusalClients + 8
	firsts := 0
	for i := range clients {
		for j := range 3 {
			s := a
			if (i+j)%2 == 1 {
				s = b
			}
			first, err := s.Add(context.Background(), refusal("203.0.113."+strconv.Itoa(i), t0.Add(time.Duration(i)*time.Millisecond)))
			if err != nil {
				t.Fatal(err)
			}
			if first {
				firsts++
			}
		}
	}
	if firsts != audit.MaxRefusalClients {
		t.Errorf("%d refusals written at once, want %d", firsts, audit.MaxRefusalClients)
	}
	sums := mustTake(t, b, t0.Add(audit.RefusalWindow+time.Second), false)
	total, others := firsts, 0
	for _, s := range sums {
		total += s.Count
		if s.User == audit.OtherClients {
			others += s.Count
		}
	}
	if total != 3*clients || others != 3*(clients-audit.MaxRefusalClients) || len(sums) != audit.MaxRefusalClients+1 {
		t.Errorf("%d sums count %d refusals, %d of the others; want %d sums, %d and %d",
			len(sums), total, others, audit.MaxRefusalClients+1, 3*clients, 3*(clients-audit.MaxRefusalClients))
	}
	if last := sums[len(sums)-1]; last.User != audit.OtherClients {
		t.Errorf("the others' sum is not last: %+v", last)
	}
}

// TestRefusalsTakenAllGoOn: a replica stopping takes every sum so far;
// the runs go on, so the client's next refusal is summed, not written
// at once, and its window ends as it would have.
func TestRefusalsTakenAllGoOn(t *testing.T) {
	rs := testredis.Start(t)
	a, b := NewRefusals(replica(t, rs.URL(), nil)), NewRefusals(replica(t, rs.URL(), nil))
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	mustAdd(t, a, refusal("U1", t0), true)
	mustAdd(t, a, refusal("U1", t0.Add(time.Second)), false)
	mustAdd(t, b, refusal("U1", t0.Add(2*time.Second)), false)
	if sums := mustTake(t, a, t0.Add(3*time.Second), true); len(sums) != 1 || sums[0].Count != 2 {
		t.Fatalf("taken by the replica stopping: %+v", sums)
	}
	if sums := mustTake(t, b, t0.Add(3*time.Second), true); len(sums) != 0 {
		t.Fatalf("taken twice: %+v", sums)
	}
	// The window ends with nothing more: the client was refused in it,
	// so its run goes on over a longer one.
	if sums := mustTake(t, b, t0.Add(audit.RefusalWindow), false); len(sums) != 0 {
		t.Fatalf("sums: %+v", sums)
	}
	mustAdd(t, b, refusal("U1", t0.Add(90*time.Second)), false)
	if sums := mustTake(t, b, t0.Add(3*time.Minute), false); len(sums) != 1 || sums[0].Count != 1 {
		t.Fatalf("next window: %+v", sums)
	}
}

// TestRefusalCallsAreCountedOnce: a call sent again with its token (as
// go-redis does after a lost reply) is answered as the first was, not
// counted or taken twice.
func TestRefusalCallsAreCountedOnce(t *testing.T) {
	rs := testredis.Start(t)
	r := replica(t, rs.URL(), nil)
	s := NewRefusals(r)
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	mustAdd(t, s, refusal("U1", t0), true)
	e := refusal("U1", t0.Add(time.Second))
	keys := []string{s.runKey(e.Platform, e.User, e.Action, e.Result), s.runKey(e.Platform, audit.OtherClients, e.Action, e.Result),
		r.prefix + kindRefusal + ":due", r.prefix + kindRefusal + ":apart", key(r.prefix, kindRefusalCall, "same")}
	args := []any{t0.Add(time.Minute).UnixMilli(), audit.RefusalWindow.Milliseconds(), audit.MaxRefusalClients,
		e.Platform, e.User, e.Action, e.Result, e.Time.Format(time.RFC3339Nano), e.Target, e.Channel, addKeep.Milliseconds()}
	for range 2 {
		if err := addRefusal.Run(ctx, r.c, keys, args...).Err(); err != nil {
			t.Fatal(err)
		}
	}
	take := func() []string {
		got, err := takeRefusals.Run(ctx, r.c, []string{r.prefix + kindRefusal + ":due", r.prefix + kindRefusal + ":apart",
			key(r.prefix, kindRefusalCall, "take")}, t0.Add(time.Minute).UnixMilli(), "0",
			audit.MaxRefusalWindow.Milliseconds(), takeKeep.Milliseconds(), maxTaken).StringSlice()
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	first, again := take(), take()
	if len(first) != 9 || first[0] != "1" || fmt.Sprint(first) != fmt.Sprint(again) {
		t.Errorf("taken %q, then again %q", first, again)
	}
	if sums := mustTake(t, s, t0.Add(time.Minute), false); len(sums) != 0 {
		t.Errorf("taken once more by another call: %+v", sums)
	}
}

// TestRefusalsWithTheStoreDown: with the server down, Add and Take fail
// at once (the trail then sums alone), counted as fallbacks; sums left
// on the server are taken when it answers again.
func TestRefusalsWithTheStoreDown(t *testing.T) {
	rs := testredis.Start(t)
	r := replica(t, rs.URL(), nil)
	s := NewRefusals(r)
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	mustAdd(t, s, refusal("U1", t0), true)
	mustAdd(t, s, refusal("U1", t0.Add(time.Second)), false)
	rs.Stop()
	eventually(t, 10*time.Second, "the store to be seen down", func() bool { return !r.Healthy() })
	before := r.Stats().Fallbacks
	start := time.Now()
	if _, err := s.Add(context.Background(), refusal("U1", t0.Add(2*time.Second))); err == nil {
		t.Error("Add succeeded with the store down")
	}
	if _, err := s.Take(context.Background(), t0.Add(time.Minute), false); err == nil {
		t.Error("Take succeeded with the store down")
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("calls with the store known down took %s", d)
	}
	if got := r.Stats().Fallbacks - before; got != 1 {
		t.Errorf("fallbacks counted: %d, want 1", got)
	}
	// The server keeps what it had (with its data on disk, as a
	// deployment's Valkey does; testredis restarts it empty, so this
	// checks only that the calls work again).
	rs.Restart(t)
	eventually(t, 10*time.Second, "the store to be seen up", func() bool { return r.Healthy() })
	mustAdd(t, s, refusal("U2", t0.Add(3*time.Second)), true)
}

// TestTrailsShareRefusals: two replicas' trails sharing Refusals: a
// client refused by both in turn has one record at once in either file
// and every other refusal in sums, written once — here by the replicas
// stopping, one after the other.
func TestTrailsShareRefusals(t *testing.T) {
	rs := testredis.Start(t)
	dir := t.TempDir()
	open := func(name string) *audit.Log {
		l, err := audit.Open(filepath.Join(dir, name), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		l.SetTally(NewRefusals(replica(t, rs.URL(), nil)))
		return l
	}
	a, b := open("a.jsonl"), open("b.jsonl")
	const n = 10
	for i := range n {
		l := a
		if i%2 == 1 {
			l = b
		}
		if err := l.Record(audit.Entry{Platform: "slack", User: "U1", Action: "check", Target: "bm.domaine.com",
			Result: "refused:not_admin"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Record(audit.Entry{Platform: "slack", User: "U2", Action: "check", Target: "bm.domaine.com", Result: "ok"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Record(audit.Entry{Platform: "slack", User: "U1", Action: "check", Result: "refused:not_admin"}); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	var at0, total, real int
	for _, name := range []string{"a.jsonl", "b.jsonl"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		_, err = audit.Read(f, audit.Filter{}, func(e audit.Entry) error {
			switch {
			case !audit.IsRefusal(e) && e.Count == 0:
				real++
			case e.Count == 0:
				at0++
				total++
			default:
				total += e.Count
			}
			return nil
		})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	if at0 != 1 || total != n+1 || real != 1 {
		t.Errorf("%d refusals written at once (want 1), %d refusals in all (want %d), %d other records (want 1)",
			at0, total, n+1, real)
	}
}

// FuzzDecodeSums: whatever the server replies to a Take, decodeSums
// returns the sums it could read — each with a positive count — and
// counts the others, never a panic.
func FuzzDecodeSums(f *testing.F) {
	f.Add("3\x002026-12-01T10:00:01Z\x002026-12-01T10:00:03Z\x00bm.domaine.com\x00\x00web\x00198.51.100.7\x00check\x00refused:rate_limited")
	f.Add("0\x00x\x00y\x00\x00\x00\x00\x00\x00")
	f.Add("")
	f.Fuzz(func(t *testing.T, reply string) {
		var got []string
		if reply != "" {
			got = strings.Split(reply, "\x00")
		}
		sums, bad := decodeSums(got)
		if len(sums)+bad < len(got)/9 || len(sums) > len(got)/9 {
			t.Fatalf("%d sums and %d bad from %d strings", len(sums), bad, len(got))
		}
		for _, s := range sums {
			if s.Count <= 0 {
				t.Fatalf("sum %+v", s)
			}
		}
	})
}
