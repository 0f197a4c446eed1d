package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/netip"
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
	for code, temp := range map[imap.ResponseCode]bool{imap.ResponseCodeUnavailable: true, imap.ResponseCodeLimit: true, imap.ResponseCodeInUse: true,
		imap.ResponseCodeExpired: false, imap.ResponseCodeContactAdmin: false, imap.ResponseCodeAuthorizationFailed: false, imap.ResponseCodePrivacyRequired: false} {
		r := classifyLogin(no(code, "x"))
		if r.temporary != temp || strings.Contains(r.unavailable("a", "b"), "temporarily") != temp {
			t.Errorf("%s: temporary %v, detail %q", code, r.temporary, r.unavailable("a", "b"))
		}
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

// TestCredentialsHidePassword: no verb of fmt shows the password.
func TestCredentialsHidePassword(t *testing.T) {
	c := Credentials{Username: "alice@mail.test", Password: "hunter2"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		for _, v := range []any{c, &c, []Credentials{c}, struct{ C Credentials }{c}} {
			if got := fmt.Sprintf(verb, v); strings.Contains(got, "hunter2") || !strings.Contains(got, "alice@mail.test") {
				t.Errorf("%s of %T: %s", verb, v, got)
			}
		}
	}
	if got := fmt.Sprint(Credentials{Username: "bob"}); got != `Credentials{Username: "bob", no password}` {
		t.Errorf("no password: %s", got)
	}
}

// TestAccountCleanupHelpers: the exact-header check, the folders the
// clean-up looks in, and where the account test dials first.
func TestAccountCleanupHelpers(t *testing.T) {
	const id = "0123456789abcdef"
	for hdr, want := range map[string]bool{
		"X-Mailhelp-Test: " + id + "\r\n\r\n":                   true,
		"x-mailhelp-test:" + id + "  \r\n\r\n":                  true,
		"X-Mailhelp-Test:\r\n " + id + "\r\n\r\n":               true, // folded
		"X-Mailhelp-Test: not-" + id + "\r\n\r\n":               false,
		"X-Mailhelp-Test: " + id + "0\r\n\r\n":                  false,
		"X-Mailhelp-Test: " + id + " x\r\n\r\n":                 false,
		"X-Mailhelp-Tests: " + id + "\r\n\r\n":                  false,
		"Subject: " + id + "\r\n\r\n":                           false,
		"X-Mailhelp-Test: x\r\nX-Mailhelp-Test: " + id + "\r\n": true,
		"": false,
	} {
		if hasTestHeader([]byte(hdr), id) != want {
			t.Errorf("hasTestHeader(%q) = %v", hdr, !want)
		}
	}
	r := &accountRun{special: map[string]string{`\Sent`: "Sent", `\Junk`: "INBOX", `\All`: "[Gmail]/All Mail", `\Trash`: "Trash"}}
	if got := r.cleanupFolders(); !slices.Equal(got, []string{"INBOX", "Sent", "[Gmail]/All Mail"}) {
		t.Errorf("cleanupFolders = %q", got)
	}
	r.special = map[string]string{`\Sent`: "Sent", `\Junk`: "Sent"}
	if got := r.cleanupFolders(); !slices.Equal(got, []string{"INBOX", "Sent"}) {
		t.Errorf("cleanupFolders = %q", got)
	}
	for d, want := range map[string]string{"the server refused the username or password (535)": " (reply 535)", "login: unexpected reply 454": "", "(abc)": "", "(5355)": ""} {
		if got := replyOf(d); got != want {
			t.Errorf("replyOf(%q) = %q", d, got)
		}
	}

	a1, a2, a3 := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("192.0.2.3")
	addrs := []netip.Addr{a1, a2, a3}
	for _, tc := range []struct {
		first netip.Addr
		want  []netip.Addr
	}{
		{a3, []netip.Addr{a3, a1, a2}},
		{a2, []netip.Addr{a2, a1, a3}},
		{a1, addrs},
		{netip.Addr{}, addrs},
		{netip.MustParseAddr("192.0.2.9"), addrs}, // not checked by the policy: never dialed
		{netip.MustParseAddr("::ffff:192.0.2.3"), []netip.Addr{a3, a1, a2}},
	} {
		if got := preferAddr(addrs, tc.first); !slices.Equal(got, tc.want) {
			t.Errorf("preferAddr(%s) = %v", tc.first, got)
		}
	}
	if !slices.Equal(addrs, []netip.Addr{a1, a2, a3}) {
		t.Error("preferAddr changed its argument")
	}
	imap := Endpoint{Protocol: IMAP, Port: 993, Security: ImplicitTLS}
	sub := Endpoint{Protocol: SMTP, Port: 587, Security: StartTLS, Submission: true}
	eps := []EndpointReport{{Endpoint: sub, Address: "[2001:db8::1]:587"}, {Endpoint: imap, Address: "192.0.2.3:993"}, {Endpoint: Endpoint{Protocol: SMTP, Port: 25}}}
	if got := reachedAddr(eps, imap); got != a3 {
		t.Errorf("reachedAddr(imap) = %s", got)
	}
	if got := reachedAddr(eps, sub); got != a2 {
		t.Errorf("reachedAddr(submission) = %s", got)
	}
	if got := reachedAddr(eps, Endpoint{Protocol: SMTP, Port: 25}); got.IsValid() {
		t.Errorf("reachedAddr(unreached) = %s", got)
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
		{Credentials{Username: "alice@mail.test", Password: "secret"}, AccountOptions{Send: true, Address: "bob"}},
		{Credentials{Username: "alice@mail.test", Password: "secret"}, AccountOptions{Send: true, Address: "a@x\r\nRCPT TO:<evil@x>"}},
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
		// keep: the test message is expected left (flagged \Deleted).
		keep  bool
		check func(t *testing.T, f *fakeIMAP, a *AccountReport)
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
				// The server keeps the connection open after a refusal:
				// one retry in the other form, on it; never a third. (The
				// endpoint check's connection, then the main session's.)
				if !slices.Equal(f.logins, []string{"alice@mail.test", "alice"}) || f.conns != 2 {
					t.Errorf("logins %v on %d connections", f.logins, f.conns)
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
		// The server closes the connection after a refusal: it allows no
		// second attempt, so the other form is not tried, on no
		// connection.
		{name: "username form, connection closed after the refusal", fake: &fakeIMAP{byeAfterFailure: true}, user: "alice", opts: AccountOptions{OtherUsername: "alice@mail.test"}, verdict: StatusFail, codes: []string{CodeAuthFailed},
			check: func(t *testing.T, f *fakeIMAP, a *AccountReport) {
				if !slices.Equal(f.logins, []string{"alice"}) || f.conns != 2 || a.Login.OtherFormWorks != nil || hasCode(a, CodeUsernameForm) {
					t.Errorf("logins %v on %d connections, login %+v", f.logins, f.conns, a.Login)
				}
				if d := a.Problems[0].Detail; !strings.Contains(d, "closed the connection") || !strings.Contains(d, `"alice@mail.test" was not tried`) {
					t.Errorf("detail %q", d)
				}
			}},
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
				if !strings.Contains(a.Problems[0].Detail, "[UNAVAILABLE] Account is disabled.") || !strings.Contains(a.Problems[0].Detail, "temporarily") || !a.Login.Temporary {
					t.Errorf("detail %q, login %+v", a.Problems[0].Detail, a.Login)
				}
			}},
		{name: "too many connections", fake: &fakeIMAP{loginReply: "NO [LIMIT] Too many connections"}, user: "alice@mail.test", verdict: StatusFail, codes: []string{CodeAccountUnavailable},
			check: func(t *testing.T, f *fakeIMAP, a *AccountReport) {
				if d := a.Problems[0].Detail; !a.Login.Temporary || a.Login.ResponseCode != "LIMIT" || !strings.Contains(d, "temporarily") || !strings.Contains(d, "too many connections") {
					t.Errorf("detail %q, login %+v", d, a.Login)
				}
			}},
		{name: "contact the administrator", fake: &fakeIMAP{loginReply: "NO [CONTACTADMIN] call us"}, user: "alice@mail.test", verdict: StatusFail, codes: []string{CodeAccountUnavailable},
			check: func(t *testing.T, f *fakeIMAP, a *AccountReport) {
				if d := a.Problems[0].Detail; a.Login.Temporary || strings.Contains(d, "temporarily") || !strings.Contains(d, "disabled, locked or expired") {
					t.Errorf("detail %q, login %+v", d, a.Login)
				}
			}},
		// CAPABILITY fails after a login that worked: not a refused login.
		{name: "CAPABILITY refused after login", fake: &fakeIMAP{capsNO: true}, user: "alice@mail.test", verdict: StatusFail, codes: []string{CodeProtocol},
			check: func(t *testing.T, f *fakeIMAP, a *AccountReport) {
				if a.Login == nil || !a.Login.OK || hasCode(a, CodeAuthFailed) || a.Mailbox != nil {
					t.Errorf("login %+v, problems %+v", a.Login, a.Problems)
				}
				if d := a.Problems[0].Detail; !strings.Contains(d, "CAPABILITY after login") {
					t.Errorf("detail %q", d)
				}
			}},
		// STATUS and GETQUOTAROOT only inform: refused, they warn.
		{name: "STATUS refused", fake: &fakeIMAP{statusNO: true}, user: "alice@mail.test", verdict: StatusWarn, codes: []string{CodeProtocol},
			check: func(t *testing.T, f *fakeIMAP, a *AccountReport) {
				if len(a.Problems) != 1 || a.Problems[0].Severity != SeverityWarn || a.Push == nil || !a.Push.Delivered {
					t.Errorf("problems %+v, push %+v", a.Problems, a.Push)
				}
			}},
		{name: "GETQUOTAROOT refused", fake: &fakeIMAP{quotaNO: true}, user: "alice@mail.test", verdict: StatusWarn, codes: []string{CodeProtocol},
			check: func(t *testing.T, f *fakeIMAP, a *AccountReport) {
				if len(a.Problems) != 1 || a.Problems[0].Severity != SeverityWarn || a.Mailbox.Quota != nil {
					t.Errorf("problems %+v, mailbox %+v", a.Problems, a.Mailbox)
				}
			}},
		// The test message in INBOX, and copies in Sent and All Mail (as
		// Gmail keeps them): all deleted; decoys whose header holds the
		// id only as a substring (SEARCH HEADER finds them) are kept.
		{name: "copies in Sent and All Mail, decoys", fake: &fakeIMAP{allMail: true, copyTo: []string{"Sent", "All Mail"}, decoyIn: []string{"INBOX", "Sent"}}, user: "alice@mail.test", verdict: StatusOK,
			check: func(t *testing.T, f *fakeIMAP, a *AccountReport) {
				if len(f.msgs) != 2 || !f.own[5] || !f.own[6] || len(f.deleted) != 0 {
					t.Errorf("left %v (deleted %v): the decoys, UIDs 5 and 6, alone must be left", f.msgs, f.deleted)
				}
				if !slices.Equal(f.expunged, []string{"UID EXPUNGE 2", "UID EXPUNGE 3", "UID EXPUNGE 4"}) {
					t.Errorf("expunged %v", f.expunged)
				}
				if a.Mailbox.SpecialUse[`\All`] != "All Mail" || a.Mailbox.SpecialUse[`\Junk`] != "Junk" {
					t.Errorf("mailbox %+v", a.Mailbox)
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
		// Without UIDPLUS, no EXPUNGE (it would also remove what another
		// client flags \Deleted meanwhile): the test message is left
		// flagged, and the user told to delete it.
		{name: "no UIDPLUS", fake: &fakeIMAP{noUIDPlus: true}, user: "alice@mail.test", verdict: StatusWarn, codes: []string{CodeProtocol}, keep: true,
			check: func(t *testing.T, f *fakeIMAP, a *AccountReport) {
				if len(f.expunged) != 0 || len(f.msgs) != 1 || !f.deleted[2] {
					t.Errorf("expunged %v, left %v %v", f.expunged, f.msgs, f.deleted)
				}
				p := a.Problems[0]
				if len(a.Problems) != 1 || p.Severity != SeverityWarn || !strings.Contains(p.Detail, "by hand") || !strings.Contains(p.Detail, "UIDPLUS") ||
					!strings.Contains(p.Detail, "- safe to delete") || !strings.Contains(p.Detail, "from INBOX") {
					t.Errorf("problems %+v", a.Problems)
				}
			}},
		{name: "no UIDPLUS, another message deleted", fake: &fakeIMAP{noUIDPlus: true, otherDeleted: true}, user: "alice@mail.test", verdict: StatusWarn, codes: []string{CodeProtocol}, keep: true,
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
			if left := tc.fake.left(); !tc.keep && len(left) != 0 {
				t.Errorf("left in the mailbox: %v", left)
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
