package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
)

// TestClassifyLogin reads every kind of refused login.
func TestClassifyLogin(t *testing.T) {
	no := func(code imap.ResponseCode, text string) error {
		return &imap.Error{Type: imap.StatusResponseTypeNo, Code: code, Text: text}
	}
	tests := []struct {
		name     string
		err      error
		code     string
		respCode string
		tryOther bool
	}{
		{"AUTHENTICATIONFAILED", no(imap.ResponseCodeAuthenticationFailed, "Authentication failed."), CodeAuthFailed, "AUTHENTICATIONFAILED", true},
		{"no code", no("", "LOGIN failed"), CodeAuthFailed, "", true},
		{"ALERT", no(imap.ResponseCodeAlert, "Password expired, see the intranet"), CodeAuthFailed, "ALERT", true},
		{"lower-case code", no("authenticationfailed", "x"), CodeAuthFailed, "AUTHENTICATIONFAILED", true},
		{"UNAVAILABLE", no(imap.ResponseCodeUnavailable, "Account is disabled."), CodeAccountUnavailable, "UNAVAILABLE", false},
		{"EXPIRED", no(imap.ResponseCodeExpired, "Password expired"), CodeAccountUnavailable, "EXPIRED", false},
		{"PRIVACYREQUIRED", no(imap.ResponseCodePrivacyRequired, ""), CodeAccountUnavailable, "PRIVACYREQUIRED", false},
		{"CONTACTADMIN", no(imap.ResponseCodeContactAdmin, "call us"), CodeAccountUnavailable, "CONTACTADMIN", false},
		{"AUTHORIZATIONFAILED", no(imap.ResponseCodeAuthorizationFailed, ""), CodeAccountUnavailable, "AUTHORIZATIONFAILED", false},
		{"LIMIT", no(imap.ResponseCodeLimit, "Too many connections"), CodeAccountUnavailable, "LIMIT", false},
		{"INUSE", no(imap.ResponseCodeInUse, ""), CodeAccountUnavailable, "INUSE", false},
		{"another code", no(imap.ResponseCodeServerBug, "oops"), CodeAuthFailed, "SERVERBUG", false},
		{"BAD", &imap.Error{Type: imap.StatusResponseTypeBad, Text: "syntax"}, CodeProtocol, "", false},
		{"wrapped", fmt.Errorf("login: %w", no(imap.ResponseCodeUnavailable, "")), CodeAccountUnavailable, "UNAVAILABLE", false},
		{"hostile code", no("UNAVAILABLE\r\nX", ""), CodeAuthFailed, "UNAVAILABLE??X", false},
		{"timeout", os.ErrDeadlineExceeded, "", "", false},
		{"closed", io.ErrUnexpectedEOF, "", "", false},
		{"budget", errBudget, "", "", false},
		{"imapclient's text", errors.New("in response: cannot read tag: EOF"), "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := classifyLogin(tc.err)
			if r.code != tc.code || r.respCode != tc.respCode || r.tryOther != tc.tryOther {
				t.Errorf("got %+v, want code %q, response code %q, try other %v", r, tc.code, tc.respCode, tc.tryOther)
			}
			if tc.code == "" && (r.text != "" || r.detail() != "no reason given") {
				t.Errorf("not a refusal, yet %+v", r)
			}
		})
	}
	if d := classifyLogin(no(imap.ResponseCodeUnavailable, "Account is disabled.")).detail(); d != "[UNAVAILABLE] Account is disabled." {
		t.Errorf("detail = %q", d)
	}
	long := classifyLogin(no("", strings.Repeat("é", 500)+"\x00")).text
	if len(long) > maxBanner+len("…") || strings.ContainsRune(long, 0) {
		t.Errorf("server text not clipped/cleaned: %d bytes", len(long))
	}
}

func TestAccountHelpers(t *testing.T) {
	for a, want := range map[string]bool{
		"alice@good.test": true, "a.b+c@x.y": true, "alice": false, "@x": false, "a@": false,
		"a b@x": false, "a@x\r\nRCPT TO:<evil@x>": false, "a>@x": false, "é@x": false, "": false,
	} {
		if validAddress(a) != want {
			t.Errorf("validAddress(%q) = %v", a, !want)
		}
	}
	if got := accountAddress("alice", "alice@good.test"); got != "alice@good.test" {
		t.Errorf("accountAddress = %q", got)
	}
	msg := testMessage("alice@good.test", "0123456789abcdef", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	if !strings.Contains(string(msg), "\r\nX-Mailhelp-Test: 0123456789abcdef\r\n") || !strings.Contains(string(msg), "Subject: mailhelp account test 0123456789abcdef - safe to delete\r\n") {
		t.Errorf("message:\n%s", msg)
	}
	for _, r := range string(msg) {
		if r > 0x7e || (r < ' ' && r != '\r' && r != '\n') {
			t.Fatalf("message not plain ASCII: %q", r)
		}
	}
	if got := dataLines([]byte("a\r\n.b\r\n..\r\n")); !slices.Equal(got, []string{"a", "..b", "..."}) {
		t.Errorf("dataLines = %q", got)
	}
	if got := scrub("NO bad password hunter2 for alice", "hunter2"); strings.Contains(got, "hunter2") {
		t.Errorf("scrub = %q", got)
	}
	for _, q := range [][3]int64{{95, 100, 95}, {0, 1, 0}, {-5, 10, 0}, {1, 3, 33}, {100, 10, 1000}, {math.MaxInt64, 1, 1000},
		{math.MaxInt64 - 1, math.MaxInt64, 99}, {math.MaxInt64 / 2, math.MaxInt64, 49}} {
		if got := percent(q[0], q[1]); got != int(q[2]) {
			t.Errorf("percent(%d, %d) = %d, want %d", q[0], q[1], got, q[2])
		}
	}
	if worse(StatusWarn, StatusOK) != StatusWarn || worse(StatusOK, StatusFail) != StatusFail {
		t.Error("worse")
	}
}

// TestAccountArguments: unusable arguments are refused before any I/O.
func TestAccountArguments(t *testing.T) {
	c := newTestChecker(t, 1)
	tgt := Target{Host: testHost, Endpoints: []Endpoint{{Protocol: IMAP, Port: 1, Security: ImplicitTLS}}}
	for _, tc := range []struct {
		creds Credentials
		opts  AccountOptions
	}{
		{Credentials{Username: "alice@mail.test"}, AccountOptions{}},
		{Credentials{Password: "secret"}, AccountOptions{}},
		{Credentials{Username: "alice", Password: "secret"}, AccountOptions{Send: true}},
		{Credentials{Username: "alice", Password: "secret"}, AccountOptions{Send: true, OtherUsername: "bob"}},
	} {
		_, err := c.CheckAccount(context.Background(), tgt, tc.creds, tc.opts)
		if err == nil || strings.Contains(err.Error(), "secret") {
			t.Errorf("%+v: err = %v", tc, err)
		}
	}
	// A policy refusal is an error, as for Check.
	_, err := c.CheckAccount(context.Background(), Target{Host: "elsewhere.test"}, Credentials{Username: "a@b.c", Password: "x"}, AccountOptions{})
	if !errors.Is(err, ErrPolicy) {
		t.Errorf("policy: err = %v", err)
	}
}

// TestAccountNothingToLogIn: no working IMAP endpoint.
func TestAccountNothingToLogIn(t *testing.T) {
	ln, port := listen(t)
	ln.Close()
	c := newTestChecker(t, port)
	a := checkAccount(t, c, port, "alice@mail.test", AccountOptions{})
	if a.Verdict != StatusFail || !hasCode(a, CodeAuthSkipped) || a.Login != nil {
		t.Errorf("%s %+v", a.Verdict, a)
	}
}

// TestAccountFake runs the account test against the scripted server in
// each of its configurations.
func TestAccountFake(t *testing.T) {
	tests := []struct {
		name    string
		fake    *fakeIMAP
		user    string
		pass    string // default "secret"
		opts    AccountOptions
		verdict Status
		codes   []string
		check   func(t *testing.T, f *fakeIMAP, a *AccountReport)
	}{
		{name: "healthy", fake: &fakeIMAP{quotaUsed: 100, quotaLimit: 1000}, user: "alice@mail.test", verdict: StatusOK,
			check: func(t *testing.T, f *fakeIMAP, a *AccountReport) {
				if a.Login == nil || !a.Login.OK || a.Login.Mechanism != "PLAIN" || a.Login.OtherFormWorks != nil {
					t.Errorf("login %+v", a.Login)
				}
				mb := a.Mailbox
				if mb == nil || mb.SentFolder != "Sent" || mb.SpecialUse[`\Trash`] != "Trash" || mb.Quota == nil || mb.Quota.Percent != 10 || mb.Quota.Root != "User quota" {
					t.Errorf("mailbox %+v quota %+v", mb, mb.Quota)
				}
				if p := a.Push; p == nil || !p.Offered || !p.Delivered || p.Method != "append" {
					t.Errorf("push %+v", a.Push)
				}
				if a.RoundTrip != nil {
					t.Errorf("round trip without Send: %+v", a.RoundTrip)
				}
				if !slices.Equal(f.expunged, []string{"UID EXPUNGE 2"}) {
					t.Errorf("expunged %v", f.expunged)
				}
			}},
		{name: "LOGIN only", fake: &fakeIMAP{noPlain: true}, user: "alice@mail.test", verdict: StatusOK,
			check: func(t *testing.T, f *fakeIMAP, a *AccountReport) {
				if a.Login == nil || !a.Login.OK || a.Login.Mechanism != "LOGIN" {
					t.Errorf("login %+v", a.Login)
				}
			}},
		{name: "wrong password", fake: &fakeIMAP{}, user: "alice@mail.test", pass: "wrong-password", opts: AccountOptions{OtherUsername: "alice"}, verdict: StatusFail, codes: []string{CodeAuthFailed},
			check: func(t *testing.T, f *fakeIMAP, a *AccountReport) {
				if a.Login == nil || a.Login.OK || a.Login.ResponseCode != "AUTHENTICATIONFAILED" || a.Login.OtherFormWorks == nil || *a.Login.OtherFormWorks {
					t.Errorf("login %+v", a.Login)
				}
				if a.Mailbox != nil || a.Push != nil {
					t.Errorf("went on after a refused login: %+v", a)
				}
			}},
		{name: "username form", fake: &fakeIMAP{}, user: "alice", opts: AccountOptions{OtherUsername: "alice@mail.test"}, verdict: StatusFail, codes: []string{CodeUsernameForm},
			check: func(t *testing.T, f *fakeIMAP, a *AccountReport) {
				if a.Login == nil || a.Login.OtherFormWorks == nil || !*a.Login.OtherFormWorks {
					t.Errorf("login %+v", a.Login)
				}
				if a.Push == nil || !a.Push.Delivered {
					t.Errorf("the test goes on in the form that works: push %+v", a.Push)
				}
				// alice, alice@mail.test, then the IDLE session's login.
				if f.logins[0] != "alice" || f.logins[1] != "alice@mail.test" || slices.Contains(f.logins[2:], "alice") {
					t.Errorf("logins %v", f.logins)
				}
			}},
		{name: "username form, connection closed after the refusal", fake: &fakeIMAP{byeAfterFailure: true}, user: "alice", opts: AccountOptions{OtherUsername: "alice@mail.test"}, verdict: StatusFail, codes: []string{CodeUsernameForm}},
		{name: "no other form given", fake: &fakeIMAP{}, user: "alice", verdict: StatusFail, codes: []string{CodeAuthFailed},
			check: func(t *testing.T, f *fakeIMAP, a *AccountReport) {
				if a.Login.OtherFormWorks != nil || len(f.logins) != 1 {
					t.Errorf("login %+v, logins %v", a.Login, f.logins)
				}
			}},
		{name: "locked", fake: &fakeIMAP{loginReply: "NO [UNAVAILABLE] Account is disabled."}, user: "alice@mail.test", opts: AccountOptions{OtherUsername: "alice"}, verdict: StatusFail, codes: []string{CodeAccountUnavailable},
			check: func(t *testing.T, f *fakeIMAP, a *AccountReport) {
				if a.Login.ResponseCode != "UNAVAILABLE" || a.Login.OtherFormWorks != nil || len(f.logins) != 1 {
					t.Errorf("login %+v, logins %v: no second attempt", a.Login, f.logins)
				}
				if !strings.Contains(a.Problems[0].Detail, "[UNAVAILABLE] Account is disabled.") {
					t.Errorf("detail %q", a.Problems[0].Detail)
				}
			}},
		{name: "server echoes the password", fake: &fakeIMAP{loginReply: "NO [EXPIRED] the password secret has expired"}, user: "alice@mail.test", verdict: StatusFail, codes: []string{CodeAccountUnavailable}},
		{name: "quota nearly full", fake: &fakeIMAP{quotaUsed: 95, quotaLimit: 100}, user: "alice@mail.test", verdict: StatusWarn, codes: []string{CodeQuotaNearlyFull}},
		{name: "no IDLE", fake: &fakeIMAP{noIdle: true}, user: "alice@mail.test", verdict: StatusWarn, codes: []string{CodeIdleNotDelivered},
			check: func(t *testing.T, f *fakeIMAP, a *AccountReport) {
				if a.Push == nil || a.Push.Offered || a.Push.Delivered {
					t.Errorf("push %+v", a.Push)
				}
				if len(f.msgs) != 0 || f.nextUID != 2 {
					t.Errorf("without IDLE nor Send, nothing is appended: %v", f.msgs)
				}
			}},
		{name: "no UIDPLUS", fake: &fakeIMAP{noUIDPlus: true}, user: "alice@mail.test", verdict: StatusOK,
			check: func(t *testing.T, f *fakeIMAP, a *AccountReport) {
				if !slices.Equal(f.expunged, []string{"EXPUNGE"}) {
					t.Errorf("expunged %v", f.expunged)
				}
			}},
		{name: "no UIDPLUS, another message deleted", fake: &fakeIMAP{noUIDPlus: true, otherDeleted: true}, user: "alice@mail.test", verdict: StatusWarn, codes: []string{CodeProtocol},
			check: func(t *testing.T, f *fakeIMAP, a *AccountReport) {
				if len(f.expunged) != 0 || len(f.msgs) != 2 || !f.deleted[2] || !f.deleted[1] {
					t.Errorf("expunged %v, left %v %v: the other message must not be expunged", f.expunged, f.msgs, f.deleted)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			port := tc.fake.start(t)
			c := accountChecker(t, 4*time.Second, port)
			if tc.pass == "" {
				tc.pass = "secret"
			}
			a := checkAccountPass(t, c, port, tc.user, tc.pass, tc.opts)
			if a.Verdict != tc.verdict {
				t.Errorf("verdict %s, want %s: %+v", a.Verdict, tc.verdict, a.Problems)
			}
			for _, code := range tc.codes {
				if !hasCode(a, code) {
					t.Errorf("no %s: %+v", code, a.Problems)
				}
			}
			if tc.verdict == StatusOK && len(a.Problems) != 0 {
				t.Errorf("problems: %+v", a.Problems)
			}
			if a.Username != tc.user {
				t.Errorf("username %q", a.Username)
			}
			if !tc.fake.otherDeleted && len(tc.fake.left()) != 0 {
				t.Errorf("left in INBOX: %v", tc.fake.left())
			}
			if tc.check != nil {
				tc.fake.mu.Lock()
				defer tc.fake.mu.Unlock()
				tc.check(t, tc.fake, a)
			}
		})
	}
	noGoroutinesLeft(t)
}

// TestAccountGoIMAPServer runs the account test against go-imap's own
// server, implicit TLS and STARTTLS: the probe's STARTTLS hands over to
// imapclient.
func TestAccountGoIMAPServer(t *testing.T) {
	p := testPKI(t)
	for _, implicit := range []bool{true, false} {
		port := startIMAP(t, p.good, implicit)
		sec := StartTLS
		if implicit {
			sec = ImplicitTLS
		}
		c := accountChecker(t, 4*time.Second, port)
		rep, err := c.CheckAccount(context.Background(), Target{Host: testHost, Endpoints: []Endpoint{{Protocol: IMAP, Port: port, Security: sec}}},
			Credentials{Username: "alice@mail.test", Password: "secret"}, AccountOptions{})
		if err != nil {
			t.Fatal(err)
		}
		a := rep.Account
		// go-imap's memory server has no special-use mailboxes. Its IDLE
		// misses a message that comes before its IDLE goroutine has
		// registered, after "+ idling" (a race of the server's, which the
		// fake server's tests do not have): push is not judged here.
		for _, p := range a.Problems {
			if p.Code != CodeNoSentFolder && p.Code != CodeIdleNotDelivered {
				t.Errorf("%s: %+v", sec, p)
			}
		}
		if a.Verdict != StatusWarn || !hasCode(a, CodeNoSentFolder) || a.Login == nil || !a.Login.OK || a.Login.Endpoint.Security != sec {
			t.Errorf("%s: %s %+v, login %+v", sec, a.Verdict, a.Problems, a.Login)
		}
		if a.Push == nil || !a.Push.Offered || a.Push.Method != "append" {
			t.Errorf("%s: push %+v", sec, a.Push)
		}
	}
	noGoroutinesLeft(t)
}

// TestAccountConnDeadlines: imapclient's own deadlines are ignored; the
// probe's arm and disarm, and a cancelled step ends at once.
func TestAccountConnDeadlines(t *testing.T) {
	a, b := net.Pipe()
	defer b.Close()
	life := time.Now().Add(time.Hour)
	ac := &acctConn{Conn: a, step: time.Second, life: life}
	ac.apply()
	_ = ac.SetReadDeadline(time.Now()) // imapclient's: ignored
	gen := ac.arm(time.Now().Add(50 * time.Millisecond))
	start := time.Now()
	_, err := ac.Read(make([]byte, 1))
	if !isTimeout(err) || time.Since(start) > time.Second {
		t.Fatalf("armed read: %v after %s", err, time.Since(start))
	}
	if !isTimeout(ac.cause()) {
		t.Errorf("cause %v", ac.cause())
	}
	ac.disarm()
	gen2 := ac.arm(time.Now().Add(time.Hour))
	ac.expire(gen) // an old step's cancel: no effect
	if time.Until(ac.armed) < time.Minute {
		t.Error("a stale expire hit the current step")
	}
	ac.expire(gen2)
	if time.Until(ac.armed) > 0 {
		t.Error("expire did not end the step")
	}
	if earliest(time.Time{}, life, time.Time{}) != life || !earliest().IsZero() {
		t.Error("earliest")
	}
	s := &imapConn{c: New(Options{StepTimeout: time.Hour}), conn: ac}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.run(ctx, time.Hour, func() error { t.Error("ran after cancel"); return nil }); !errors.Is(err, errNoTime) {
		t.Errorf("cancelled run: %v", err)
	}
	if p := s.failure("list", errNoTime); p.Code != CodeTimeout {
		t.Errorf("failure %+v", p)
	}
}
