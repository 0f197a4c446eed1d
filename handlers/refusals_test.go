package handlers

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/probe"
)

// policyProber refuses the hosts in refused as the dial policy would,
// and reports good on the others, counting them.
type policyProber struct {
	mu      sync.Mutex
	refused map[string]string // host → code
	dialed  int
}

func (p *policyProber) Check(ctx context.Context, t probe.Target, creds *probe.Credentials) (*probe.Report, error) {
	if code, ok := p.refused[t.Host]; ok {
		return nil, &probe.PolicyError{Host: t.Host, Code: code, Reason: "test"}
	}
	p.mu.Lock()
	p.dialed++
	p.mu.Unlock()
	return goodReport, nil
}

func newAuditedCheckRouter(t *testing.T, p Prober, l Limiter, trail Recorder) *bot.Router {
	t.Helper()
	cfg, cat := testSetup(t)
	r := bot.NewRouter(bot.RouterOptions{Translator: cat, Parser: cat.Parser(), DefaultLang: "en"})
	Register(r, Deps{Directory: cfg.Directory, Prober: p, Limiter: l, Audit: trail, Translator: cat})
	return r
}

// trailLines reads the records of a trail and its rotated files as
// JSON objects, oldest first.
func trailLines(t *testing.T, path string, keep int) []map[string]any {
	t.Helper()
	var out []map[string]any
	for i := keep; i >= 0; i-- {
		p := path
		if i > 0 {
			p = fmt.Sprintf("%s.%d", path, i)
		}
		f, err := os.Open(p)
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			out = append(out, m)
		}
		f.Close()
	}
	return out
}

// TestRefusedFloodKeepsTheTrail: one client floods the check with
// requests the rate limit refuses; on a small trail that keeps one old
// file, every real record (before and after the flood) stays, and the
// flood costs at most a few records, which count every refusal.
func TestRefusedFloodKeepsTheTrail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	trail, err := audit.Open(path, 2048, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := newAuditedCheckRouter(t, &fakeProber{rep: goodReport}, probe.NewLimiter(probe.Limits{PerUser: 1, PerTarget: 100}, nil), trail)
	ask := func(platform, user string) *bot.Reply {
		return r.Serve(context.Background(), &bot.Request{Text: "check alice@domaine.com", Platform: platform, UserID: user})
	}
	for i := range 3 {
		if rep := ask("slack", fmt.Sprintf("U%d", i)); rep.Check == nil {
			t.Fatalf("real check %d: %+v", i, rep)
		}
	}
	const flood = 5000
	ask("web", "198.51.100.7") // its one check in the window
	for range flood {
		if rep := ask("web", "198.51.100.7"); rep.Code != bot.CodeRateLimited {
			t.Fatalf("not refused: %+v", rep)
		}
	}
	for i := 3; i < 6; i++ {
		ask("slack", fmt.Sprintf("U%d", i))
	}
	if err := trail.Close(); err != nil {
		t.Fatal(err)
	}
	var users []string
	refusalRecords, refusals := 0, 0
	for _, m := range trailLines(t, path, 1) {
		if !strings.HasPrefix(m["result"].(string), "refused:") {
			users = append(users, m["user"].(string))
			continue
		}
		refusalRecords++
		if n, ok := m["count"].(float64); ok {
			refusals += int(n)
		} else {
			refusals++
		}
	}
	if want := "U0 U1 U2 198.51.100.7 U3 U4 U5"; strings.Join(users, " ") != want {
		t.Errorf("real records left: %v, want %s", users, want)
	}
	if refusalRecords > 3 || refusals != flood {
		t.Errorf("the flood of %d refusals cost %d records counting %d", flood, refusalRecords, refusals)
	}
}

// TestPolicyRefusalsAreNotCharged: checks the dial policy refuses dial
// nothing and do not count against the user's quota.
func TestPolicyRefusalsAreNotCharged(t *testing.T) {
	p := &policyProber{refused: map[string]string{"other.example": bot.CodeNotAllowed, "10.0.0.1": bot.CodeBlockedAddress}}
	r := newAuditedCheckRouter(t, p, probe.NewLimiter(probe.Limits{PerUser: 1, PerTarget: 1}, nil), nil)
	ask := func(text string) *bot.Reply {
		return r.Serve(context.Background(), &bot.Request{Text: text, Platform: "slack", UserID: "U1"})
	}
	for range 3 {
		if rep := ask("check other.example"); rep.Code != bot.CodeNotAllowed {
			t.Fatalf("other.example: %+v", rep)
		}
		if rep := ask("check 10.0.0.1"); rep.Code != bot.CodeBlockedAddress {
			t.Fatalf("10.0.0.1: %+v", rep)
		}
	}
	if rep := ask("check alice@domaine.com"); rep.Check == nil {
		t.Fatalf("after refusals by the policy, the user's check was refused: %s %q", rep.Code, rep.Title)
	}
	if rep := ask("check alice@domaine.com"); rep.Code != bot.CodeRateLimited {
		t.Errorf("the quota is not enforced any more: %+v", rep.Code)
	}
	if p.dialed != 1 {
		t.Errorf("%d checks ran", p.dialed)
	}
}
