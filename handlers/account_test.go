package handlers

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/render"
	"github.com/mailhelp/mailhelp/internal/golden"
	"github.com/mailhelp/mailhelp/locales"
	"github.com/mailhelp/mailhelp/probe"
)

// accountFake is a prober that also runs account tests, returning acct.
type accountFake struct {
	fakeProber
	acct  *probe.AccountReport
	creds []probe.Credentials
	opts  []probe.AccountOptions
}

func (f *accountFake) CheckAccount(ctx context.Context, t probe.Target, c probe.Credentials, o probe.AccountOptions) (*probe.Report, error) {
	f.creds, f.opts = append(f.creds, c), append(f.opts, o)
	rep := *goodReport
	rep.Account = f.acct
	return &rep, nil
}

// failingAccount has every problem the account test reports.
func failingAccount() *probe.AccountReport {
	p := func(code, detail string) probe.Problem {
		return probe.Problem{Code: code, Severity: map[string]probe.Severity{
			probe.CodeNoSentFolder: probe.SeverityWarn, probe.CodeQuotaNearlyFull: probe.SeverityWarn,
			probe.CodeIdleNotDelivered: probe.SeverityWarn}[code], Detail: detail}
	}
	withDefault := func(pr probe.Problem) probe.Problem {
		if pr.Severity == "" {
			pr.Severity = probe.SeverityFail
		}
		return pr
	}
	var problems []probe.Problem
	for _, pr := range []probe.Problem{
		p(probe.CodeUsernameForm, "the server knows alice@domaine.com, not alice"),
		p(probe.CodeAccountUnavailable, "[UNAVAILABLE] Account disabled"),
		p(probe.CodeNoSentFolder, "no mailbox is marked \\Sent"),
		p(probe.CodeQuotaNearlyFull, "95 % of 100 KiB"),
		p(probe.CodeIdleNotDelivered, "no EXISTS within 10 s"),
		p(probe.CodeSubmissionRejected, "554 5.7.1 test sender refused"),
		p(probe.CodeNotDelivered, "not in INBOX after 10 s"),
		p(probe.CodeAuthFailed, "[AUTHENTICATIONFAILED] Authentication failed."),
	} {
		problems = append(problems, withDefault(pr))
	}
	works := true
	return &probe.AccountReport{Username: "alice@domaine.com", Verdict: probe.StatusFail, Problems: problems,
		Login: &probe.LoginResult{OK: true, Mechanism: "PLAIN", OtherFormWorks: &works},
		Mailbox: &probe.MailboxReport{Messages: 1234, Quota: &probe.Quota{Root: "User quota", UsedKB: 97280, LimitKB: 102400, Percent: 95},
			SpecialUse: map[string]string{`\Drafts`: "Drafts"}},
		Push:      &probe.PushReport{Offered: true, Delivered: false, Method: "send"},
		RoundTrip: &probe.RoundTripReport{Submitted: true, Delivered: true, DelayMS: 1250, CleanedUp: true, Folder: "Junk"}}
}

// messageID matches an account message's ID shown instead of its text.
var messageID = regexp.MustCompile(`account\.[a-z_]+`)

func TestAccountReplyGolden(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range cat.Languages() {
		rep := *goodReport
		rep.Account = failingAccount()
		r := CheckReply(cat.For(lang), &rep)
		r.Lang = lang
		got := render.Text(r)
		if messageID.MatchString(got) {
			t.Errorf("%s: a message ID is shown:\n%s", lang, got)
		}
		golden.Assert(t, "account_fail_"+lang+".txt", got)
	}
}

// TestAccountInChat: chat never takes a password; "test my account"
// says how to run the account test, in each language, and checks
// nothing.
func TestAccountInChat(t *testing.T) {
	f := &accountFake{fakeProber: fakeProber{rep: goodReport}}
	r := newCheckRouter(t, f, nil)
	for lang, text := range map[string]string{
		"en": "test my account alice@domaine.com", "fr": "tester mon compte alice@domaine.com",
		"de": "mein Konto testen alice@domaine.com", "es": "probar mi cuenta alice@domaine.com",
	} {
		req := &bot.Request{Text: text, Platform: "slack", UserID: "U1"}
		if plan := r.Plan(context.Background(), req); plan.Slow {
			t.Errorf("%s: planned as a slow check", lang)
		}
		reply := r.Serve(context.Background(), &bot.Request{Text: text, Platform: "slack", UserID: "U1"})
		if reply.Lang != lang || len(reply.Steps) != 2 || reply.Steps[0].Fields[0].Value != "mailhelp check --account alice@domaine.com --send" {
			t.Errorf("%s: %s %+v", lang, reply.Title, reply.Steps)
		}
		golden.Assert(t, "account_howto_"+lang+".md", render.Markdown(reply))
	}
	if f.target.Host != "" || len(f.creds) != 0 {
		t.Errorf("something was checked: %+v %d", f.target, len(f.creds))
	}
}

// TestAccountThroughForm: the command line and the API ask with a Form
// and an AccountTest: the test runs with the address as the login, the
// other form as the fallback, and is audited without any login nor
// password.
func TestAccountThroughForm(t *testing.T) {
	cfg, cat := testSetup(t)
	f := &accountFake{fakeProber: fakeProber{rep: goodReport}, acct: &probe.AccountReport{Username: "alice@domaine.com", Verdict: probe.StatusOK}}
	trail := &memTrail{}
	r := bot.NewRouter(bot.RouterOptions{Translator: cat, Parser: cat.Parser()})
	Register(r, Deps{Directory: cfg.Directory, Translator: cat, Prober: f, Audit: trail})
	const secret = "Pa55-w0rd"
	reply := r.Serve(context.Background(), &bot.Request{Platform: "web", UserID: "127.0.0.1",
		Form:    &bot.Form{Intent: bot.IntentCheck, Target: "bob+x@paris.example.org", Kind: bot.TargetAddress},
		Account: &bot.AccountTest{Password: secret, Send: true}})
	if reply.Check == nil || reply.Check.Account == nil || len(f.creds) != 1 {
		t.Fatalf("no account test: %s", reply.Title)
	}
	if c, o := f.creds[0], f.opts[0]; c.Username != "bob@paris.example.org" || c.Password != secret || o.OtherUsername != "bob" || !o.Send {
		t.Errorf("creds %q, opts %+v", c.Username, o)
	}
	if len(trail.entries) != 1 || trail.entries[0].Action != "account_check" || strings.Contains(fmt.Sprintf("%+v", trail.entries), secret) ||
		strings.Contains(fmt.Sprintf("%+v", trail.entries), "bob") {
		t.Errorf("audit %+v", trail.entries)
	}
	if s := fmt.Sprintf("%v %+v %#v", bot.AccountTest{Password: secret}, bot.AccountTest{Password: secret}, bot.AccountTest{Password: secret}); strings.Contains(s, secret) {
		t.Errorf("the password prints: %s", s)
	}
	// Without an address (a host), no account test.
	reply = r.Serve(context.Background(), &bot.Request{Platform: "web", UserID: "127.0.0.1",
		Form:    &bot.Form{Intent: bot.IntentCheck, Target: "bm.domaine.com", Kind: bot.TargetHost},
		Account: &bot.AccountTest{Password: secret}})
	if reply.Code != bot.CodeBadTarget || len(f.creds) != 1 {
		t.Errorf("host: code %q, %d tests", reply.Code, len(f.creds))
	}
}

// TestAccountLimitedPerAddress: whoever asks, an address gets few account
// tests in a window (each is a password attempt on the account); another
// address is not held back.
func TestAccountLimitedPerAddress(t *testing.T) {
	cfg, cat := testSetup(t)
	f := &accountFake{fakeProber: fakeProber{rep: goodReport}, acct: &probe.AccountReport{Username: "alice@domaine.com", Verdict: probe.StatusOK}}
	r := bot.NewRouter(bot.RouterOptions{Translator: cat, Parser: cat.Parser()})
	Register(r, Deps{Directory: cfg.Directory, Translator: cat, Prober: f,
		AccountLimiter: probe.NewLimiter(probe.Limits{PerUser: 2, PerTarget: 2, Window: time.Hour, MaxConcurrent: 4}, nil)})
	test := func(client, address string) *bot.Reply {
		return r.Serve(context.Background(), &bot.Request{Platform: "web", UserID: client,
			Form:    &bot.Form{Intent: bot.IntentCheck, Target: address, Kind: bot.TargetAddress},
			Account: &bot.AccountTest{Password: "x"}})
	}
	for i, client := range []string{"203.0.113.1", "203.0.113.2"} {
		if reply := test(client, "alice@domaine.com"); reply.Code != "" {
			t.Fatalf("test %d: %s", i, reply.Code)
		}
	}
	if reply := test("203.0.113.3", "ALICE@domaine.com"); reply.Code != bot.CodeRateLimited || reply.RetryAfter <= 0 {
		t.Errorf("third test of the address, from a third client: code %q", reply.Code)
	}
	if reply := test("203.0.113.3", "bob@domaine.com"); reply.Code != "" {
		t.Errorf("another address: %s", reply.Code)
	}
	if len(f.creds) != 3 {
		t.Errorf("%d tests ran, want 3", len(f.creds))
	}
}
