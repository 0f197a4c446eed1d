package app

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/internal/testbot"
	"github.com/mailhelp/mailhelp/probe"
)

// countingObserver counts answers and the audit trail's failed writes,
// as the web side's metrics do.
type countingObserver struct {
	mu     sync.Mutex
	failed int
}

func (o *countingObserver) Answered(string, bot.Intent, *bot.Reply, time.Duration) {}

func (o *countingObserver) AuditWriteFailed() {
	o.mu.Lock()
	o.failed++
	o.mu.Unlock()
}

type okProber struct{}

func (okProber) Check(ctx context.Context, t probe.Target, _ *probe.Credentials) (*probe.Report, error) {
	return &probe.Report{Host: t.Host, Verdict: probe.StatusOK}, nil
}

// TestAuditFailuresAreLoggedAndCounted: checks whose audit records
// cannot be written are still answered; the failures are logged once
// for the streak and each counted by the observer (the metrics).
func TestAuditFailuresAreLoggedAndCounted(t *testing.T) {
	trail := filepath.Join(t.TempDir(), "missing", "audit.jsonl")
	var logs testbot.LogBuffer
	obs := &countingObserver{}
	a, err := New(mustConfig(t, "domains:\n  - domain: domaine.com\n    host: bm.domaine.com\ncheck:\n  enabled: true\naudit:\n  file: "+trail+"\n"),
		Options{Logger: slog.New(slog.NewTextHandler(&logs, nil)), Observer: obs, Prober: okProber{}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	for i := range 3 {
		r := a.Answerer().Serve(context.Background(), &bot.Request{Text: "check alice@domaine.com", Platform: "slack", UserID: "U1"})
		if r.Check == nil {
			t.Fatalf("check %d not answered: %s %q", i, r.Code, r.Title)
		}
	}
	if n := strings.Count(logs.String(), "audit trail"); n != 1 {
		t.Errorf("3 failed writes logged %d times:\n%s", n, logs.String())
	}
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if obs.failed != 3 {
		t.Errorf("%d failed writes counted, want 3", obs.failed)
	}
}
