package probe

import (
	"bytes"
	"strings"
	"time"
)

// The round trip submits its message with the probe's own SMTP code
// (session, wire), not github.com/emersion/go-smtp: the probe's wire
// bounds every line (MaxLineBytes) and every reply (maxReplyLen lines)
// and the connection's bytes (budgetConn), detects plaintext injected
// after STARTTLS, and judges the certificate itself before any password
// is sent — the same code, already tested against hostile servers, that
// the endpoint checks run. go-smtp reads replies through net/textproto,
// whose lines have no length limit, would need its TLS set up and its
// deadlines driven from outside, and would be a new dependency for four
// commands (MAIL, RCPT, DATA, QUIT) after the login the probe already
// does.

// submit sends msg from the user to the user over the recommended
// submission endpoint: the probe's TLS and login, then MAIL FROM, RCPT
// TO and DATA. It returns when the server accepted the message's end.
func (r *accountRun) submit(rt *RoundTripReport, msg []byte) (time.Time, bool) {
	const step = "submission"
	rep := &EndpointReport{Endpoint: rt.Endpoint}
	conn, err := r.c.dial(r.ctx, r.outAddrs, rep)
	if err != nil {
		r.add(prefixed(step, []Problem{connectProblem(err)})...)
		return time.Time{}, false
	}
	defer conn.Close()
	bc := &budgetConn{Conn: conn, left: r.c.opts.MaxConnBytes}
	s := &session{c: r.c, ctx: r.ctx, host: r.outHost, rep: rep, raw: bc,
		creds: &Credentials{Username: r.user, Password: r.creds.Password}}
	e, ok := s.smtpAccountHello()
	if ok && s.canLogin() {
		s.smtpLogin(e)
		ok = rep.Auth != nil && rep.Auth.OK
	} else {
		ok = false
	}
	lost := func() {
		probs := failures(rep.Problems)
		for i := range probs {
			probs[i].Detail = scrub(probs[i].Detail, r.creds.Password)
			if probs[i].Code == CodeAuthFailed {
				// The same login works for IMAP: not a wrong password, the
				// outgoing server's refusal to let this account send.
				probs[i] = problem(CodeSubmissionRejected, "the outgoing server refused the login %q%s, although IMAP accepts it with the same password: the outgoing server may need another username or password, or not let this account send; nothing was sent", r.user, replyOf(probs[i].Detail))
				continue
			}
			probs[i].Detail = step + ": " + probs[i].Detail
		}
		r.add(probs...)
	}
	if !ok {
		lost()
		return time.Time{}, false
	}
	refused := func(what string, code int, lines []string) {
		text := clean(scrub(strings.Join(lines, " "), r.creds.Password), maxBanner)
		r.add(problem(CodeSubmissionRejected, "the submission server refused %s: %d %s", what, code, text))
		_ = s.w.send("QUIT")
	}
	code, lines, ok := s.smtpCommand("MAIL FROM:<" + r.addr + ">")
	if !ok {
		lost()
		return time.Time{}, false
	}
	if code != 250 {
		refused("the sender <"+r.addr+">", code, lines)
		return time.Time{}, false
	}
	if code, lines, ok = s.smtpCommand("RCPT TO:<" + r.addr + ">"); !ok {
		lost()
		return time.Time{}, false
	}
	if code != 250 && code != 251 {
		refused("the recipient <"+r.addr+">", code, lines)
		return time.Time{}, false
	}
	if code, lines, ok = s.smtpCommand("DATA"); !ok {
		lost()
		return time.Time{}, false
	}
	if code != 354 {
		refused("the message (DATA)", code, lines)
		return time.Time{}, false
	}
	// From here the server may keep the message, whatever it answers:
	// the clean-up looks for it.
	r.stored, rt.CleanedUp = true, false
	s.stepDeadline()
	for _, line := range dataLines(msg) {
		if err := s.w.send(line); err != nil {
			s.readFailed("message", err)
			lost()
			return time.Time{}, false
		}
	}
	code, lines, ok = s.smtpCommand(".")
	t0 := time.Now()
	if !ok {
		lost()
		return time.Time{}, false
	}
	if code != 250 {
		r.stored, rt.CleanedUp = false, true
		refused("the message", code, lines)
		return time.Time{}, false
	}
	rt.Submitted = true
	_ = s.w.send("QUIT")
	return t0, true
}

// replyOf is " (reply NNN)" when detail ends with a reply code in
// parentheses, as smtpLogin's do; else "".
func replyOf(detail string) string {
	i := strings.LastIndexByte(detail, '(')
	if i < 0 || !strings.HasSuffix(detail, ")") {
		return ""
	}
	code := detail[i+1 : len(detail)-1]
	if len(code) != 3 || strings.Trim(code, "0123456789") != "" {
		return ""
	}
	return " (reply " + code + ")"
}

// dataLines splits a CRLF message into DATA lines, dot-stuffed (RFC 5321
// 4.5.2).
func dataLines(msg []byte) []string {
	var lines []string
	for _, l := range bytes.Split(bytes.TrimSuffix(msg, []byte("\r\n")), []byte("\r\n")) {
		line := string(l)
		if strings.HasPrefix(line, ".") {
			line = "." + line
		}
		lines = append(lines, line)
	}
	return lines
}

// smtpAccountHello runs the greeting, EHLO and TLS (implicit, or a
// STARTTLS that must be offered and free of injected plaintext) of a
// submission endpoint, and returns the extensions over TLS.
func (s *session) smtpAccountHello() (ehlo, bool) {
	if s.rep.Security == ImplicitTLS {
		if !s.startTLS(false) {
			return ehlo{}, false
		}
	} else {
		s.plain()
	}
	var code int
	if !s.greeting(func() error {
		var err error
		code, _, err = s.smtpReply()
		return err
	}) {
		return ehlo{}, false
	}
	if code != 220 {
		s.rep.add(problem(CodeGreetingRejected, "the server greeted with %d", code))
		return ehlo{}, false
	}
	e, ok := s.smtpEHLO()
	if !ok || s.rep.Security == ImplicitTLS {
		return e, ok
	}
	if !e.starttls {
		s.rep.add(problem(CodeSTARTTLSMissing, "STARTTLS is not offered, so the password would travel in clear"))
		return ehlo{}, false
	}
	c, _, ok := s.smtpCommand("STARTTLS")
	if !ok {
		return ehlo{}, false
	}
	if c != 220 {
		s.rep.add(problem(CodeSTARTTLSMissing, "the server refused STARTTLS (%d)", c))
		return ehlo{}, false
	}
	s.injected()
	if s.rep.Has(CodeSTARTTLSInjection) || !s.startTLS(true) {
		return ehlo{}, false
	}
	return s.smtpEHLO()
}
