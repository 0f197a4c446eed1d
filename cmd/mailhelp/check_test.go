package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/internal/mailservers"
	"github.com/mailhelp/mailhelp/probe"
)

// realConfig configures good.test and expired.test as served by the test
// servers, pinned to their address, trusting the test CA.
func realConfig(t *testing.T, srv *mailservers.Servers) string {
	t.Helper()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, srv.CA.PEM, 0o644); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("default_language: en\ndomains:\n")
	for _, h := range []string{mailservers.GoodHost, mailservers.ExpiredHost} {
		fmt.Fprintf(&b, "  - domain: %s\n    host: %s\n    imap: {port: %d, security: ssl/tls}\n    smtp: {port: %d, security: starttls}\n", h, h, srv.IMAPS, srv.Submission)
	}
	// send.test's outgoing port is Postfix's port without login;
	// closed.test's incoming port has nothing listening.
	fmt.Fprintf(&b, "  - domain: send.test\n    host: %s\n    imap: {port: %d, security: ssl/tls}\n    smtp: {port: %d, security: starttls}\n",
		mailservers.GoodHost, srv.IMAPS, srv.SMTP)
	fmt.Fprintf(&b, "  - domain: closed.test\n    host: %s\n    imap: {port: %d, security: ssl/tls}\n    smtp: {port: %d, security: starttls}\n",
		mailservers.GoodHost, srv.ClosedPort, srv.Submission)
	fmt.Fprintf(&b, "check:\n  ca_file: %s\n  hosts:\n    %s: %s\n    %s: %s\n", ca,
		mailservers.GoodHost, mailservers.Addr, mailservers.ExpiredHost, mailservers.Addr)
	fmt.Fprintf(&b, "audit:\n  file: %s\n", filepath.Join(filepath.Dir(ca), "audit.jsonl"))
	path := filepath.Join(t.TempDir(), "mailhelp.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckRealServers(t *testing.T) {
	srv := mailservers.Start(t)
	env := map[string]string{"MAILHELP_CONFIG": realConfig(t, srv)}

	t.Run("good address, text", func(t *testing.T) {
		code, out, errOut := run(t, nil, env, "check", "alice@good.test")
		if code != exitOK || !strings.Contains(out, "good.test: everything your device needs works") ||
			!strings.Contains(out, fmt.Sprintf("good.test, port %d, SSL/TLS", srv.IMAPS)) {
			t.Errorf("exit %d, stderr %q, out:\n%s", code, errOut, out)
		}
	})

	t.Run("expired host, json", func(t *testing.T) {
		code, out, _ := run(t, nil, env, "check", "--host", "expired.test", "--format", "json")
		var rep probe.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v in %s", err, out)
		}
		if code != exitFail || rep.Verdict != probe.StatusFail || !rep.Endpoints[0].Has(probe.CodeCertExpired) {
			t.Errorf("exit %d, verdict %s, first endpoint %+v", code, rep.Verdict, rep.Endpoints[0].Problems)
		}
		if c := rep.Endpoints[0].TLS.Cert; c == nil || c.Verified || c.DaysLeft >= 0 || len(c.SANs) == 0 {
			t.Errorf("cert = %+v", c)
		}
	})

	t.Run("login, password from the environment", func(t *testing.T) {
		e := map[string]string{"MAILHELP_CONFIG": env["MAILHELP_CONFIG"], "MAILHELP_PASSWORD": mailservers.Password}
		code, out, errOut := run(t, nil, e, "check", "--user", mailservers.User, "--format", "json", "alice@good.test")
		var rep probe.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v: %s %s", err, out, errOut)
		}
		if code != exitOK || rep.Endpoints[0].Auth == nil || !rep.Endpoints[0].Auth.OK {
			t.Errorf("exit %d, auth %+v", code, rep.Endpoints[0].Auth)
		}
		if strings.Contains(out+errOut, mailservers.Password) {
			t.Error("the password appears in the output")
		}
	})

	t.Run("login, wrong password on stdin", func(t *testing.T) {
		code, out, _ := run(t, strings.NewReader("wrong-password\n"), env, "check", "--user", mailservers.User, "alice@good.test")
		if code != exitFail || !strings.Contains(out, "refused the username or password") || strings.Contains(out, "wrong-password") {
			t.Errorf("exit %d, out:\n%s", code, out)
		}
	})

	t.Run("chat path in both languages", func(t *testing.T) {
		_, out, _ := run(t, nil, env, "ask", "check alice@good.test")
		if !strings.Contains(out, "everything your device needs works") || !strings.Contains(out, "Connections tested") {
			t.Errorf("english:\n%s", out)
		}
		_, out, _ = run(t, nil, env, "ask", "vérifie expired.test")
		if !strings.Contains(out, "des problèmes ont été trouvés") || !strings.Contains(out, "a expiré le") {
			t.Errorf("french:\n%s", out)
		}
	})

	// The symptom × problem table against real servers: the problem as
	// people say it, the check, and the explanation for that problem.
	t.Run("diagnosis", func(t *testing.T) {
		for _, tc := range []struct {
			ask  string
			want []string
		}{
			{"I can't send from bob@send.test", []string{"Cannot send: what the test of good.test shows",
				"No outgoing port of good.test works", "turn on authentication"}},
			{"my phone says certificate error for alice@expired.test", []string{"Certificate warning: what the test of expired.test shows",
				"The certificate of expired.test expired on", "do not accept the warning"}},
			{"password rejected for alice@good.test", []string{"Password refused: what the test of good.test shows",
				"the password or the username typed on the device is the cause", "alice@good.test"}},
			{"cannot connect, carol@closed.test", []string{"Cannot connect: what the test of good.test shows",
				fmt.Sprintf("Port %d of good.test does not answer from here, and neither does its alternative", srv.ClosedPort)}},
			{"mon téléphone dit erreur de certificat pour alice@expired.test", []string{"Le certificat de expired.test a expiré le"}},
		} {
			code, out, errOut := run(t, nil, env, "ask", tc.ask)
			if code != exitOK {
				t.Errorf("%s: exit %d %s", tc.ask, code, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("%s: lacks %q:\n%s", tc.ask, w, out)
				}
				if strings.Count(out, "✖") > 3 {
					t.Errorf("%s: more than three explanations:\n%s", tc.ask, out)
				}
			}
		}
	})

	t.Run("audit trail", func(t *testing.T) {
		code, out, errOut := run(t, nil, env, "audit", "--action", "check")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range []string{"cli      cli            check     good.test                    ok",
			"expired.test                 fail"} {
			if !strings.Contains(out, want) {
				t.Errorf("trail lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "alice") || strings.Contains(out, mailservers.Password) {
			t.Errorf("the trail holds an address or a password:\n%s", out)
		}
		_, js, _ := run(t, nil, env, "audit", "--json", "--platform", "cli")
		if n := strings.Count(js, "\n"); n < 4 {
			t.Errorf("%d cli entries:\n%s", n, js)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			code int
			msg  string
		}{
			{[]string{"check", "jo@unknown.example"}, exitFail, "do not know the mail server of unknown.example"},
			{[]string{"check", "--host", "evil.example"}, exitFail, "not_allowed"},
			{[]string{"check"}, exitUsage, "give an address"},
			{[]string{"check", "not-an-address"}, exitUsage, "neither an address nor a host"},
			{[]string{"check", "--format", "xml", "alice@good.test"}, exitUsage, "unknown format"},
			{[]string{"check", "--host", "good.test", "alice@good.test"}, exitUsage, "not both"},
			{[]string{"check", "--user", "alice@good.test", "alice@good.test"}, exitUsage, "needs a password"},
		} {
			code, _, errOut := run(t, nil, env, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.msg) {
				t.Errorf("%v: exit %d, stderr %q", tc.args, code, errOut)
			}
		}
	})
}
