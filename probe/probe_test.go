package probe

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"testing"
	"time"
)

// checkOne checks a single endpoint of testHost.
func checkOne(t *testing.T, ep Endpoint, creds *Credentials) EndpointReport {
	t.Helper()
	c := newTestChecker(t, ep.Port)
	rep, err := c.Check(context.Background(), Target{Host: testHost, Endpoints: []Endpoint{ep}}, creds)
	if err != nil {
		t.Fatal(err)
	}
	return rep.Endpoints[0]
}

func codes(r EndpointReport) []string {
	var cs []string
	for _, p := range r.Problems {
		cs = append(cs, p.Code)
	}
	return cs
}

func wantResult(t *testing.T, r EndpointReport, status Status, wantCodes ...string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("status = %s, want %s; problems: %+v", r.Status, status, r.Problems)
	}
	for _, c := range wantCodes {
		if !r.Has(c) {
			t.Errorf("no %s problem; got %v", c, codes(r))
		}
	}
}

func TestIMAPGoodServers(t *testing.T) {
	p := testPKI(t)
	implicit := startIMAP(t, p.good, true)
	starttls := startIMAP(t, p.good, false)

	r := checkOne(t, Endpoint{Protocol: IMAP, Port: implicit, Security: ImplicitTLS}, nil)
	wantResult(t, r, StatusOK)
	if r.TLS == nil || r.TLS.Version != "TLS 1.3" || !r.TLS.Cert.Verified || r.TLS.Cert.DaysLeft < 300 {
		t.Errorf("tls = %+v", r.TLS)
	}
	if !r.Push || !slices.Contains(r.AuthMechanisms, "PLAIN") {
		t.Errorf("push = %v, mechanisms = %v", r.Push, r.AuthMechanisms)
	}

	r = checkOne(t, Endpoint{Protocol: IMAP, Port: starttls, Security: StartTLS}, nil)
	wantResult(t, r, StatusOK)
	if !slices.Contains(r.CapabilitiesBeforeTLS, "STARTTLS") || !slices.Contains(r.CapabilitiesBeforeTLS, "LOGINDISABLED") {
		t.Errorf("capabilities before TLS = %v", r.CapabilitiesBeforeTLS)
	}
	if slices.Contains(r.Capabilities, "STARTTLS") || slices.Contains(r.Capabilities, "LOGINDISABLED") {
		t.Errorf("capabilities after TLS = %v", r.Capabilities)
	}
}

func TestIMAPLogin(t *testing.T) {
	p := testPKI(t)
	for _, implicit := range []bool{true, false} {
		port := startIMAP(t, p.good, implicit)
		sec := StartTLS
		if implicit {
			sec = ImplicitTLS
		}
		ep := Endpoint{Protocol: IMAP, Port: port, Security: sec}
		r := checkOne(t, ep, &Credentials{Username: "alice@mail.test", Password: "secret"})
		wantResult(t, r, StatusOK)
		if r.Auth == nil || !r.Auth.OK {
			t.Errorf("%s: auth = %+v, problems %v", sec, r.Auth, codes(r))
		}
		r = checkOne(t, ep, &Credentials{Username: "alice@mail.test", Password: "wrong"})
		wantResult(t, r, StatusFail, CodeAuthFailed)
	}
	// A bad certificate: the password is never sent.
	port := startIMAP(t, p.selfSig, true)
	r := checkOne(t, Endpoint{Protocol: IMAP, Port: port, Security: ImplicitTLS}, &Credentials{Username: "alice@mail.test", Password: "secret"})
	wantResult(t, r, StatusFail, CodeCertUntrusted, CodeAuthSkipped)
	if r.Auth != nil {
		t.Errorf("a login was attempted over an untrusted certificate")
	}
}

func TestCertificates(t *testing.T) {
	p := testPKI(t)
	tests := []struct {
		name string
		cert func() *pkiLeaf
		code string
	}{
		{"expired", func() *pkiLeaf { return p.expired }, CodeCertExpired},
		{"not yet valid", func() *pkiLeaf { return p.future }, CodeCertNotYetValid},
		{"wrong name", func() *pkiLeaf { return p.wrong }, CodeCertHostname},
		{"self-signed", func() *pkiLeaf { return p.selfSig }, CodeCertUntrusted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			port := startIMAP(t, tc.cert(), true)
			r := checkOne(t, Endpoint{Protocol: IMAP, Port: port, Security: ImplicitTLS}, nil)
			wantResult(t, r, StatusFail, tc.code)
			if r.TLS == nil || r.TLS.Cert == nil || r.TLS.Cert.Verified || r.TLS.Cert.Error == "" {
				t.Errorf("cert = %+v", r.TLS)
			}
			if len(r.Problems) != 1 {
				t.Errorf("want exactly %s, got %v", tc.code, codes(r))
			}
		})
	}
}

// TestHostileIMAP runs scripted servers that misbehave; each must get its
// verdict within the budget.
func TestHostileIMAP(t *testing.T) {
	p := testPKI(t)
	huge := "* OK [CAPABILITY IMAP4rev1" + strings.Repeat(" X-PADDING", 1<<20) + "] hi\r\n"
	tests := []struct {
		name   string
		sec    Security
		handle func(c net.Conn)
		status Status
		codes  []string
	}{
		{"tarpit: never greets", StartTLS, func(c net.Conn) { time.Sleep(3 * time.Second) }, StatusFail, []string{CodeTimeout}},
		{"endless line", StartTLS, func(c net.Conn) {
			buf := []byte(strings.Repeat("A", 4096))
			for {
				if _, err := c.Write(buf); err != nil {
					return
				}
			}
		}, StatusFail, []string{CodeProtocol}},
		{"10 MB capability list", StartTLS, func(c net.Conn) {
			for range 10 {
				if _, err := c.Write([]byte(huge)); err != nil {
					return
				}
			}
		}, StatusFail, []string{CodeProtocol}},
		{"garbage", StartTLS, func(c net.Conn) { c.Write([]byte("\x16\x03\x01garbage\r\n")) }, StatusFail, []string{CodeProtocol}},
		{"closes at once", StartTLS, func(c net.Conn) {}, StatusFail, []string{CodeProtocol}},
		{"BYE", StartTLS, func(c net.Conn) { c.Write([]byte("* BYE too many connections\r\n")) }, StatusFail, []string{CodeGreetingRejected}},
		{"no STARTTLS", StartTLS, func(c net.Conn) {
			c.Write([]byte("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n"))
			time.Sleep(time.Second)
		}, StatusFail, []string{CodeSTARTTLSMissing}},
		{"slow greeting", ImplicitTLS, nil, StatusWarn, []string{CodeSlowGreeting}},
		{"plaintext injected after STARTTLS", StartTLS, nil, StatusFail, []string{CodeSTARTTLSInjection}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			handle := tc.handle
			switch tc.name {
			case "slow greeting":
				handle = imapScript(p.good, true, 500*time.Millisecond, "")
			case "plaintext injected after STARTTLS":
				handle = imapScript(p.good, false, 0, "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n")
			}
			port := script(t, handle)
			start := time.Now()
			r := checkOne(t, Endpoint{Protocol: IMAP, Port: port, Security: tc.sec}, nil)
			if d := time.Since(start); d > 4*time.Second+time.Second {
				t.Errorf("took %s, over the budget", d)
			}
			wantResult(t, r, tc.status, tc.codes...)
		})
	}
}

// imapScript is a minimal well-behaved IMAP server, with an optional
// greeting delay and optional plaintext injected after STARTTLS.
func imapScript(cert *pkiLeaf, implicit bool, delay time.Duration, inject string) func(net.Conn) {
	return func(c net.Conn) {
		cfg := tlsConfig(cert)
		if implicit {
			tc := tlsServer(c, cfg)
			if tc.Handshake() != nil {
				return
			}
			c = tc
		}
		time.Sleep(delay)
		caps := "IMAP4rev1 IDLE AUTH=PLAIN"
		if !implicit {
			caps = "IMAP4rev1 STARTTLS LOGINDISABLED"
		}
		c.Write([]byte("* OK [CAPABILITY " + caps + "] ready\r\n"))
		r := newLineReader(c)
		for {
			line, err := r()
			if err != nil {
				return
			}
			tag, cmd, _ := strings.Cut(line, " ")
			switch strings.ToUpper(cmd) {
			case "STARTTLS":
				c.Write([]byte(tag + " OK begin TLS\r\n" + inject))
				tc := tlsServer(c, cfg)
				if tc.Handshake() != nil {
					return
				}
				c, r, caps = tc, newLineReader(tc), "IMAP4rev1 IDLE AUTH=PLAIN"
			case "CAPABILITY":
				c.Write([]byte("* CAPABILITY " + caps + "\r\n" + tag + " OK done\r\n"))
			case "LOGOUT":
				c.Write([]byte("* BYE\r\n" + tag + " OK bye\r\n"))
				return
			default:
				c.Write([]byte(tag + " BAD what\r\n"))
			}
		}
	}
}

func TestSMTP(t *testing.T) {
	p := testPKI(t)
	alice := &Credentials{Username: "alice@mail.test", Password: "secret"}
	tests := []struct {
		name   string
		srv    smtpServer
		sec    Security
		sub    bool
		creds  *Credentials
		status Status
		codes  []string
	}{
		{"submission with STARTTLS", smtpServer{}, StartTLS, true, nil, StatusOK, nil},
		{"implicit TLS", smtpServer{implicit: true}, ImplicitTLS, true, nil, StatusOK, nil},
		{"login", smtpServer{}, StartTLS, true, alice, StatusOK, nil},
		{"wrong password", smtpServer{}, StartTLS, true, &Credentials{Username: "alice@mail.test", Password: "x"}, StatusFail, []string{CodeAuthFailed}},
		{"port 25 without AUTH is expected", smtpServer{noAuth: true}, OptionalTLS, false, nil, StatusOK, []string{CodeNoAuth}},
		{"port 25 without STARTTLS", smtpServer{noSTARTTLS: true, noAuth: true}, OptionalTLS, false, nil, StatusWarn, []string{CodeSTARTTLSMissing}},
		{"submission without AUTH", smtpServer{noAuth: true}, StartTLS, true, nil, StatusFail, []string{CodeNoAuth}},
		{"submission without STARTTLS", smtpServer{noSTARTTLS: true}, StartTLS, true, nil, StatusFail, []string{CodeSTARTTLSMissing}},
		{"AUTH before TLS", smtpServer{authBeforeTLS: true}, StartTLS, true, nil, StatusWarn, []string{CodePlaintextAuth}},
		{"plaintext injected after STARTTLS", smtpServer{inject: "250-AUTH PLAIN\r\n"}, StartTLS, true, nil, StatusFail, []string{CodeSTARTTLSInjection}},
		{"rejecting banner", smtpServer{banner: "554 go away"}, StartTLS, true, nil, StatusFail, []string{CodeGreetingRejected}},
		{"garbage banner", smtpServer{banner: "HTTP/1.1 400 Bad Request"}, StartTLS, true, nil, StatusFail, []string{CodeProtocol}},
		{"endless multi-line banner", smtpServer{banner: strings.Repeat("220-still greeting\r\n", 5000) + "220 done"}, StartTLS, true, nil, StatusFail, []string{CodeProtocol}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.srv.cert = p.good
			port := tc.srv.start(t)
			r := checkOne(t, Endpoint{Protocol: SMTP, Port: port, Security: tc.sec, Submission: tc.sub}, tc.creds)
			wantResult(t, r, tc.status, tc.codes...)
			if tc.creds == alice && (r.Auth == nil || !r.Auth.OK) {
				t.Errorf("auth = %+v", r.Auth)
			}
			if tc.name == "submission with STARTTLS" && (r.SizeLimit != 10240000 || !slices.Contains(r.AuthMechanisms, "PLAIN")) {
				t.Errorf("size = %d, auth = %v", r.SizeLimit, r.AuthMechanisms)
			}
		})
	}
}

func TestSMTPTarpit(t *testing.T) {
	port := script(t, func(c net.Conn) {
		c.Write([]byte("220-hello\r\n"))
		time.Sleep(3 * time.Second) // never finishes its greeting
	})
	start := time.Now()
	r := checkOne(t, Endpoint{Protocol: SMTP, Port: port, Security: StartTLS, Submission: true}, nil)
	wantResult(t, r, StatusFail, CodeTimeout)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s; the step timeout is 700 ms", d)
	}
}

func TestConnectFailures(t *testing.T) {
	ln, port := listen(t)
	ln.Close() // nothing listens there now
	r := checkOne(t, Endpoint{Protocol: IMAP, Port: port, Security: ImplicitTLS}, nil)
	wantResult(t, r, StatusFail, CodeRefused)

	c := New(Options{Policy: &Policy{Allowed: []string{"nowhere.test"}, Resolver: staticResolver{}}})
	rep, err := c.Check(context.Background(), Target{Host: "nowhere.test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Verdict != StatusFail || !rep.Endpoints[0].Has(CodeDNS) {
		t.Errorf("verdict %s, problems %v", rep.Verdict, codes(rep.Endpoints[0]))
	}
}

func TestWholeCheck(t *testing.T) {
	eps := startAll(t)
	imaps, sub := eps[0].Port, eps[2].Port
	c := newTestChecker(t, ports(eps)...)
	rep, err := c.Check(context.Background(), Target{Host: testHost, Endpoints: eps}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Verdict != StatusOK || rep.Recommended.Incoming.Port != imaps || rep.Recommended.Outgoing.Port != sub || !rep.Recommended.Push {
		t.Errorf("verdict %s, recommended %+v", rep.Verdict, rep.Recommended)
	}
}

func TestVerdict(t *testing.T) {
	ep := func(p Protocol, port int, sub bool, st Status) EndpointReport {
		return EndpointReport{Endpoint: Endpoint{Protocol: p, Port: port, Submission: sub}, Status: st}
	}
	tests := []struct {
		name    string
		eps     []EndpointReport
		want    Status
		in, out int
	}{
		{"all ok", []EndpointReport{ep(IMAP, 993, false, StatusOK), ep(IMAP, 143, false, StatusOK), ep(SMTP, 587, true, StatusOK), ep(SMTP, 25, false, StatusFail)}, StatusOK, 993, 587},
		{"fallback is a warning", []EndpointReport{ep(IMAP, 993, false, StatusFail), ep(IMAP, 143, false, StatusOK), ep(SMTP, 587, true, StatusOK)}, StatusWarn, 143, 587},
		{"warned endpoint", []EndpointReport{ep(IMAP, 993, false, StatusWarn), ep(SMTP, 587, true, StatusOK)}, StatusWarn, 993, 587},
		{"no incoming", []EndpointReport{ep(IMAP, 993, false, StatusFail), ep(SMTP, 587, true, StatusOK)}, StatusFail, 0, 587},
		{"no submission", []EndpointReport{ep(IMAP, 993, false, StatusOK), ep(SMTP, 587, true, StatusFail), ep(SMTP, 25, false, StatusOK)}, StatusFail, 993, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, rec := verdict(tc.eps)
			port := func(e *Endpoint) int {
				if e == nil {
					return 0
				}
				return e.Port
			}
			if got != tc.want || port(rec.Incoming) != tc.in || port(rec.Outgoing) != tc.out {
				t.Errorf("verdict %s in %d out %d; want %s %d %d", got, port(rec.Incoming), port(rec.Outgoing), tc.want, tc.in, tc.out)
			}
		})
	}
}

func TestPolicyRefusals(t *testing.T) {
	c := New(Options{Policy: &Policy{Allowed: []string{"bm.domaine.com"}}})
	_, err := c.Check(context.Background(), Target{Host: "evil.example"}, nil)
	var pe *PolicyError
	if !errors.As(err, &pe) || pe.Code != "not_allowed" || !errors.Is(err, ErrPolicy) {
		t.Errorf("err = %v", err)
	}
	_, err = c.Check(context.Background(), Target{Host: "bm.domaine.com", Endpoints: []Endpoint{{Protocol: SMTP, Port: 22}}}, nil)
	if !errors.As(err, &pe) || pe.Code != "port" {
		t.Errorf("port 22: err = %v", err)
	}
}
