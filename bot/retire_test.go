package bot

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
)

// retireRouter is a test router whose handler answers with name, after
// waiting for gate when it is not nil.
func retireRouter(t *testing.T, name string, started chan<- struct{}, gate <-chan struct{}) *Router {
	t.Helper()
	r, _ := newTestRouter(t, RouterOptions{})
	r.Handle(IntentConfigure, HandlerFunc(func(ctx context.Context, req *Request) (*Reply, error) {
		if gate != nil {
			started <- struct{}{}
			<-gate
		}
		return &Reply{Title: name}, nil
	}))
	return r
}

// TestRetireIdleAtOnce: a router with nothing running is released when
// it is retired, once.
func TestRetireIdleAtOnce(t *testing.T) {
	old, next := retireRouter(t, "old", nil, nil), retireRouter(t, "next", nil, nil)
	var idle atomic.Int32
	old.Retire(next, func() { idle.Add(1) })
	old.Retire(next, func() { idle.Add(1) })
	if n := idle.Load(); n != 1 {
		t.Fatalf("idle called %d times, want 1", n)
	}
	// A plan made before the reload and answered after it is answered by
	// the router that replaced its own.
	if got := old.Serve(context.Background(), &Request{Text: "bb10"}).Title; got != "next" {
		t.Errorf("answered by %q, want next", got)
	}
	if n := idle.Load(); n != 1 {
		t.Errorf("idle called %d times, want 1", n)
	}
}

// TestRetireWaitsForAnswers: answers running on a retired router finish
// on it, and it is released when the last of them returns, not before.
func TestRetireWaitsForAnswers(t *testing.T) {
	started, gate := make(chan struct{}), make(chan struct{})
	old, next := retireRouter(t, "old", started, gate), retireRouter(t, "next", nil, nil)
	planned := old.Plan(context.Background(), &Request{Text: "bb10 answered after the reload"})
	var wg sync.WaitGroup
	replies := make([]string, 2)
	for i := range replies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			replies[i] = old.Serve(context.Background(), &Request{Text: "bb10"}).Title
		}()
		<-started
	}
	var idle atomic.Int32
	old.Retire(next, func() { idle.Add(1) })
	if idle.Load() != 0 {
		t.Fatal("released while two answers run on it")
	}
	// A plan answered while the retired router is still open runs on it.
	plannedReply := make(chan string, 1)
	go func() { plannedReply <- planned.Answer(context.Background()).Title }()
	<-started
	gate <- struct{}{}
	if idle.Load() != 0 {
		t.Fatal("released while answers run on it")
	}
	close(gate)
	wg.Wait()
	if got := <-plannedReply; got != "old" {
		t.Errorf("a plan answered while its router is open: %q, want old", got)
	}
	if n := idle.Load(); n != 1 {
		t.Fatalf("idle called %d times after the last answer, want 1", n)
	}
	for _, r := range replies {
		if r != "old" {
			t.Errorf("an answer in flight finished on %q, want old", r)
		}
	}
	if got := old.Serve(context.Background(), &Request{Text: "bb10"}).Title; got != "next" {
		t.Errorf("after release, answered by %q, want next", got)
	}
}

// TestRetireChain: a plan outliving two reloads is answered by the
// newest router; a router retired with no successor still answers.
func TestRetireChain(t *testing.T) {
	r1, r2, r3 := retireRouter(t, "1", nil, nil), retireRouter(t, "2", nil, nil), retireRouter(t, "3", nil, nil)
	p := r1.Plan(context.Background(), &Request{Text: "bb10"})
	r1.Retire(r2, nil)
	r2.Retire(r3, nil)
	if got := p.Answer(context.Background()).Title; got != "3" {
		t.Errorf("answered by %q, want 3", got)
	}
	var idle atomic.Int32
	r3.Retire(nil, func() { idle.Add(1) })
	if got := r3.Serve(context.Background(), &Request{Text: "bb10"}).Title; got != "3" || idle.Load() != 1 {
		t.Errorf("closed without successor: %q, idle %d", got, idle.Load())
	}
}
