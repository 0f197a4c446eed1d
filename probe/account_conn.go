package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// accountConnBytes is what one connection of the account test may read
// at least (MaxConnBytes when larger): a LIST of a big mailbox and a few
// commands fit, an endless stream does not.
const accountConnBytes = 1 << 20

// acctConn is the connection imapclient speaks over: the probe's TLS
// connection (itself over a budgetConn, which bounds the bytes read),
// with the probe's deadlines instead of imapclient's own (30 s per
// response, none while idle, 5 min per literal).
//
// Between commands (and while an IDLE session waits for news, which the
// account test bounds with its own timer) a read may wait until life, the
// connection's hard limit: the account test's budget plus its clean-up.
// During a command, run arms a step deadline: StepTimeout, never past the
// step's context. A read that reaches its deadline fails, which makes
// imapclient close the connection and fail every pending command:
// nothing imapclient waits for outlives the deadline. Each write is
// bounded by StepTimeout too.
type acctConn struct {
	net.Conn // the TLS connection
	step     time.Duration
	// pre is handed to imapclient before anything read: after the probe's
	// own STARTTLS, a greeting for imapclient to start from.
	pre []byte

	mu    sync.Mutex
	life  time.Time
	armed time.Time // the current step's deadline; zero between steps
	gen   uint64    // counts arm and disarm, so a late cancel hits only its own step
	err   error     // the first read or write error
}

func (c *acctConn) Read(p []byte) (int, error) {
	if len(c.pre) > 0 { // only imapclient's reading goroutine reads
		n := copy(p, c.pre)
		c.pre = c.pre[n:]
		return n, nil
	}
	n, err := c.Conn.Read(p)
	if err != nil {
		c.failed(err)
	}
	return n, err
}

func (c *acctConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	dl := earliest(c.life, time.Now().Add(c.step), c.armed)
	c.mu.Unlock()
	_ = c.Conn.SetWriteDeadline(dl)
	n, err := c.Conn.Write(p)
	if err != nil {
		c.failed(err)
	}
	return n, err
}

// SetDeadline, SetReadDeadline and SetWriteDeadline ignore imapclient's
// own timeouts: the probe's replace them.
func (c *acctConn) SetDeadline(time.Time) error      { return nil }
func (c *acctConn) SetReadDeadline(time.Time) error  { return nil }
func (c *acctConn) SetWriteDeadline(time.Time) error { return nil }

func (c *acctConn) failed(err error) {
	c.mu.Lock()
	if c.err == nil {
		c.err = err
	}
	c.mu.Unlock()
}

// cause is the first read or write error, if any.
func (c *acctConn) cause() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// arm bounds reads by dl until disarm; it returns the step's generation.
func (c *acctConn) arm(dl time.Time) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.armed = dl
	c.apply()
	return c.gen
}

// expire ends step gen at once (its context was cancelled).
func (c *acctConn) expire(gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		c.armed = time.Now()
		c.apply()
	}
}

func (c *acctConn) disarm() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.armed = time.Time{}
	c.apply()
}

// setLife moves the hard limit (for the clean-up, which has its own).
func (c *acctConn) setLife(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.life = t
	c.apply()
}

func (c *acctConn) apply() { _ = c.Conn.SetReadDeadline(earliest(c.life, c.armed)) }

// earliest is the earliest of the non-zero times.
func earliest(ts ...time.Time) time.Time {
	var e time.Time
	for _, t := range ts {
		if !t.IsZero() && (e.IsZero() || t.Before(e)) {
			e = t
		}
	}
	return e
}

// imapConn is one imapclient session of the account test.
type imapConn struct {
	c    *Checker
	conn *acctConn
	cl   *imapclient.Client
	ep   Endpoint
	// addr is the address connected to.
	addr netip.Addr
	// caps are the capabilities after login.
	caps imap.CapSet
	// secret is the password, scrubbed from the server's words.
	secret string
}

// errNoTime: the budget ran out before a step could start.
var errNoTime = fmt.Errorf("the time budget ran out: %w", context.DeadlineExceeded)

// run runs one step: fn issues imapclient commands and waits for them,
// reads bounded by d (and ctx). When the deadline passes, the connection
// fails and so does fn.
func (s *imapConn) run(ctx context.Context, d time.Duration, fn func() error) error {
	if ctx.Err() != nil {
		return errNoTime
	}
	dl := time.Now().Add(d)
	if cdl, ok := ctx.Deadline(); ok && cdl.Before(dl) {
		dl = cdl
	}
	gen := s.conn.arm(dl)
	stop := context.AfterFunc(ctx, func() { s.conn.expire(gen) })
	err := fn()
	stop()
	s.conn.disarm()
	return err
}

// step runs fn bounded by StepTimeout.
func (s *imapConn) step(ctx context.Context, fn func() error) error {
	return s.run(ctx, s.c.opts.StepTimeout, fn)
}

// alive says whether the session can still take commands.
func (s *imapConn) alive() bool {
	if s == nil || s.conn.cause() != nil {
		return false
	}
	select {
	case <-s.cl.Closed():
		return false
	default:
		return s.cl.State() != imap.ConnStateLogout
	}
}

// close ends the session at once; imapclient's goroutines end with it.
func (s *imapConn) close() {
	if s != nil {
		_ = s.cl.Close()
	}
}

// logout says goodbye (briefly) and closes.
func (s *imapConn) logout(ctx context.Context) {
	if s == nil {
		return
	}
	if s.alive() {
		_ = s.run(ctx, min(s.c.opts.StepTimeout, time.Second), func() error { return s.cl.Logout().Wait() })
	}
	s.close()
}

// failure names what went wrong in step: the server's refusal, or what
// became of the connection (imapclient reports connection errors as
// text, so the connection keeps their cause).
func (s *imapConn) failure(step string, err error) Problem {
	var ie *imap.Error
	if errors.As(err, &ie) {
		return problem(CodeProtocol, "%s: the server answered %s", step, describeIMAPError(ie, s.secret))
	}
	if errors.Is(err, errNoTime) {
		return problem(CodeTimeout, "the time budget ran out before the %s", step)
	}
	cause := s.conn.cause()
	if cause == nil {
		cause = err
	}
	return connFailure(step, cause, s.secret)
}

// connFailure names a failed read or write; secret is scrubbed from the
// error's text.
func connFailure(step string, cause error, secret string) Problem {
	switch {
	case isTimeout(cause):
		return problem(CodeTimeout, "no answer to the %s in time", step)
	case errors.Is(cause, errBudget):
		return problem(CodeProtocol, "%s: the server sent too much (%v)", step, cause)
	case errors.Is(cause, io.EOF), errors.Is(cause, io.ErrUnexpectedEOF), errors.Is(cause, net.ErrClosed):
		return problem(CodeProtocol, "the server closed the connection during the %s", step)
	default:
		return problem(CodeProtocol, "%s: %s", step, clean(scrub(cause.Error(), secret), maxBanner))
	}
}

// describeIMAPError renders a tagged NO or BAD from the server
// (untrusted text, cleaned and clipped, without secret).
func describeIMAPError(e *imap.Error, secret string) string {
	s := string(e.Type)
	if e.Code != "" {
		s += " [" + clean(scrub(string(e.Code), secret), maxCapLen) + "]"
	}
	if t := clean(scrub(e.Text, secret), maxBanner); t != "" {
		s += " " + t
	}
	return s
}

// clean makes server text fit for a report: control characters replaced,
// at most n bytes.
func clean(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return '?'
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
	return truncate(strings.TrimSpace(s), n)
}

// openIMAP connects to the IMAP endpoint ep of host at one of addrs (the
// addresses the policy checked), sets up TLS the probe's way — its own
// STARTTLS, with the plaintext-injection check, and its own certificate
// verification — and starts an imapclient session over the result. No
// session is returned on a connection whose certificate is not valid for
// host: the password, secret, is never sent there (nor reported: a server
// that learnt it in an earlier session could echo it).
func (c *Checker) openIMAP(ctx context.Context, life time.Time, host string, addrs []netip.Addr, ep Endpoint, secret string, h *imapclient.UnilateralDataHandler) (*imapConn, []Problem) {
	r := &EndpointReport{Endpoint: ep}
	conn, err := c.dial(ctx, addrs, r)
	if err != nil {
		return nil, []Problem{connectProblem(err)}
	}
	bc := &budgetConn{Conn: conn, left: max(c.opts.MaxConnBytes, accountConnBytes)}
	s := &session{c: c, ctx: ctx, host: host, rep: r, raw: bc, creds: &Credentials{}}
	var ok bool
	if ep.Security == ImplicitTLS {
		ok = s.startTLS(false)
	} else {
		ok = s.imapAccountSTARTTLS()
	}
	if !ok || !s.canLogin() {
		conn.Close()
		probs := failures(r.Problems)
		for i := range probs {
			probs[i].Detail = scrub(probs[i].Detail, secret)
		}
		return nil, probs
	}
	ac := &acctConn{Conn: s.w.conn, step: c.opts.StepTimeout, life: life}
	if ep.Security != ImplicitTLS {
		// The greeting came before STARTTLS; imapclient starts from one,
		// without capabilities, so it asks for them over TLS.
		ac.pre = []byte("* OK TLS is set up\r\n")
	}
	ac.apply()
	ic := &imapConn{c: c, conn: ac, ep: ep, secret: secret, addr: remoteAddr(conn)}
	ic.cl = imapclient.New(ac, &imapclient.Options{UnilateralDataHandler: h, DebugWriter: nil})
	if err := ic.step(ctx, ic.cl.WaitGreeting); err != nil {
		ic.close()
		var ie *imap.Error
		if errors.As(err, &ie) {
			return nil, []Problem{problem(CodeGreetingRejected, "the server said %s", describeIMAPError(ie, secret))}
		}
		return nil, []Problem{ic.failure("greeting", err)}
	}
	return ic, nil
}

// remoteAddr is the IP address conn is connected to; the zero Addr when
// not TCP.
func remoteAddr(conn net.Conn) netip.Addr {
	if ta, ok := conn.RemoteAddr().(*net.TCPAddr); ok {
		return ta.AddrPort().Addr().Unmap()
	}
	return netip.Addr{}
}

// imapAccountSTARTTLS runs the plaintext part of a STARTTLS endpoint with
// the probe's own wire code (bounded lines, injected plaintext detected
// and refused), then the TLS handshake.
func (s *session) imapAccountSTARTTLS() bool {
	s.plain()
	var g imapGreeting
	if !s.greeting(func() error {
		line, err := s.w.readLine()
		if err != nil {
			return err
		}
		g, err = parseIMAPGreeting(line)
		return err
	}) {
		return false
	}
	if g.status != "OK" {
		s.rep.add(problem(CodeGreetingRejected, "the server greeted with %s: %s", g.status, g.text))
		return false
	}
	caps := g.caps
	if caps == nil {
		var ok bool
		if caps, ok = s.imapCapability("a1"); !ok {
			return false
		}
	}
	if !contains(caps, "STARTTLS") {
		s.rep.add(problem(CodeSTARTTLSMissing, "STARTTLS is not offered, so the password would travel in clear"))
		return false
	}
	st, ok := s.imapCommand("a2", "STARTTLS")
	if !ok {
		return false
	}
	if st != "OK" {
		s.rep.add(problem(CodeSTARTTLSMissing, "the server refused STARTTLS (%s)", st))
		return false
	}
	s.injected()
	if s.rep.Has(CodeSTARTTLSInjection) {
		return false
	}
	return s.startTLS(true)
}

// failures keeps the problems that stopped a connection, and why the
// password was not sent (warnings such as a certificate expiring soon are
// the endpoint checks' business).
func failures(probs []Problem) []Problem {
	var out []Problem
	for _, p := range probs {
		if p.Severity == SeverityFail || p.Code == CodeAuthSkipped {
			out = append(out, p)
		}
	}
	if len(out) == 0 && len(probs) > 0 {
		out = append(out, probs[len(probs)-1])
	}
	return out
}
