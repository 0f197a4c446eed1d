package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/internal/mailservers"
	"github.com/mailhelp/mailhelp/probe"
)

// TestAccountRealServers runs "mailhelp check --account" as a helpdesk
// would, against the real Dovecot and Postfix: a round trip that leaves
// the mailbox as it was, a wrong password, and the usage errors.
func TestAccountRealServers(t *testing.T) {
	srv := mailservers.Start(t)
	cfg := realConfig(t, srv)
	env := map[string]string{"MAILHELP_CONFIG": cfg, "MAILHELP_PASSWORD": mailservers.Password}

	before := srv.MailboxState(t, mailservers.User)
	code, out, errOut := run(t, nil, env, "check", "--account", mailservers.User, "--send", "--format", "json")
	var rep probe.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Account == nil {
		t.Fatalf("exit %d, %v, stderr %q\n%s", code, err, errOut, out)
	}
	a := rep.Account
	if code != exitOK || a.Verdict != probe.StatusOK || a.RoundTrip == nil || !a.RoundTrip.Delivered || !a.RoundTrip.CleanedUp ||
		a.Push == nil || !a.Push.Delivered || a.Mailbox == nil || a.Mailbox.SentFolder != "Sent" {
		t.Errorf("exit %d, account %+v", code, a)
	}
	if after := srv.MailboxState(t, mailservers.User); after != before {
		t.Errorf("the mailbox changed:\nbefore\n%s\nafter\n%s", before, after)
	}
	if strings.Contains(out+errOut, mailservers.Password) {
		t.Error("the password was printed")
	}

	// Text, in French, from the password on standard input.
	code, out, _ = run(t, strings.NewReader(mailservers.Password+"\n"), map[string]string{"MAILHELP_CONFIG": cfg},
		"check", "--account", mailservers.User, "--lang", "fr")
	if code != exitOK || !strings.Contains(out, "votre compte fonctionne") {
		t.Errorf("stdin password: exit %d\n%s", code, out)
	}

	bad := map[string]string{"MAILHELP_CONFIG": cfg, "MAILHELP_PASSWORD": "wrong"}
	code, out, _ = run(t, nil, bad, "check", "--account", mailservers.User, "--format", "json")
	rep = probe.Report{}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != exitFail || rep.Account == nil || !hasAccountProblem(rep.Account, probe.CodeAuthFailed) {
		t.Errorf("wrong password: exit %d, %v\n%s", code, err, out)
	}

	for _, args := range [][]string{
		{"check", "--send", mailservers.User},
		{"check", "--account", mailservers.User, "--host", mailservers.GoodHost},
		{"check", "--account", mailservers.User, "bob@good.test"},
	} {
		if code, _, errOut := run(t, nil, env, args...); code != exitUsage {
			t.Errorf("%v: exit %d (%s)", args, code, errOut)
		}
	}
	if code, _, errOut := run(t, strings.NewReader(""), map[string]string{"MAILHELP_CONFIG": cfg}, "check", "--account", mailservers.User); code != exitUsage ||
		!strings.Contains(errOut, "needs the password") {
		t.Errorf("no password: exit %d (%s)", code, errOut)
	}
}

func hasAccountProblem(a *probe.AccountReport, code string) bool {
	for _, p := range a.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
}

// TestAccountAPIRealServers: the HTTPS API's account test, from this
// machine, against the real servers, through mailhelp serve: the round
// trip runs, the mailbox is left as it was, and the password is in no
// log, audit record nor answer.
func TestAccountAPIRealServers(t *testing.T) {
	srv := mailservers.Start(t)
	cfg := realConfig(t, srv)
	base, logs, stop := startServe(t, map[string]string{"MAILHELP_CONFIG": cfg}, nil)
	before := srv.MailboxState(t, mailservers.User)
	body := `{"address":"` + mailservers.User + `","password":"` + mailservers.Password + `","account":true,"send":true}`
	resp, err := http.Post(base+"api/v1/check", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var rep probe.Report
	if err := json.Unmarshal(data, &rep); err != nil || resp.StatusCode != 200 || rep.Account == nil || rep.Account.Verdict != probe.StatusOK ||
		rep.Account.RoundTrip == nil || !rep.Account.RoundTrip.Delivered {
		t.Fatalf("%d %v\n%s", resp.StatusCode, err, data)
	}
	if after := srv.MailboxState(t, mailservers.User); after != before {
		t.Errorf("the mailbox changed:\nbefore\n%s\nafter\n%s", before, after)
	}
	stop()
	yaml, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, auditPath, _ := strings.Cut(string(yaml), "audit:\n  file: ")
	trail, _ := os.ReadFile(strings.TrimSpace(auditPath))
	for what, s := range map[string]string{"answer": string(data), "logs": logs.String(), "audit trail": string(trail)} {
		if strings.Contains(s, mailservers.Password) {
			t.Errorf("the password is in the %s", what)
		}
	}
	if !strings.Contains(string(trail), `"action":"account_check"`) {
		t.Errorf("audit trail:\n%s", trail)
	}
}
