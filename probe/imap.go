package probe

import (
	"encoding/base64"
	"strings"
)

// imap checks an IMAP endpoint: greeting, capabilities, STARTTLS when
// needed, capabilities again over TLS, and the optional login.
func (s *session) imap() {
	if s.rep.Security == ImplicitTLS {
		if !s.startTLS(false) {
			return
		}
	} else {
		s.plain()
	}
	var g imapGreeting
	if !s.greeting(func() error {
		line, err := s.w.readLine()
		if err != nil {
			return err
		}
		g, err = parseIMAPGreeting(line)
		return err
	}) {
		return
	}
	s.rep.Banner = g.text
	if g.status == "BYE" {
		s.rep.add(problem(CodeGreetingRejected, "the server said BYE: %s", g.text))
		return
	}
	caps := g.caps
	if caps == nil {
		var ok bool
		if caps, ok = s.imapCapability("a1"); !ok {
			return
		}
	}
	if s.rep.Security != ImplicitTLS {
		s.rep.CapabilitiesBeforeTLS = caps
		if !contains(caps, "STARTTLS") {
			s.rep.add(problem(CodeSTARTTLSMissing, "STARTTLS is not offered, so passwords would travel in clear"))
			return
		}
		if !contains(caps, "LOGINDISABLED") {
			s.rep.add(problem(CodePlaintextAuth, "the server accepts logins before TLS (no LOGINDISABLED)"))
		}
		done := s.timeStep(&s.rep.Timings.STARTTLS)
		st, ok := s.imapCommand("a2", "STARTTLS")
		done()
		if !ok {
			return
		}
		if st != "OK" {
			s.rep.add(problem(CodeSTARTTLSMissing, "the server refused STARTTLS (%s)", st))
			return
		}
		s.injected()
		if !s.startTLS(true) {
			return
		}
		// Capabilities said in plaintext are not trusted: ask again.
		if caps, ok = s.imapCapability("a3"); !ok {
			return
		}
	}
	s.rep.Capabilities = caps
	// IDLE is part of IMAP4rev2, which need not list it.
	s.rep.Push = contains(caps, "IDLE") || contains(caps, "IMAP4REV2")
	s.rep.AuthMechanisms = imapAuthMechanisms(caps)
	if contains(caps, "LOGINDISABLED") && len(s.rep.AuthMechanisms) == 0 {
		s.rep.add(problem(CodeNoAuth, "no way to log in over TLS: LOGINDISABLED and no AUTH= mechanism"))
	}
	if s.canLogin() {
		s.imapLogin(caps)
	}
	_ = s.w.send("a9 LOGOUT")
}

// imapCapability asks for the capabilities.
func (s *session) imapCapability(tag string) ([]string, bool) {
	done := s.timeStep(&s.rep.Timings.Capabilities)
	defer done()
	var caps []string
	st, ok := s.imapExchange(tag, "CAPABILITY", func(line string) {
		if c, ok := parseIMAPCapabilityLine(line); ok {
			caps = c
		}
	})
	if !ok {
		return nil, false
	}
	if st != "OK" || caps == nil {
		s.rep.add(problem(CodeProtocol, "CAPABILITY failed (%s)", st))
		return nil, false
	}
	return caps, true
}

// imapCommand sends a command and returns the tagged status.
func (s *session) imapCommand(tag, cmd string) (string, bool) {
	return s.imapExchange(tag, cmd, nil)
}

// imapExchange sends "tag cmd" and reads until the tagged reply, passing
// untagged lines to untagged. Budgets bound how many lines can come.
func (s *session) imapExchange(tag, cmd string, untagged func(string)) (string, bool) {
	s.stepDeadline()
	if err := s.w.send(tag + " " + cmd); err != nil {
		s.readFailed(strings.ToLower(strings.Fields(cmd)[0]), err)
		return "", false
	}
	return s.imapWait(tag, cmd, untagged)
}

func (s *session) imapWait(tag, cmd string, untagged func(string)) (string, bool) {
	name := strings.ToLower(strings.Fields(cmd)[0])
	for {
		line, err := s.w.readLine()
		if err != nil {
			s.readFailed(name+" reply", err)
			return "", false
		}
		if st, _, ok := parseIMAPTagged(line, tag); ok {
			return st, true
		}
		if strings.HasPrefix(line, "+") {
			return "+", true
		}
		if untagged != nil {
			untagged(line)
		}
	}
}

// imapLogin logs in with AUTHENTICATE PLAIN when offered, else LOGIN,
// telling a wrong password from a mechanism the server does not offer.
func (s *session) imapLogin(caps []string) {
	done := s.timeStep(&s.rep.Timings.Auth)
	defer done()
	u, p := s.creds.Username, s.creds.Password
	var st string
	var ok bool
	switch {
	case contains(caps, "AUTH=PLAIN"):
		s.rep.Auth = &AuthResult{Mechanism: "PLAIN"}
		ir := base64.StdEncoding.EncodeToString([]byte("\x00" + u + "\x00" + p))
		if contains(caps, "SASL-IR") {
			st, ok = s.imapCommand("a4", "AUTHENTICATE PLAIN "+ir)
		} else if st, ok = s.imapCommand("a4", "AUTHENTICATE PLAIN"); ok && st == "+" {
			if err := s.w.send(ir); err != nil {
				s.readFailed("authentication", err)
				return
			}
			st, ok = s.imapWait("a4", "AUTHENTICATE", nil)
		}
	case !contains(caps, "LOGINDISABLED"):
		s.rep.Auth = &AuthResult{Mechanism: "LOGIN"}
		qu, okU := imapQuote(u)
		qp, okP := imapQuote(p)
		if !okU || !okP {
			s.rep.add(problem(CodeAuthMechanism, "the username or password has characters LOGIN cannot carry, and AUTH=PLAIN is not offered"))
			return
		}
		st, ok = s.imapCommand("a4", "LOGIN "+qu+" "+qp)
	default:
		s.rep.add(problem(CodeAuthMechanism, "neither AUTH=PLAIN nor LOGIN is available (offered: %s)", strings.Join(s.rep.AuthMechanisms, ", ")))
		return
	}
	if !ok {
		return
	}
	switch st {
	case "OK":
		s.rep.Auth.OK = true
	case "NO":
		s.rep.add(problem(CodeAuthFailed, "the server refused the username or password"))
	default:
		s.rep.add(problem(CodeProtocol, "login: unexpected reply %s", st))
	}
}

// imapQuote makes an IMAP quoted string; CR, LF and NUL cannot be quoted.
func imapQuote(s string) (string, bool) {
	if strings.ContainsAny(s, "\r\n\x00") {
		return "", false
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`, true
}
