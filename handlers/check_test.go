package handlers

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/render"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/internal/golden"
	"github.com/mailhelp/mailhelp/probe"
)

// fakeProber returns a fixed report (or error) and records the target.
type fakeProber struct {
	rep    *probe.Report
	err    error
	target probe.Target
}

func (f *fakeProber) Check(ctx context.Context, t probe.Target, creds *probe.Credentials) (*probe.Report, error) {
	f.target = t
	if creds != nil {
		return nil, errors.New("the chat path must never log in")
	}
	return f.rep, f.err
}

func newCheckRouter(t testing.TB, p Prober, l Limiter) *bot.Router {
	t.Helper()
	cfg, cat := testSetup(t)
	r := bot.NewRouter(bot.RouterOptions{Translator: cat, Parser: cat.Parser(), DefaultLang: "en", DomainLang: DomainLang(cfg.Directory)})
	Register(r, Deps{Directory: cfg.Directory, Prober: p, Limiter: l, Translator: cat})
	return r
}

func cert(days int, verified bool, sans ...string) *probe.TLSInfo {
	return &probe.TLSInfo{Version: "TLS 1.3", Cipher: "TLS_AES_128_GCM_SHA256", Cert: &probe.CertInfo{
		Subject: "CN=" + sans[0], SANs: sans, Issuer: "CN=Test CA", Verified: verified, DaysLeft: days,
		NotAfter: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC),
	}}
}

func ep(proto probe.Protocol, port int, sec probe.Security, sub bool) probe.Endpoint {
	return probe.Endpoint{Protocol: proto, Port: port, Security: sec, Submission: sub}
}

// Fixed reports, as the probe would produce them.
var (
	goodReport = &probe.Report{
		Host: "bm.domaine.com", Verdict: probe.StatusOK, DurationMS: 412,
		Endpoints: []probe.EndpointReport{
			{Endpoint: ep(probe.IMAP, 993, probe.ImplicitTLS, false), Status: probe.StatusOK, TLS: cert(300, true, "bm.domaine.com"), Push: true, Timings: probe.Timings{Total: 41}},
			{Endpoint: ep(probe.IMAP, 143, probe.StartTLS, false), Status: probe.StatusOK, TLS: cert(300, true, "bm.domaine.com"), Push: true, Timings: probe.Timings{Total: 52}},
			{Endpoint: ep(probe.SMTP, 587, probe.StartTLS, true), Status: probe.StatusOK, TLS: cert(300, true, "bm.domaine.com"), Timings: probe.Timings{Total: 60}},
			{Endpoint: ep(probe.SMTP, 465, probe.ImplicitTLS, true), Status: probe.StatusFail, Problems: []probe.Problem{{Code: probe.CodeRefused, Severity: probe.SeverityFail}}, Timings: probe.Timings{Total: 1}},
			{Endpoint: ep(probe.SMTP, 25, probe.OptionalTLS, false), Status: probe.StatusOK, TLS: cert(300, true, "bm.domaine.com"), Problems: []probe.Problem{{Code: probe.CodeNoAuth, Severity: probe.SeverityInfo}}, Timings: probe.Timings{Total: 48}},
		},
		Recommended: probe.Recommendation{Incoming: &probe.Endpoint{Protocol: probe.IMAP, Port: 993, Security: probe.ImplicitTLS}, Outgoing: &probe.Endpoint{Protocol: probe.SMTP, Port: 587, Security: probe.StartTLS, Submission: true}, Push: true},
	}
	badReport = &probe.Report{
		Host: "bm.domaine.com", Verdict: probe.StatusFail, DurationMS: 1503,
		Endpoints: []probe.EndpointReport{
			{Endpoint: ep(probe.IMAP, 993, probe.ImplicitTLS, false), Status: probe.StatusFail, TLS: cert(-5, false, "other.test"), Problems: []probe.Problem{
				{Code: probe.CodeCertExpired, Severity: probe.SeverityFail}, {Code: probe.CodeCertHostname, Severity: probe.SeverityFail}}},
			{Endpoint: ep(probe.IMAP, 143, probe.StartTLS, false), Status: probe.StatusFail, Problems: []probe.Problem{
				{Code: probe.CodeSTARTTLSInjection, Severity: probe.SeverityFail}, {Code: probe.CodePlaintextAuth, Severity: probe.SeverityWarn}}},
			{Endpoint: ep(probe.SMTP, 587, probe.StartTLS, true), Status: probe.StatusFail, Problems: []probe.Problem{{Code: probe.CodeTimeout, Severity: probe.SeverityFail}}},
			{Endpoint: ep(probe.SMTP, 465, probe.ImplicitTLS, true), Status: probe.StatusFail, Problems: []probe.Problem{{Code: probe.CodeTimeout, Severity: probe.SeverityFail}}},
		},
	}
	// hostileReport carries server-controlled text that must never be
	// rendered raw.
	hostileReport = &probe.Report{
		Host: "bm.domaine.com", Verdict: probe.StatusFail, DurationMS: 10,
		Endpoints: []probe.EndpointReport{
			{Endpoint: ep(probe.IMAP, 993, probe.ImplicitTLS, false), Status: probe.StatusFail, Banner: "<!channel> @everyone [x](https://evil.example)",
				TLS: cert(10, false, "<@U123>", "*evil*.example"), Problems: []probe.Problem{{Code: probe.CodeCertHostname, Severity: probe.SeverityFail, Detail: "<script>"}}},
		},
	}
)

func TestLiveCheckGolden(t *testing.T) {
	tests := []struct {
		name, text string
		rep        *probe.Report
	}{
		{"live_ok_en", "check alice@domaine.com in English", goodReport},
		{"live_ok_fr", "vérifie alice@domaine.com", goodReport},
		{"live_fail_en", "check bm.domaine.com", badReport},
		{"live_fail_fr", "vérifie bm.domaine.com", badReport},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fp := &fakeProber{rep: tc.rep}
			reply := ask(t, newCheckRouter(t, fp, nil), tc.text, "")
			if fp.target.Host != "bm.domaine.com" || len(fp.target.Endpoints) != 5 {
				t.Errorf("target = %+v", fp.target)
			}
			golden.Assert(t, tc.name+".txt", render.Text(reply))
			golden.Assert(t, tc.name+".md", render.Markdown(reply))
		})
	}
}

func TestLiveCheckHostileServerText(t *testing.T) {
	reply := ask(t, newCheckRouter(t, &fakeProber{rep: hostileReport}, nil), "check bm.domaine.com", "")
	md := render.Markdown(reply)
	for _, bad := range []string{"<!channel>", "<@U123>", " @everyone", "<script>", "](https://evil"} {
		if strings.Contains(md, bad) {
			t.Errorf("markdown holds %q raw:\n%s", bad, md)
		}
	}
}

func TestLiveCheckRefusals(t *testing.T) {
	tests := []struct {
		name, text string
		prober     *fakeProber
		limiter    Limiter
		code       string
		want       string
	}{
		{"unknown domain", "check jo@nowhere.example", &fakeProber{}, nil, "unknown_domain", "I do not know the mail server of nowhere.example"},
		{"not allowed", "check mail.other.example", &fakeProber{err: &probe.PolicyError{Code: "not_allowed"}}, nil, "not_allowed", "only check the organisation's own mail servers"},
		{"blocked", "check internal.example", &fakeProber{err: &probe.PolicyError{Code: "blocked_address"}}, nil, "blocked_address", "private or internal network"},
		{"rate limited", "check alice@domaine.com", &fakeProber{rep: goodReport}, probe.NewLimiter(probe.Limits{PerUser: 1}, nil), "rate_limited", "retry in"},
		{"failed", "check alice@domaine.com", &fakeProber{err: errors.New("boom")}, nil, "check_failed", "could not run"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newCheckRouter(t, tc.prober, tc.limiter)
			reply := ask(t, r, tc.text, "en")
			if tc.code == "rate_limited" {
				reply = ask(t, r, tc.text, "en")
			}
			if reply.Code != tc.code || !strings.Contains(reply.Title, tc.want) {
				t.Errorf("code %q title %q", reply.Code, reply.Title)
			}
		})
	}
}

func TestDomainTarget(t *testing.T) {
	cfg, err := config.Parse([]byte(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	d, _ := cfg.Directory.Lookup("example.org")
	got := DomainTarget(d)
	var eps []string
	for _, e := range got.Endpoints {
		eps = append(eps, e.String())
	}
	want := "imap/mail.example.org:143 (starttls) imap/mail.example.org:993 (ssl/tls) smtp/smtp.example.org:465 (ssl/tls) smtp/smtp.example.org:587 (starttls) smtp/smtp.example.org:25 (optional-tls)"
	if strings.Join(eps, " ") != want || got.Host != "mail.example.org" {
		t.Errorf("got %s %v\nwant %s", got.Host, eps, want)
	}
	pol := CheckPolicy(cfg.Directory, false, nil)
	for _, h := range []string{"bm.domaine.com", "mail.example.org", "smtp.example.org"} {
		if !contains(pol.Allowed, h) {
			t.Errorf("%s not allowed: %v", h, pol.Allowed)
		}
	}
}

// memTrail records audit entries in memory.
type memTrail struct{ entries []audit.Entry }

func (m *memTrail) Record(e audit.Entry) error { m.entries = append(m.entries, e); return nil }

func TestCheckIsAudited(t *testing.T) {
	cfg, cat := testSetup(t)
	trail := &memTrail{}
	r := bot.NewRouter(bot.RouterOptions{Translator: cat, Parser: cat.Parser()})
	Register(r, Deps{Directory: cfg.Directory, Translator: cat, Prober: &fakeProber{rep: goodReport},
		Limiter: probe.NewLimiter(probe.Limits{PerUser: 1}, nil), Audit: trail})
	for range 2 {
		r.Serve(context.Background(), &bot.Request{Text: "check alice@domaine.com", Platform: "slack", UserID: "U1"})
	}
	if len(trail.entries) != 2 {
		t.Fatalf("entries %+v", trail.entries)
	}
	if e := trail.entries[0]; e.Platform != "slack" || e.User != "U1" || e.Action != "check" || e.Target != "bm.domaine.com" || e.Result != "ok" {
		t.Errorf("first %+v", e)
	}
	if e := trail.entries[1]; e.Result != "refused:rate_limited" {
		t.Errorf("second %+v", e)
	}
}
