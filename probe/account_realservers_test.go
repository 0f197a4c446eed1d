package probe_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/internal/mailservers"
	"github.com/mailhelp/mailhelp/probe"
)

// TestAccountRealServers runs the account test against the real Dovecot
// and Postfix (Postfix delivering to Dovecot over LMTP), one user per
// fault. Every mailbox is left as it was.
func TestAccountRealServers(t *testing.T) {
	srv := mailservers.Start(t)
	eps := userEndpoints(srv)
	ports := portsOf(eps)
	c := probe.New(probe.Options{
		Policy: &probe.Policy{Allowed: []string{mailservers.GoodHost}, Resolver: mailservers.Resolver{}, Ports: ports},
		Roots:  srv.CA.Pool(),
		Budget: accountBudget,
	})

	tests := []accountCase{
		{name: "round trip", user: mailservers.User, opts: probe.AccountOptions{Send: true}, verdict: probe.StatusOK,
			check: func(t *testing.T, a *probe.AccountReport) {
				rt := a.RoundTrip
				if rt == nil || !rt.Submitted || !rt.Delivered || !rt.CleanedUp || rt.Folder != "" || rt.Endpoint.Port != srv.Submission {
					t.Errorf("round trip %+v", rt)
				}
				if p := a.Push; p == nil || !p.Offered || !p.Delivered || p.Method != "send" {
					t.Errorf("push %+v", a.Push)
				}
				mb := a.Mailbox
				if mb == nil || mb.SentFolder != "Sent" || mb.Messages != 1 || mb.Quota == nil || mb.Quota.Percent >= probe.QuotaWarnPercent ||
					mb.SpecialUse[`\Drafts`] != "Drafts" || mb.SpecialUse[`\Trash`] != "Trash" || mb.SpecialUse[`\Junk`] != "Junk" {
					t.Errorf("mailbox %+v", mb)
				}
				if a.Login == nil || !a.Login.OK || a.Login.Mechanism != "PLAIN" || a.Login.Endpoint.Port != srv.IMAPS {
					t.Errorf("login %+v", a.Login)
				}
			}},
		{name: "append over STARTTLS", user: mailservers.User, starttls: true, verdict: probe.StatusOK,
			check: func(t *testing.T, a *probe.AccountReport) {
				if p := a.Push; p == nil || !p.Delivered || p.Method != "append" {
					t.Errorf("push %+v", a.Push)
				}
				if a.Login.Endpoint.Port != srv.IMAP || a.RoundTrip != nil {
					t.Errorf("login %+v, round trip %+v", a.Login, a.RoundTrip)
				}
			}},
		{name: "wrong password", user: mailservers.User, pass: "wrong", opts: probe.AccountOptions{OtherUsername: "alice"},
			verdict: probe.StatusFail, code: probe.CodeAuthFailed,
			check: func(t *testing.T, a *probe.AccountReport) {
				if a.Login.ResponseCode != "AUTHENTICATIONFAILED" || a.Login.OtherFormWorks == nil || *a.Login.OtherFormWorks {
					t.Errorf("login %+v", a.Login)
				}
			}},
		{name: "username form", user: "alice", mailbox: mailservers.User, opts: probe.AccountOptions{OtherUsername: mailservers.User},
			verdict: probe.StatusFail, code: probe.CodeUsernameForm,
			check: func(t *testing.T, a *probe.AccountReport) {
				if a.Login.OtherFormWorks == nil || !*a.Login.OtherFormWorks {
					t.Errorf("login %+v", a.Login)
				}
			}},
		{name: "locked", user: mailservers.LockedUser, opts: probe.AccountOptions{OtherUsername: "locked"},
			verdict: probe.StatusFail, code: probe.CodeAccountUnavailable,
			check: func(t *testing.T, a *probe.AccountReport) {
				// Locked for good: not a temporary refusal.
				if a.Login.ResponseCode == "" || a.Login.ResponseCode == "AUTHENTICATIONFAILED" || a.Login.OtherFormWorks != nil || a.Login.Temporary {
					t.Errorf("login %+v", a.Login)
				}
			}},
		{name: "no Sent folder", user: mailservers.NoSentUser, verdict: probe.StatusWarn, code: probe.CodeNoSentFolder,
			check: func(t *testing.T, a *probe.AccountReport) {
				if a.Mailbox.SentFolder != "" || a.Mailbox.SpecialUse[`\Drafts`] != "Drafts" {
					t.Errorf("mailbox %+v", a.Mailbox)
				}
			}},
		{name: "quota nearly full", user: mailservers.FullUser, verdict: probe.StatusWarn, code: probe.CodeQuotaNearlyFull,
			check: func(t *testing.T, a *probe.AccountReport) {
				q := a.Mailbox.Quota
				if q == nil || q.LimitKB != mailservers.FullQuota>>10 || q.Percent < probe.QuotaWarnPercent || a.Mailbox.Messages != mailservers.FullMessages {
					t.Errorf("quota %+v, messages %d", q, a.Mailbox.Messages)
				}
			}},
		{name: "IDLE disabled", user: mailservers.NoIdleUser, opts: probe.AccountOptions{Send: true}, verdict: probe.StatusWarn, code: probe.CodeIdleNotDelivered,
			check: func(t *testing.T, a *probe.AccountReport) {
				if a.Push == nil || a.Push.Offered || a.Push.Delivered {
					t.Errorf("push %+v", a.Push)
				}
				// Without IDLE the round trip still finds the message.
				if rt := a.RoundTrip; rt == nil || !rt.Delivered || !rt.CleanedUp {
					t.Errorf("round trip %+v", rt)
				}
			}},
		{name: "submission refused", user: mailservers.RefusedUser, opts: probe.AccountOptions{Send: true}, verdict: probe.StatusFail, code: probe.CodeSubmissionRejected,
			check: func(t *testing.T, a *probe.AccountReport) {
				if rt := a.RoundTrip; rt == nil || rt.Submitted || rt.Delivered || !rt.CleanedUp {
					t.Errorf("round trip %+v", rt)
				}
			}},
		{name: "accepted, never delivered", user: mailservers.HeldUser, opts: probe.AccountOptions{Send: true}, verdict: probe.StatusFail, code: probe.CodeNotDelivered,
			check: func(t *testing.T, a *probe.AccountReport) {
				if rt := a.RoundTrip; rt == nil || !rt.Submitted || rt.Delivered {
					t.Errorf("round trip %+v", rt)
				}
			}},
	}
	// The users' tests run in parallel; each user's in turn, as they
	// compare the user's mailbox before and after.
	var order []string
	byMailbox := make(map[string][]accountCase)
	for _, tc := range tests {
		if tc.mailbox == "" {
			tc.mailbox = tc.user
		}
		if byMailbox[tc.mailbox] == nil {
			order = append(order, tc.mailbox)
		}
		byMailbox[tc.mailbox] = append(byMailbox[tc.mailbox], tc)
	}
	for _, mailbox := range order {
		t.Run(mailbox, func(t *testing.T) {
			t.Parallel()
			for _, tc := range byMailbox[mailbox] {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, srv, c, eps) })
			}
		})
	}
}

// accountCase is one account test against the real servers.
type accountCase struct {
	name    string
	user    string // the login
	mailbox string // whose mailbox it is; default user
	pass    string // default mailservers.Password
	opts    probe.AccountOptions
	// starttls: only the STARTTLS endpoints, so that the probe's STARTTLS
	// hands over to imapclient.
	starttls bool
	verdict  probe.Status
	code     string // the one problem expected, if any
	check    func(t *testing.T, a *probe.AccountReport)
}

// accountBudget is the Checker's budget in TestAccountRealServers.
const accountBudget = 15 * time.Second

func (tc accountCase) run(t *testing.T, srv *mailservers.Servers, c *probe.Checker, eps []probe.Endpoint) {
	pass := tc.pass
	if pass == "" {
		pass = mailservers.Password
	}
	endpoints := eps
	if tc.starttls {
		endpoints = []probe.Endpoint{eps[1], eps[2]}
	}
	before := srv.MailboxState(t, tc.mailbox)
	start := time.Now()
	rep, err := c.CheckAccount(context.Background(), probe.Target{Host: mailservers.GoodHost, Endpoints: endpoints},
		probe.Credentials{Username: tc.user, Password: pass}, tc.opts)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	a := rep.Account
	t.Logf("took %s: %s %+v", took.Round(time.Millisecond), a.Verdict, a.Problems)
	// The budget, then the clean-up's own time at most.
	if took > accountBudget+10*time.Second {
		t.Errorf("took %s", took)
	}
	var codes []string
	for _, p := range a.Problems {
		codes = append(codes, p.Code)
	}
	if a.Verdict != tc.verdict || (tc.code != "" && !slices.Contains(codes, tc.code)) || (tc.code == "" && len(codes) != 0) {
		t.Errorf("verdict %s, problems %+v; want %s %q", a.Verdict, a.Problems, tc.verdict, tc.code)
	}
	// The endpoints are healthy: the account's verdict is the report's.
	if rep.Verdict != tc.verdict {
		t.Errorf("report verdict %s, want %s", rep.Verdict, tc.verdict)
	}
	if tc.check != nil {
		tc.check(t, a)
	}
	// The clean-up is done when CheckAccount returns.
	if after := srv.MailboxState(t, tc.mailbox); after != before {
		t.Errorf("the mailbox changed:\nbefore\n%s\nafter\n%s", before, after)
	}
}
