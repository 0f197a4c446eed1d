package probe

import (
	"encoding/base64"
	"fmt"
)

// ehloName is the name the probe gives in EHLO.
const ehloName = "mailhelp-probe.invalid"

// smtp checks an SMTP endpoint: banner, EHLO, STARTTLS when needed or
// offered, EHLO again over TLS, and the optional login on submission.
func (s *session) smtp() {
	if s.rep.Security == ImplicitTLS {
		if !s.startTLS(false) {
			return
		}
	} else {
		s.plain()
	}
	var code int
	var lines []string
	if !s.greeting(func() error {
		var err error
		code, lines, err = s.smtpReply()
		return err
	}) {
		return
	}
	if len(lines) > 0 {
		s.rep.Banner = truncate(lines[0], maxBanner)
	}
	if code != 220 {
		s.rep.add(problem(CodeGreetingRejected, "the server greeted with %d", code))
		return
	}
	e, ok := s.smtpEHLO()
	if !ok {
		return
	}
	if s.rep.Security != ImplicitTLS {
		s.rep.CapabilitiesBeforeTLS = e.caps
		if !e.starttls {
			if s.rep.Security == StartTLS {
				s.rep.add(problem(CodeSTARTTLSMissing, "STARTTLS is not offered, so passwords would travel in clear"))
				return
			}
			p := problem(CodeSTARTTLSMissing, "STARTTLS is not offered: mail to this server travels in clear")
			p.Severity = SeverityWarn
			s.rep.add(p)
			s.smtpDone(e)
			return
		}
		if len(e.auth) > 0 {
			s.rep.add(problem(CodePlaintextAuth, "the server offers AUTH before TLS (%v)", e.auth))
		}
		done := s.timeStep(&s.rep.Timings.STARTTLS)
		c, _, ok := s.smtpCommand("STARTTLS")
		done()
		if !ok {
			return
		}
		if c != 220 {
			s.rep.add(problem(CodeSTARTTLSMissing, "the server refused STARTTLS (%d)", c))
			return
		}
		s.injected()
		if !s.startTLS(true) {
			return
		}
		if e, ok = s.smtpEHLO(); !ok {
			return
		}
	}
	s.smtpDone(e)
}

// smtpDone judges the capabilities over TLS and runs the optional login.
func (s *session) smtpDone(e ehlo) {
	s.rep.Capabilities = e.caps
	s.rep.AuthMechanisms = e.auth
	s.rep.SizeLimit = e.size
	switch {
	case len(e.auth) == 0 && s.rep.Submission:
		s.rep.add(problem(CodeNoAuth, "no AUTH mechanism is offered: devices cannot log in to send"))
	case len(e.auth) == 0:
		p := problem(CodeNoAuth, "no authentication on port %d: expected; without it mail only reaches the organisation's own domains", s.rep.Port)
		p.Severity = SeverityInfo
		s.rep.add(p)
	}
	if s.rep.Submission && s.canLogin() {
		s.smtpLogin(e)
	}
	_ = s.w.send("QUIT")
}

// smtpEHLO sends EHLO and parses the extensions.
func (s *session) smtpEHLO() (ehlo, bool) {
	done := s.timeStep(&s.rep.Timings.Capabilities)
	defer done()
	code, lines, ok := s.smtpCommand("EHLO " + ehloName)
	if !ok {
		return ehlo{}, false
	}
	if code != 250 {
		s.rep.add(problem(CodeProtocol, "EHLO was refused (%d)", code))
		return ehlo{}, false
	}
	return parseEHLO(lines), true
}

// smtpCommand sends one command and reads its reply.
func (s *session) smtpCommand(cmd string) (int, []string, bool) {
	s.stepDeadline()
	if err := s.w.send(cmd); err != nil {
		s.readFailed("reply", err)
		return 0, nil, false
	}
	code, lines, err := s.smtpReply()
	if err != nil {
		s.readFailed("reply", err)
		return 0, nil, false
	}
	return code, lines, true
}

// smtpReply reads a whole, possibly multi-line, reply.
func (s *session) smtpReply() (int, []string, error) {
	var lines []string
	for {
		raw, err := s.w.readLine()
		if err != nil {
			return 0, nil, err
		}
		l, err := parseSMTPLine(raw)
		if err != nil {
			return 0, nil, err
		}
		if len(lines) < maxReplyLen {
			lines = append(lines, l.text)
		} else {
			return 0, nil, fmt.Errorf("%w: reply over %d lines", errLineTooLong, maxReplyLen)
		}
		if !l.more {
			return l.code, lines, nil
		}
	}
}

// smtpLogin authenticates with PLAIN, else LOGIN.
func (s *session) smtpLogin(e ehlo) {
	done := s.timeStep(&s.rep.Timings.Auth)
	defer done()
	u, p := s.creds.Username, s.creds.Password
	var code int
	var ok bool
	switch {
	case contains(e.auth, "PLAIN"):
		s.rep.Auth = &AuthResult{Mechanism: "PLAIN"}
		code, _, ok = s.smtpCommand("AUTH PLAIN " + base64.StdEncoding.EncodeToString([]byte("\x00"+u+"\x00"+p)))
	case contains(e.auth, "LOGIN"):
		s.rep.Auth = &AuthResult{Mechanism: "LOGIN"}
		if code, _, ok = s.smtpCommand("AUTH LOGIN"); ok && code == 334 {
			if code, _, ok = s.smtpCommand(base64.StdEncoding.EncodeToString([]byte(u))); ok && code == 334 {
				code, _, ok = s.smtpCommand(base64.StdEncoding.EncodeToString([]byte(p)))
			}
		}
	default:
		s.rep.add(problem(CodeAuthMechanism, "neither PLAIN nor LOGIN is offered (offered: %v)", e.auth))
		return
	}
	if !ok {
		return
	}
	switch {
	case code == 235:
		s.rep.Auth.OK = true
	case code == 535 || code == 534:
		s.rep.add(problem(CodeAuthFailed, "the server refused the username or password (%d)", code))
	case code == 504:
		s.rep.add(problem(CodeAuthMechanism, "the server refused mechanism %s (%d)", s.rep.Auth.Mechanism, code))
	default:
		s.rep.add(problem(CodeProtocol, "login: unexpected reply %d", code))
	}
}
