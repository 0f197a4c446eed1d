package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/internal/testbot"
	"github.com/mailhelp/mailhelp/probe"
)

// openHandles counts this process's file descriptors open on path.
func openHandles(t *testing.T, path string) int {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("counts descriptors through /proc/self/fd")
	}
	want, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if target, err := os.Readlink(filepath.Join("/proc/self/fd", e.Name())); err == nil && target == want {
			n++
		}
	}
	return n
}

// gatedProber holds each check until the test opens its gate.
type gatedProber struct {
	started chan struct{}
	gate    chan struct{}
}

func (p *gatedProber) Check(ctx context.Context, t probe.Target, c *probe.Credentials) (*probe.Report, error) {
	p.started <- struct{}{}
	select {
	case <-p.gate:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return testbot.SlowProber{}.Check(ctx, t, c)
}

func checkConfig(trail, host string) string {
	return "audit:\n  file: " + trail + "\ndomains:\n  - domain: domaine.com\n    host: " + host +
		"\ncheck:\n  enabled: true\n  per_user: 1000\n  per_target: 1000\n"
}

// TestReloadClosesWhatItReplaced: 25 reloads with a live check each leave
// one handle on the audit file, not one per configuration (the old trail
// used to be closed a minute later, whatever was in flight).
func TestReloadClosesWhatItReplaced(t *testing.T) {
	trail := filepath.Join(t.TempDir(), "audit.jsonl")
	a, err := New(mustConfig(t, checkConfig(trail, "bm.domaine.com")), Options{Logger: quiet(), Prober: testbot.SlowProber{}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	for i := range 25 {
		host := "bm.domaine.com"
		if i%2 == 0 {
			host = "mail.domaine.com"
		}
		if _, err := a.Reload(mustConfig(t, checkConfig(trail, host)), "test"); err != nil {
			t.Fatal(err)
		}
		r := a.Answerer().Serve(context.Background(), &bot.Request{Text: "check alice@domaine.com", Platform: "web", UserID: "u"})
		if r.Check == nil {
			t.Fatalf("reload %d: no check: %+v", i+1, r)
		}
		if n := openHandles(t, trail); n > 1 {
			t.Fatalf("after reload %d and a check: %d handles on the audit file, want at most 1", i+1, n)
		}
	}
	a.Close()
	if n := openHandles(t, trail); n != 0 {
		t.Errorf("after Close: %d handles on the audit file", n)
	}
	data, _ := os.ReadFile(trail)
	if got := strings.Count(string(data), `"action":"check"`); got != 25 {
		t.Errorf("%d checks in the trail, want 25:\n%s", got, data)
	}
}

// TestReloadWaitsForChecksInFlight: a check that started on the old
// configuration finishes on it and is recorded in its trail; the old
// configuration is closed as soon as that check is answered, not later.
func TestReloadWaitsForChecksInFlight(t *testing.T) {
	trail := filepath.Join(t.TempDir(), "audit.jsonl")
	pr := &gatedProber{started: make(chan struct{}), gate: make(chan struct{})}
	a, err := New(mustConfig(t, checkConfig(trail, "bm.domaine.com")), Options{Logger: quiet(), Prober: pr})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	// Open the first configuration's trail: a reload is recorded in it.
	a.Refuse("test", errors.New("a file that could not be read"))
	var wg sync.WaitGroup
	var reply *bot.Reply
	wg.Add(1)
	go func() {
		defer wg.Done()
		reply = a.Answerer().Serve(context.Background(), &bot.Request{Text: "check alice@domaine.com", Platform: "web", UserID: "u"})
	}()
	<-pr.started
	if _, err := a.Reload(mustConfig(t, checkConfig(trail, "mail.domaine.com")), "test"); err != nil {
		t.Fatal(err)
	}
	if n := openHandles(t, trail); n != 2 {
		t.Fatalf("during the check: %d handles, want 2 (the old trail stays open for it)", n)
	}
	close(pr.gate)
	wg.Wait()
	if reply.Check == nil || reply.Check.Host != "bm.domaine.com" {
		t.Fatalf("the check did not finish on the old configuration: %+v", reply)
	}
	if n := openHandles(t, trail); n != 1 {
		t.Errorf("after the check: %d handles, want 1", n)
	}
	data, _ := os.ReadFile(trail)
	if !strings.Contains(string(data), `"action":"check","target":"bm.domaine.com","result":"ok"`) {
		t.Errorf("the check is not in the trail:\n%s", data)
	}
}

// TestReloadRefusesAnotherAuditFile: the audit file's path only changes
// with a restart; a configuration naming another one is refused and
// nothing is created there.
func TestReloadRefusesAnotherAuditFile(t *testing.T) {
	dir := t.TempDir()
	trail := filepath.Join(dir, "audit.jsonl")
	a, err := New(mustConfig(t, checkConfig(trail, "bm.domaine.com")), Options{Logger: quiet(), Prober: testbot.SlowProber{}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	for _, other := range []string{filepath.Join(dir, "aud"), "off", filepath.Join(dir, "sub", "..", "audit.jsonl.1")} {
		_, err := a.Reload(mustConfig(t, checkConfig(other, "mail.domaine.com")), "test")
		var ce *config.Error
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "audit.file") || !strings.Contains(err.Error(), "restart") {
			t.Errorf("audit file %s: %v, want a refusal naming audit.file and a restart", other, err)
		}
		if a.Config().Audit.File != trail {
			t.Fatalf("the trail moved to %s", a.Config().Audit.File)
		}
	}
	// The same file, spelt differently, is the same file.
	if _, err := a.Reload(mustConfig(t, checkConfig(filepath.Join(dir, ".", "audit.jsonl"), "mail.domaine.com")), "test"); err != nil {
		t.Errorf("the same file: %v", err)
	}
	a.Answerer().Serve(context.Background(), &bot.Request{Text: "check alice@domaine.com", Platform: "web", UserID: "u"})
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "audit.jsonl" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files in the audit directory: %v", names)
	}
}

// TestReloadRefusesAnotherStore: the shared store only changes with a
// restart, and the refusal does not quote its URL (it may hold a
// password, from the environment).
func TestReloadRefusesAnotherStore(t *testing.T) {
	cfg := mustConfig(t, checkConfig("off", "bm.domaine.com"))
	a, err := New(cfg, Options{Logger: quiet(), Prober: testbot.SlowProber{}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	next := mustConfig(t, checkConfig("off", "mail.domaine.com"))
	next.Store.URL = "redis://:s3cret@redis.example:6379/0"
	_, err = a.Reload(next, "test")
	var ce *config.Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "store") || !strings.Contains(err.Error(), "restart") ||
		strings.Contains(err.Error(), "s3cret") {
		t.Errorf("another store: %v, want a refusal naming the store and a restart, without the URL", err)
	}
	if a.Config().Store.URL != "" {
		t.Errorf("the store changed to %q", a.Config().Store.URL)
	}
	if _, err := a.Reload(mustConfig(t, checkConfig("off", "mail.domaine.com")), "test"); err != nil {
		t.Errorf("the same store: %v", err)
	}
}
