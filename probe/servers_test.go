package probe

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/mailhelp/mailhelp/internal/testpki"
)

// testHost is the name the tests' servers answer to; it resolves to
// 127.0.0.1 through staticResolver.
const testHost = "mail.test"

type staticResolver map[string][]netip.Addr

func (r staticResolver) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	if a, ok := r[host]; ok {
		return a, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

var loopback = []netip.Addr{netip.MustParseAddr("127.0.0.1")}

// pki is shared by the tests: one CA and certificates for testHost.
type pki struct {
	ca                                    *testpki.CA
	good, expired, future, wrong, selfSig *testpki.Leaf
}

var (
	pkiOnce sync.Once
	pkiVal  *pki
)

func testPKI(t testing.TB) *pki {
	t.Helper()
	pkiOnce.Do(func() {
		ca, err := testpki.NewCA()
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		p := &pki{ca: ca}
		mk := func(names []string, from, to time.Time, self bool) *testpki.Leaf {
			l, err := ca.Issue(names, from, to, self)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		p.good = mk([]string{testHost}, now.Add(-time.Hour), now.AddDate(1, 0, 0), false)
		p.expired = mk([]string{testHost}, now.AddDate(-1, 0, 0), now.AddDate(0, 0, -3), false)
		p.future = mk([]string{testHost}, now.AddDate(0, 0, 3), now.AddDate(1, 0, 0), false)
		p.wrong = mk([]string{"other.test"}, now.Add(-time.Hour), now.AddDate(1, 0, 0), false)
		p.selfSig = mk([]string{testHost}, now.Add(-time.Hour), now.AddDate(1, 0, 0), true)
		pkiVal = p
	})
	if pkiVal == nil {
		t.Fatal("test PKI unavailable")
	}
	return pkiVal
}

// newTestChecker trusts the test CA, resolves testHost to loopback and
// allows any port, with short budgets.
func newTestChecker(t testing.TB, ports ...int) *Checker {
	return New(Options{
		Policy: &Policy{
			Allowed:  []string{testHost},
			Resolver: staticResolver{testHost: loopback},
			Ports:    ports,
		},
		Roots:        testPKI(t).ca.Pool(),
		Budget:       4 * time.Second,
		StepTimeout:  700 * time.Millisecond,
		SlowGreeting: 300 * time.Millisecond,
		MaxLineBytes: 8 << 10,
		MaxConnBytes: 64 << 10,
	})
}

func listen(t testing.TB) (net.Listener, int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln, ln.Addr().(*net.TCPAddr).Port
}

// startIMAP runs go-imap's server with an in-memory backend holding user
// alice (password "secret"). implicit wraps the listener in TLS;
// otherwise STARTTLS is offered with cert.
func startIMAP(t testing.TB, cert *testpki.Leaf, implicit bool) int {
	t.Helper()
	mem := imapmemserver.New()
	u := imapmemserver.NewUser("alice@mail.test", "secret")
	if err := u.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(u)
	tcfg := &tls.Config{Certificates: []tls.Certificate{cert.TLS}}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:      imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}, imap.CapIdle: {}, imap.CapSASLIR: {}},
		TLSConfig: tcfg,
		Logger:    discardLogger{},
	})
	ln, port := listen(t)
	if implicit {
		ln = tls.NewListener(ln, tcfg)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return port
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}

// script runs handle for each connection.
func script(t testing.TB, handle func(c net.Conn)) int {
	t.Helper()
	ln, port := listen(t)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				handle(c)
			}()
		}
	}()
	return port
}

// smtpServer is a scripted SMTP server, configurable into the faults the
// probe must recognize.
type smtpServer struct {
	cert          *testpki.Leaf
	implicit      bool   // TLS from the first byte (465)
	noSTARTTLS    bool   // do not offer STARTTLS
	authBeforeTLS bool   // offer AUTH in plaintext
	noAuth        bool   // never offer AUTH
	inject        string // plaintext sent right after "220 go ahead"
	banner        string // default "220 mail.test ESMTP"
}

func (s smtpServer) start(t testing.TB) int {
	t.Helper()
	tcfg := &tls.Config{Certificates: []tls.Certificate{s.cert.TLS}}
	return script(t, func(c net.Conn) {
		if s.implicit {
			c = tls.Server(c, tcfg)
		}
		secure := s.implicit
		br := bufio.NewReader(c)
		say := func(lines ...string) { _, _ = c.Write([]byte(strings.Join(lines, "\r\n") + "\r\n")) }
		banner := s.banner
		if banner == "" {
			banner = "220 mail.test ESMTP test"
		}
		say(banner)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			cmd := strings.ToUpper(strings.TrimSpace(line))
			switch {
			case strings.HasPrefix(cmd, "EHLO"):
				ext := []string{"250-mail.test", "250-SIZE 10240000", "250-PIPELINING"}
				if !secure && !s.noSTARTTLS {
					ext = append(ext, "250-STARTTLS")
				}
				if !s.noAuth && (secure || s.authBeforeTLS) {
					ext = append(ext, "250-AUTH PLAIN LOGIN")
				}
				ext = append(ext, "250 8BITMIME")
				say(ext...)
			case cmd == "STARTTLS" && !secure && !s.noSTARTTLS:
				if s.inject != "" {
					_, _ = c.Write([]byte("220 go ahead\r\n" + s.inject))
				} else {
					say("220 go ahead")
				}
				tc := tls.Server(c, tcfg)
				if tc.Handshake() != nil {
					return
				}
				c, br, secure = tc, bufio.NewReader(tc), true
			case strings.HasPrefix(cmd, "AUTH PLAIN "):
				raw, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(line)[len("AUTH PLAIN "):])
				if string(raw) == "\x00alice@mail.test\x00secret" {
					say("235 2.7.0 Authentication successful")
				} else {
					say("535 5.7.8 Authentication credentials invalid")
				}
			case cmd == "QUIT":
				say("221 bye")
				return
			default:
				say("502 5.5.2 not implemented")
			}
		}
	})
}

type pkiLeaf = testpki.Leaf

func tlsConfig(l *testpki.Leaf) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{l.TLS}}
}

func tlsServer(c net.Conn, cfg *tls.Config) *tls.Conn { return tls.Server(c, cfg) }

// newLineReader reads CRLF lines from c without buffering past them, so
// a STARTTLS switch sees every byte.
func newLineReader(c net.Conn) func() (string, error) {
	return func() (string, error) {
		var b []byte
		one := make([]byte, 1)
		for {
			if _, err := c.Read(one); err != nil {
				return "", err
			}
			if one[0] == '\n' {
				return strings.TrimSuffix(string(b), "\r"), nil
			}
			b = append(b, one[0])
		}
	}
}

// startAll starts the five servers of a healthy mail host and returns
// their endpoints in DefaultEndpoints order.
func startAll(t testing.TB) []Endpoint {
	t.Helper()
	p := testPKI(t)
	return []Endpoint{
		{Protocol: IMAP, Port: startIMAP(t, p.good, true), Security: ImplicitTLS},
		{Protocol: IMAP, Port: startIMAP(t, p.good, false), Security: StartTLS},
		{Protocol: SMTP, Port: smtpServer{cert: p.good}.start(t), Security: StartTLS, Submission: true},
		{Protocol: SMTP, Port: smtpServer{cert: p.good, implicit: true}.start(t), Security: ImplicitTLS, Submission: true},
		{Protocol: SMTP, Port: smtpServer{cert: p.good, noAuth: true}.start(t), Security: OptionalTLS},
	}
}

func ports(eps []Endpoint) []int {
	var ps []int
	for _, e := range eps {
		ps = append(ps, e.Port)
	}
	return ps
}
