package app

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/internal/testbot"
	"github.com/mailhelp/mailhelp/internal/testredis"
)

// TestSharedCheckLimits: two replicas on one store grant one quota of
// live checks per person between them, not one each; without
// Options.Shared (one-shot commands) the store is not opened.
func TestSharedCheckLimits(t *testing.T) {
	rs := testredis.Start(t)
	yaml := "audit:\n  file: " + filepath.Join(t.TempDir(), "audit.jsonl") +
		"\ndomains:\n  - domain: domaine.com\n    host: bm.domaine.com\ncheck:\n  enabled: true\n  per_user: 2\n  per_target: 1000\n" +
		"store:\n  url: " + rs.URL() + "\n"
	var replicas []*App
	for range 2 {
		a, err := New(mustConfig(t, yaml), Options{Logger: quiet(), Prober: testbot.SlowProber{}, Shared: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(a.Close)
		if _, ok := a.StoreStats(); !ok || a.StoreDown() != nil {
			t.Fatalf("the replica has no store, or it is not ready: %v", a.StoreDown())
		}
		replicas = append(replicas, a)
	}
	check := func(a *App, user string) *bot.Reply {
		return a.Answerer().Serve(context.Background(), &bot.Request{Text: "check alice@domaine.com", Platform: "slack", UserID: user})
	}
	for i, a := range replicas {
		if r := check(a, "U1"); r.Code != "" || r.Check == nil {
			t.Fatalf("check %d on replica %d refused: %s %s", i+1, i, r.Code, r.Title)
		}
	}
	for i, a := range replicas {
		if r := check(a, "U1"); r.Code != bot.CodeRateLimited {
			t.Errorf("a third check on replica %d: code %q, want %q", i, r.Code, bot.CodeRateLimited)
		}
	}
	if r := check(replicas[1], "U2"); r.Code != "" {
		t.Errorf("another person's check refused: %s", r.Code)
	}

	one, err := New(mustConfig(t, yaml), Options{Logger: quiet(), Prober: testbot.SlowProber{}})
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	if _, ok := one.StoreStats(); ok {
		t.Error("a one-shot command's app opened the store")
	}
}

// TestResumedCheckIsNotChargedTwice: a check taken over from a replica
// that died (Request.Resumed) replaces that replica's, which was
// counted: the person's quota is not charged twice. A request that is
// not resumed is charged as ever, and the target's count is never
// refunded.
func TestResumedCheckIsNotChargedTwice(t *testing.T) {
	yaml := "audit:\n  file: \"off\"\ndomains:\n  - domain: domaine.com\n    host: bm.domaine.com\ncheck:\n  enabled: true\n  per_user: 1\n  per_target: 1000\n"
	a, err := New(mustConfig(t, yaml), Options{Logger: quiet(), Prober: testbot.SlowProber{}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	check := func(resumed bool) *bot.Reply {
		return a.Answerer().Serve(context.Background(), &bot.Request{Platform: "slack", UserID: "U1", Resumed: resumed,
			Form: &bot.Form{Intent: bot.IntentCheck, Target: "alice@domaine.com"}})
	}
	if r := check(false); r.Code != "" {
		t.Fatalf("first check refused: %s", r.Code)
	}
	if r := check(true); r.Code != "" {
		t.Errorf("the resumed check refused: %s", r.Code)
	}
	if r := check(false); r.Code != bot.CodeRateLimited {
		t.Errorf("a further check: code %q, want %q", r.Code, bot.CodeRateLimited)
	}

	// The target's count is not refunded: its limit protects the
	// server checked, whoever asks.
	yaml = "audit:\n  file: \"off\"\ndomains:\n  - domain: domaine.com\n    host: bm.domaine.com\ncheck:\n  enabled: true\n  per_user: 1000\n  per_target: 1\n"
	b, err := New(mustConfig(t, yaml), Options{Logger: quiet(), Prober: testbot.SlowProber{}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	checkAs := func(user string, resumed bool) *bot.Reply {
		return b.Answerer().Serve(context.Background(), &bot.Request{Platform: "slack", UserID: user, Resumed: resumed,
			Form: &bot.Form{Intent: bot.IntentCheck, Target: "alice@domaine.com"}})
	}
	if r := checkAs("U2", false); r.Code != "" {
		t.Fatalf("U2's check refused: %s", r.Code)
	}
	if r := checkAs("U1", true); r.Code != bot.CodeRateLimited {
		t.Errorf("a resumed check past the target's limit: code %q, want %q", r.Code, bot.CodeRateLimited)
	}
}
