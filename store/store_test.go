package store

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/internal/testredis"
	"github.com/mailhelp/mailhelp/probe"
)

// logBuffer is a slog destination tests read.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// replica opens a Redis as one replica of mailhelp would, closed when
// the test ends.
func replica(t testing.TB, url string, logs *logBuffer) *Redis {
	t.Helper()
	opts := Options{Prefix: "test:"}
	if logs != nil {
		opts.Logger = slog.New(slog.NewTextHandler(logs, nil))
	} else {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	r, err := Open(context.Background(), url, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// eventually polls cond every 20 ms until it holds or within passes.
func eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// noLeak checks that the goroutines started after it was called have
// ended when the test ends (before the Cleanups registered earlier).
func noLeak(t *testing.T) func() {
	t.Helper()
	before := runtime.NumGoroutine()
	return func() {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func TestOpenBadURL(t *testing.T) {
	for _, tc := range []struct{ name, url string }{
		{"empty", ""},
		{"scheme", "http://127.0.0.1:6379"},
		{"unparseable with password", "redis://user:hunter2@[::1"},
		{"database", "redis://127.0.0.1:1/notanumber"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Open(context.Background(), tc.url, Options{})
			if err == nil {
				r.Close()
				t.Fatal("no error")
			}
			if errors.Unwrap(err) == nil {
				t.Errorf("%v: not wrapped", err)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

// TestOpenUnreachable: the bot starts without Redis, and the URL's
// password stays out of the logs.
func TestOpenUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	var logs logBuffer
	start := time.Now()
	r := replica(t, "redis://:hunter2@"+addr+"/0", &logs)
	if d := time.Since(start); d > time.Second {
		t.Errorf("Open took %s", d)
	}
	if r.Healthy() || r.Stats().Up {
		t.Error("healthy without a server")
	}
	if s := logs.String(); !strings.Contains(s, "Redis is down") || strings.Contains(s, "hunter2") {
		t.Errorf("logs:\n%s", s)
	}
	if err := r.Close(); err != nil {
		t.Error(err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestOutage: while the server is down, claims are local and checks
// refused, quickly; when it is back, everything is shared again, and
// each change of state was logged once.
func TestOutage(t *testing.T) {
	srv := testredis.Start(t)
	var logs logBuffer
	a := replica(t, srv.URL(), &logs)
	b := replica(t, srv.URL(), nil)
	da := NewDeliveries(a, bot.NewLocalDeliveries(time.Minute, 100))
	db := NewDeliveries(b, bot.NewLocalDeliveries(time.Minute, 100))
	la := NewLimiter(a, probe.Limits{})
	ctx := context.Background()
	if !a.Healthy() {
		t.Fatal("not healthy at start")
	}

	srv.Stop()
	for i, id := range []string{"slack:event:1", "slack:event:2", "slack:event:3"} {
		start := time.Now()
		done, ok := claimed(da.Claim(ctx, id))
		if d := time.Since(start); d > 700*time.Millisecond {
			t.Errorf("claim %d took %s with the server down", i, d)
		}
		if !ok {
			t.Fatalf("claim %d refused with the server down", i)
		}
		done(true)
		if _, ok := claimed(da.Claim(ctx, id)); ok {
			t.Errorf("claim %d: the local fallback took a repeat", i)
		}
		start = time.Now()
		_, err := la.Acquire("U1", "bm.domaine.com")
		var le *probe.LimitError
		if !errors.As(err, &le) || le.Scope != "busy" || le.RetryAfter != RetryWhenDown {
			t.Errorf("acquire %d with the server down: %v", i, err)
		}
		if d := time.Since(start); d > 700*time.Millisecond {
			t.Errorf("acquire %d took %s with the server down", i, d)
		}
	}
	if a.Healthy() {
		t.Error("healthy with the server down")
	}
	st := a.Stats()
	if st.Up || st.CallsFailed == 0 || st.Fallbacks < 3 || st.Refused < 3 {
		t.Errorf("stats with the server down: %+v", st)
	}
	if err := a.Ping(ctx); err == nil {
		t.Error("Ping succeeds with the server down")
	}

	srv.Restart(t)
	eventually(t, 10*time.Second, "healthy after the restart", a.Healthy)
	eventually(t, 10*time.Second, "b healthy after the restart", b.Healthy)
	done, ok := claimed(da.Claim(ctx, "discord:int:9"))
	if !ok {
		t.Fatal("claim refused after the restart")
	}
	if _, ok := claimed(db.Claim(ctx, "discord:int:9")); ok {
		t.Error("both replicas claimed after the restart")
	}
	done(true)
	rel, err := la.Acquire("U1", "bm.domaine.com")
	if err != nil {
		t.Fatalf("acquire after the restart: %v", err)
	}
	rel()

	s := logs.String()
	if n := strings.Count(s, "Redis is down"); n != 1 {
		t.Errorf("%d logs of the outage:\n%s", n, s)
	}
	if n := strings.Count(s, "Redis answers again"); n != 1 {
		t.Errorf("%d logs of the recovery:\n%s", n, s)
	}
	if strings.Contains(s, "slack:event") || strings.Contains(s, "U1") || strings.Contains(s, "bm.domaine.com") {
		t.Errorf("the logs show ids:\n%s", s)
	}
}

// tarpit accepts connections and never answers.
func tarpit(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "redis://" + ln.Addr().String() + "/0"
}

// TestTarpit: a server that accepts and never answers costs a call its
// timeout, never more.
func TestTarpit(t *testing.T) {
	url := tarpit(t)
	ctx := context.Background()
	const timeout = 200 * time.Millisecond
	start := time.Now()
	r, err := Open(ctx, url, Options{Timeout: timeout, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if d := time.Since(start); d > 4*timeout {
		t.Errorf("Open took %s", d)
	}
	if r.Healthy() {
		t.Error("healthy")
	}
	for i := range 3 {
		start := time.Now()
		if err := r.Ping(ctx); err == nil {
			t.Fatal("Ping succeeded")
		}
		if d := time.Since(start); d > 4*timeout {
			t.Errorf("Ping %d took %s", i, d)
		}
	}
	start = time.Now()
	d := NewDeliveries(r, bot.NewLocalDeliveries(time.Minute, 100))
	if done, ok := claimed(d.Claim(ctx, "slack:event:1")); !ok {
		t.Error("claim refused")
	} else {
		done(true)
	}
	if _, err := NewLimiter(r, probe.Limits{}).Acquire("U1", "h"); err == nil {
		t.Error("check admitted")
	}
	if d := time.Since(start); d > 4*timeout {
		t.Errorf("claim and acquire took %s", d)
	}
	// A call that finds the server up (as after a recovery) and then
	// hangs is also bounded; one slow call is not an outage, slowCalls
	// in a row are. (A claim that timed out is still ended on the
	// server, a second call: its reply may have been the one lost.)
	r.up.Store(true)
	r.slow.Store(0)
	claims := 0
	for r.Healthy() && claims < slowCalls {
		start = time.Now()
		if done, ok := claimed(d.Claim(ctx, "slack:event:2."+strconv.Itoa(claims))); !ok {
			t.Error("claim refused")
		} else {
			done(true)
		}
		claims++
		if d := time.Since(start); d > 8*timeout {
			t.Errorf("claim and done on a hanging server took %s", d)
		}
		if claims == 1 && !r.Healthy() {
			t.Error("down after one claim timed out")
		}
	}
	if r.Healthy() || r.slow.Load() < slowCalls {
		t.Errorf("after %d claims timed out: healthy %v, %d slow calls in a row", claims, r.Healthy(), r.slow.Load())
	}
	// The caller's own deadline is kept too.
	r.up.Store(true)
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	start = time.Now()
	_ = r.Ping(cctx)
	if d := time.Since(start); d > timeout {
		t.Errorf("Ping with a 20 ms deadline took %s", d)
	}
}

// TestClosed: a closed Redis neither panics nor blocks: claims are
// local, checks refused, and no goroutine is left.
func TestClosed(t *testing.T) {
	srv := testredis.Start(t)
	check := noLeak(t)
	r := replica(t, srv.URL(), nil)
	d := NewDeliveries(r, local())
	l := NewLimiter(r, probe.Limits{})
	done, ok := claimed(d.Claim(t.Context(), "held"))
	if !ok {
		t.Fatal("not claimed")
	}
	rel, err := l.Acquire("U1", "h")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	done(true) // after Close: nothing to do, no panic
	rel()
	if done, ok := claimed(d.Claim(t.Context(), "new")); !ok {
		t.Error("claim refused after Close")
	} else {
		done(true)
	}
	if _, err := l.Acquire("U1", "h"); err == nil {
		t.Error("check admitted after Close")
	}
	if err := r.Ping(t.Context()); err == nil {
		t.Error("Ping after Close")
	}
	check()
}

// TestWrongPassword: a server that refuses the password (or wants one)
// is down for the store, whatever PING says of the connection: nothing
// would work.
func TestWrongPassword(t *testing.T) {
	srv := testredis.Start(t)
	admin := replica(t, srv.URL(), nil)
	if err := admin.c.ConfigSet(context.Background(), "requirepass", "s3cret").Err(); err != nil {
		t.Fatal(err)
	}
	for _, url := range []string{srv.URL(), strings.Replace(srv.URL(), "redis://", "redis://:wrong@", 1)} {
		r := replica(t, url, nil)
		if r.Healthy() {
			t.Errorf("healthy without the right password (%v)", r.Ping(context.Background()))
		}
	}
	ok := replica(t, strings.Replace(srv.URL(), "redis://", "redis://:s3cret@", 1), nil)
	if !ok.Healthy() {
		t.Errorf("not healthy with the password: %v", ok.Ping(context.Background()))
	}
}
