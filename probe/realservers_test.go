package probe_test

import (
	"context"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/internal/mailservers"
	"github.com/mailhelp/mailhelp/probe"
)

// TestRealServers checks a real Dovecot and a real Postfix, with a good
// certificate, an expired one, one for the wrong name, a self-signed one,
// and a closed port.
func TestRealServers(t *testing.T) {
	srv := mailservers.Start(t)
	eps := append(userEndpoints(srv), probe.Endpoint{Protocol: probe.SMTP, Port: srv.SMTP, Security: probe.OptionalTLS})
	ports := portsOf(eps)
	ports = append(ports, srv.ClosedPort)
	hosts := []string{mailservers.GoodHost, mailservers.ExpiredHost, mailservers.WrongNameHost, mailservers.SelfSignedHost}
	c := probe.New(probe.Options{
		Policy:      &probe.Policy{Allowed: hosts, Resolver: mailservers.Resolver{}, Ports: ports},
		Roots:       srv.CA.Pool(),
		Budget:      20 * time.Second,
		StepTimeout: 8 * time.Second,
	})
	check := func(t *testing.T, host string, eps []probe.Endpoint, creds *probe.Credentials) *probe.Report {
		t.Helper()
		rep, err := c.Check(context.Background(), probe.Target{Host: host, Endpoints: eps}, creds)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}

	t.Run("good", func(t *testing.T) {
		rep := check(t, mailservers.GoodHost, eps, nil)
		for _, e := range rep.Endpoints {
			if e.Status != probe.StatusOK {
				t.Errorf("%s: %s %+v", e.Endpoint, e.Status, e.Problems)
			}
		}
		if rep.Verdict != probe.StatusOK || rep.Recommended.Incoming.Port != srv.IMAPS || rep.Recommended.Outgoing.Port != srv.Submission {
			t.Errorf("verdict %s, recommended %+v", rep.Verdict, rep.Recommended)
		}
		if !rep.Recommended.Push {
			t.Error("Dovecot offers IDLE: push should be recommended")
		}
		imap := rep.Endpoints[1]
		if !has(imap.CapabilitiesBeforeTLS, "STARTTLS") || !has(imap.CapabilitiesBeforeTLS, "LOGINDISABLED") || !has(imap.AuthMechanisms, "PLAIN") {
			t.Errorf("IMAP 143: before %v, mechanisms %v", imap.CapabilitiesBeforeTLS, imap.AuthMechanisms)
		}
		sub := rep.Endpoints[2]
		if has(sub.CapabilitiesBeforeTLS, "AUTH") || !has(sub.AuthMechanisms, "PLAIN") {
			t.Errorf("submission: before TLS %v, mechanisms after %v", sub.CapabilitiesBeforeTLS, sub.AuthMechanisms)
		}
		if mx := rep.Endpoints[4]; !mx.Has(probe.CodeNoAuth) || mx.Status != probe.StatusOK {
			t.Errorf("port 25: %s %+v", mx.Status, mx.Problems)
		}
	})

	t.Run("login", func(t *testing.T) {
		login := []probe.Endpoint{eps[0], eps[1], eps[2], eps[3]}
		rep := check(t, mailservers.GoodHost, login, &probe.Credentials{Username: mailservers.User, Password: mailservers.Password})
		for _, e := range rep.Endpoints {
			if e.Auth == nil || !e.Auth.OK {
				t.Errorf("%s: auth %+v problems %+v", e.Endpoint, e.Auth, e.Problems)
			}
		}
		rep = check(t, mailservers.GoodHost, login, &probe.Credentials{Username: mailservers.User, Password: "wrong"})
		for _, e := range rep.Endpoints {
			if !e.Has(probe.CodeAuthFailed) {
				t.Errorf("%s: want auth_failed, got %+v", e.Endpoint, e.Problems)
			}
		}
	})

	for _, tc := range []struct{ host, code string }{
		{mailservers.ExpiredHost, probe.CodeCertExpired},
		{mailservers.WrongNameHost, probe.CodeCertHostname},
		{mailservers.SelfSignedHost, probe.CodeCertUntrusted},
	} {
		t.Run(tc.host, func(t *testing.T) {
			rep := check(t, tc.host, eps[:4], nil)
			for _, e := range rep.Endpoints {
				if !e.Has(tc.code) || e.Status != probe.StatusFail {
					t.Errorf("%s: %s %+v", e.Endpoint, e.Status, e.Problems)
				}
			}
			if rep.Verdict != probe.StatusFail {
				t.Errorf("verdict %s", rep.Verdict)
			}
		})
	}

	t.Run("closed port", func(t *testing.T) {
		rep := check(t, mailservers.GoodHost, []probe.Endpoint{{Protocol: probe.IMAP, Port: srv.ClosedPort, Security: probe.ImplicitTLS}}, nil)
		if e := rep.Endpoints[0]; !e.Has(probe.CodeRefused) {
			t.Errorf("%+v", e.Problems)
		}
	})
}

func has(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// userEndpoints are the test servers' endpoints a device uses: IMAP with
// implicit TLS and STARTTLS, submission with STARTTLS and implicit TLS.
func userEndpoints(srv *mailservers.Servers) []probe.Endpoint {
	return []probe.Endpoint{
		{Protocol: probe.IMAP, Port: srv.IMAPS, Security: probe.ImplicitTLS},
		{Protocol: probe.IMAP, Port: srv.IMAP, Security: probe.StartTLS},
		{Protocol: probe.SMTP, Port: srv.Submission, Security: probe.StartTLS, Submission: true},
		{Protocol: probe.SMTP, Port: srv.Submissions, Security: probe.ImplicitTLS, Submission: true},
	}
}

// portsOf lists the endpoints' ports, for a policy that allows them.
func portsOf(eps []probe.Endpoint) []int {
	var ports []int
	for _, e := range eps {
		ports = append(ports, e.Port)
	}
	return ports
}
