package handlers

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/render"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/internal/golden"
	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/locales"
	"github.com/mailhelp/mailhelp/probe"
)

// fakeDiscovery returns a fixed report and remembers what it was asked.
type fakeDiscovery struct {
	mu      sync.Mutex
	domains []string
	address []string
	rep     discovery.Report
}

func (f *fakeDiscovery) Check(_ context.Context, d knowledge.Domain, address string) (*discovery.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.domains = append(f.domains, d.Name)
	f.address = append(f.address, address)
	rep := f.rep
	rep.Domain = d.Name
	return &rep, nil
}

// failingReport has a problem of every code, in every kind of source.
func failingReport() discovery.Report {
	started := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	mk := func(code discovery.Code, field, want, got, against string) discovery.Problem {
		return discovery.Problem{Code: code, Field: field, Want: want, Got: got, Against: against}
	}
	return discovery.Report{Started: started, Verdict: discovery.VerdictFail, Live: "ok", Sources: []discovery.Source{
		{Kind: discovery.KindSRV, Where: "_imaps._tcp.domaine.com", Status: discovery.StatusProblems,
			Problems: []discovery.Problem{mk(discovery.CodeMismatchHost, "imap", "bm.domaine.com", "old.domaine.com", discovery.AgainstConfigured)}},
		{Kind: discovery.KindSRV, Where: "_submission._tcp.domaine.com", Status: discovery.StatusMissing,
			Problems: []discovery.Problem{mk(discovery.CodeMissing, "smtp", "", "", "")}},
		{Kind: discovery.KindAutoconfig, Where: "https://autoconfig.domaine.com/mail/config-v1.1.xml", Status: discovery.StatusFailed,
			Problems: []discovery.Problem{{Code: discovery.CodeFetchFailed, Detail: "x509: certificate is valid for www.example.net"}}},
		{Kind: discovery.KindAutoconfig, Where: "https://domaine.com/.well-known/autoconfig/mail/config-v1.1.xml", Status: discovery.StatusProblems,
			Problems: []discovery.Problem{
				mk(discovery.CodeMismatchPort, "imap", "993", "995", discovery.AgainstConfigured),
				mk(discovery.CodeMismatchSecurity, "smtp", "starttls", "ssl/tls", discovery.AgainstLive),
				mk(discovery.CodeMismatchSecurity, "imap", "ssl/tls", "plain", discovery.AgainstConfigured),
				mk(discovery.CodeMismatchUsername, "imap", discovery.UsernameAddress, discovery.UsernameLocalPart, discovery.AgainstConfigured),
			}},
		{Kind: discovery.KindAutoconfig, Where: "http://autoconfig.domaine.com/mail/config-v1.1.xml", Status: discovery.StatusSkipped},
		{Kind: discovery.KindAutodiscover, Where: "https://domaine.com/autodiscover/autodiscover.xml", Status: discovery.StatusProblems,
			Problems: []discovery.Problem{{Code: discovery.CodeInvalid, Field: "document", Detail: "XML syntax error on line 1"},
				{Code: discovery.CodeInsecureTransport, Field: "imap"}}},
	}}
}

func discoveryRouter(t *testing.T, f DiscoveryChecker, lim Limiter, trail Recorder) *bot.Router {
	t.Helper()
	cfg, cat := testSetup(t)
	pol := &AnnouncePolicy{Translator: cat, Admins: map[string]config.AdminSet{"slack": {Users: []string{"UADMIN"}}}}
	r := bot.NewRouter(bot.RouterOptions{Translator: cat, Parser: cat.Parser()})
	Register(r, Deps{Directory: cfg.Directory, Discovery: f, Limiter: lim, Audit: trail, Translator: cat,
		Announcements: NewAnnouncements(&Previews{}, pol)})
	return r
}

func TestDiscoveryAuthorization(t *testing.T) {
	f := &fakeDiscovery{rep: failingReport()}
	trail := &memTrail{}
	r := discoveryRouter(t, f, nil, trail)
	tests := []struct {
		platform, user, text string
		code                 string
	}{
		{"slack", "UADMIN", "check autoconfig for domaine.com", ""},
		{"slack", "UOTHER", "check autoconfig for domaine.com", bot.CodeNotAdmin},
		{"discord", "UADMIN", "check autoconfig for domaine.com", bot.CodeNotAdmin},
		{"web", "203.0.113.9", "check autoconfig for domaine.com", ""},
		{"web", "203.0.113.9", "vérifie l'autoconfiguration de alice@domaine.com", ""},
		{"web", "203.0.113.9", "check autoconfig for nowhere.example", bot.CodeUnknownDomain},
		{"web", "203.0.113.9", "check autoconfig", bot.CodeNoDomain},
	}
	for _, tc := range tests {
		reply := r.Serve(context.Background(), &bot.Request{Text: tc.text, Platform: tc.platform, UserID: tc.user})
		if reply.Intent != bot.IntentDiscovery || reply.Code != tc.code {
			t.Errorf("%s %s %q: intent %s, code %q, want discovery, %q (%s)", tc.platform, tc.user, tc.text, reply.Intent, reply.Code, tc.code, reply.Title)
		}
		if tc.code == "" && reply.Discovery == nil {
			t.Errorf("%s %q: no report", tc.platform, tc.text)
		}
	}
	if len(f.domains) != 3 || f.address[2] != "alice@domaine.com" {
		t.Errorf("checked %v %v", f.domains, f.address)
	}
	var refused int
	for _, e := range trail.entries {
		if e.Action == "discovery" && e.Result == "refused:not_admin" {
			refused++
		}
	}
	if refused != 2 {
		t.Errorf("audit: %d refusals recorded, want 2: %+v", refused, trail.entries)
	}
}

func TestDiscoveryOffAndRateLimited(t *testing.T) {
	r := discoveryRouter(t, nil, nil, nil)
	if reply := r.Serve(context.Background(), &bot.Request{Text: "check autoconfig for domaine.com", Platform: "web", UserID: "u"}); reply.Code != bot.CodeDiscoveryOff {
		t.Errorf("off: code %q", reply.Code)
	}
	lim := probe.NewLimiter(probe.Limits{PerUser: 1, PerTarget: 10, Window: time.Minute, MaxConcurrent: 4}, nil)
	r = discoveryRouter(t, &fakeDiscovery{rep: failingReport()}, lim, nil)
	req := func() *bot.Reply {
		return r.Serve(context.Background(), &bot.Request{Text: "check autoconfig for domaine.com", Platform: "web", UserID: "u"})
	}
	if first := req(); first.Code != "" {
		t.Fatalf("first: %q", first.Code)
	}
	if second := req(); second.Code != bot.CodeRateLimited || second.RetryAfter <= 0 {
		t.Errorf("second: code %q retry %v", second.Code, second.RetryAfter)
	}
}

// TestDiscoveryReplyGolden renders a report with every problem code in
// each language, as text.
func TestDiscoveryReplyGolden(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	rep := failingReport()
	rep.Domain = "domaine.com"
	for _, lang := range cat.Languages() {
		reply := DiscoveryReply(cat.For(lang), &rep)
		reply.Lang = lang
		got := render.Text(reply)
		if strings.Contains(got, "discovery.") {
			t.Errorf("%s: a message ID is shown instead of its text", lang)
		}
		golden.Assert(t, "discovery_fail_"+lang+".txt", got)
	}
	ok := discovery.Report{Domain: "domaine.com", Verdict: discovery.VerdictOK, Sources: []discovery.Source{
		{Kind: discovery.KindSRV, Where: "_imaps._tcp.domaine.com", Status: discovery.StatusOK}}}
	reply := DiscoveryReply(cat.For("en"), &ok)
	golden.Assert(t, "discovery_ok_en.txt", render.Text(reply))
}
