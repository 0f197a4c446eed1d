package probe

import (
	"context"
	"errors"
	"io"
	"net"
	"time"
)

// session is one endpoint's conversation with the server.
type session struct {
	c     *Checker
	ctx   context.Context
	host  string
	rep   *EndpointReport
	raw   net.Conn // the budgeted TCP connection
	w     *wire    // plaintext or TLS, whichever is current
	creds *Credentials
	// verified is set when the certificate is valid for host: only then
	// may a password be sent.
	verified bool
}

// stepDeadline bounds the next step by StepTimeout and the check budget.
func (s *session) stepDeadline() {
	dl := time.Now().Add(s.c.opts.StepTimeout)
	if cdl, ok := s.ctx.Deadline(); ok && cdl.Before(dl) {
		dl = cdl
	}
	_ = s.raw.SetDeadline(dl)
}

// plain starts the conversation in plaintext.
func (s *session) plain() { s.w = newWire(s.raw, s.c.opts.MaxLineBytes) }

// startTLS runs the handshake on the raw connection and switches the
// conversation to it. Anything the plaintext reader still held has been
// dropped by the caller. It reports false when the handshake failed.
func (s *session) startTLS(afterSTARTTLS bool) bool {
	s.stepDeadline()
	t0 := time.Now()
	tc, info, probs, err := s.c.handshake(s.ctx, s.raw, s.host)
	s.rep.Timings.TLS = time.Since(t0).Milliseconds()
	if err != nil {
		s.rep.add(tlsProblem(err, afterSTARTTLS))
		return false
	}
	s.rep.TLS = info
	for _, p := range probs {
		s.rep.add(p)
	}
	s.verified = info.Cert != nil && info.Cert.Verified
	s.w = newWire(tc, s.c.opts.MaxLineBytes)
	return true
}

// greeting reads the server's first line, timing it.
func (s *session) greeting(read func() error) bool {
	s.stepDeadline()
	t0 := time.Now()
	err := read()
	d := time.Since(t0)
	s.rep.Timings.Greeting = d.Milliseconds()
	if err != nil {
		s.readFailed("greeting", err)
		return false
	}
	if d > s.c.opts.SlowGreeting {
		s.rep.add(problem(CodeSlowGreeting, "the greeting took %s", d.Round(time.Millisecond)))
	}
	return true
}

// readFailed turns an error while waiting for the server into a problem.
func (s *session) readFailed(step string, err error) {
	switch {
	case isTimeout(err):
		s.rep.add(problem(CodeTimeout, "no %s from the server in time", step))
	case errors.Is(err, errLineTooLong), errors.Is(err, errBudget):
		s.rep.add(problem(CodeProtocol, "%s: %v", step, err))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		s.rep.add(problem(CodeProtocol, "the server closed the connection during the %s", step))
	case errors.Is(err, errSyntax):
		s.rep.add(problem(CodeProtocol, "%s: the server's answer is not %s", step, s.rep.Protocol))
	default:
		s.rep.add(problem(CodeProtocol, "%s: %v", step, err))
	}
}

// injected reports plaintext sent after a STARTTLS go-ahead, which is
// dropped, never read as part of the encrypted conversation.
func (s *session) injected() {
	if b := s.w.buffered(); b != nil {
		s.rep.add(problem(CodeSTARTTLSInjection, "the server sent %q in plaintext after accepting STARTTLS; it was discarded", b))
	}
}

// canLogin says whether the optional login may run: credentials given and
// a certificate valid for the host (never send a password otherwise).
func (s *session) canLogin() bool {
	if s.creds == nil {
		return false
	}
	if !s.verified {
		s.rep.add(problem(CodeAuthSkipped, "the certificate is not valid for %s, so the password was not sent", s.host))
		return false
	}
	return true
}

func (s *session) timeStep(dst *int64) func() {
	t0 := time.Now()
	return func() { *dst += time.Since(t0).Milliseconds() }
}
