package probe

import (
	"errors"
	"strconv"
	"strings"
)

// Bounds on what the probe keeps of a server's words.
const (
	maxCaps     = 256 // capabilities kept from one list
	maxCapLen   = 64  // bytes kept of one capability
	maxBanner   = 200 // bytes kept of a greeting
	maxReplyLen = 100 // lines in one SMTP reply
)

var errSyntax = errors.New("unexpected reply")

// imapGreeting is an IMAP server's first line.
type imapGreeting struct {
	status string   // OK, PREAUTH or BYE
	caps   []string // from a [CAPABILITY …] response code, if any
	text   string
}

// parseIMAPGreeting reads "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready".
func parseIMAPGreeting(line string) (imapGreeting, error) {
	rest, ok := strings.CutPrefix(line, "* ")
	if !ok {
		return imapGreeting{}, errSyntax
	}
	status, text, _ := strings.Cut(rest, " ")
	status = strings.ToUpper(status)
	switch status {
	case "OK", "PREAUTH", "BYE":
	default:
		return imapGreeting{}, errSyntax
	}
	g := imapGreeting{status: status, text: text}
	if code, after, ok := cutResponseCode(text); ok {
		g.text = after
		if name, args, _ := strings.Cut(code, " "); strings.EqualFold(name, "CAPABILITY") {
			g.caps = parseCaps(args)
		}
	}
	g.text = truncate(strings.TrimSpace(g.text), maxBanner)
	return g, nil
}

// cutResponseCode splits "[CODE args] text".
func cutResponseCode(s string) (code, rest string, ok bool) {
	if !strings.HasPrefix(s, "[") {
		return "", s, false
	}
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return "", s, false
	}
	return s[1:end], strings.TrimSpace(s[end+1:]), true
}

// parseIMAPCapabilityLine reads "* CAPABILITY IMAP4rev1 IDLE …".
func parseIMAPCapabilityLine(line string) ([]string, bool) {
	if len(line) < 13 || !strings.EqualFold(line[:13], "* CAPABILITY ") {
		return nil, false
	}
	return parseCaps(line[13:]), true
}

// parseIMAPTagged reads "tag OK text" for the given tag.
func parseIMAPTagged(line, tag string) (status, text string, ok bool) {
	rest, ok := strings.CutPrefix(line, tag+" ")
	if !ok {
		return "", "", false
	}
	status, text, _ = strings.Cut(rest, " ")
	status = strings.ToUpper(status)
	switch status {
	case "OK", "NO", "BAD":
		return status, truncate(text, maxBanner), true
	}
	return "", "", false
}

// parseCaps splits a capability list, upper-cased, deduplicated, bounded.
func parseCaps(s string) []string {
	var caps []string
	seen := make(map[string]bool)
	for _, f := range strings.Fields(s) {
		if len(caps) == maxCaps {
			break
		}
		f = capToken(f)
		if !seen[f] {
			seen[f] = true
			caps = append(caps, f)
		}
	}
	return caps
}

// smtpLine is one line of an SMTP reply: "250-SIZE 1000" or "250 OK".
type smtpLine struct {
	code int
	more bool // "-" after the code: more lines follow
	text string
}

// parseSMTPLine reads one reply line.
func parseSMTPLine(line string) (smtpLine, error) {
	if len(line) < 3 {
		return smtpLine{}, errSyntax
	}
	code, err := strconv.Atoi(line[:3])
	if err != nil || code < 200 || code > 599 {
		return smtpLine{}, errSyntax
	}
	l := smtpLine{code: code}
	if len(line) > 3 {
		switch line[3] {
		case '-':
			l.more = true
		case ' ':
		default:
			return smtpLine{}, errSyntax
		}
		l.text = line[4:]
	}
	return l, nil
}

// ehlo is what an EHLO reply says about the server.
type ehlo struct {
	caps     []string // keywords, upper-cased
	auth     []string // SASL mechanisms
	size     int64
	starttls bool
}

// parseEHLO reads the lines of a 250 EHLO reply; the first is the
// server's name and is skipped.
func parseEHLO(lines []string) ehlo {
	var e ehlo
	for i, l := range lines {
		if i == 0 {
			continue
		}
		kw, args, _ := strings.Cut(strings.TrimSpace(l), " ")
		kw = capToken(kw)
		if old, ok := strings.CutPrefix(kw, "AUTH="); ok { // pre-standard "AUTH=LOGIN PLAIN"
			kw, args = "AUTH", old+" "+args
		}
		if kw == "" || len(e.caps) == maxCaps {
			continue
		}
		if !contains(e.caps, kw) {
			e.caps = append(e.caps, kw)
		}
		switch kw {
		case "STARTTLS":
			e.starttls = true
		case "AUTH":
			for _, m := range parseCaps(args) {
				if !contains(e.auth, m) && len(e.auth) < 32 {
					e.auth = append(e.auth, m)
				}
			}
		case "SIZE":
			if n, err := strconv.ParseInt(strings.TrimSpace(args), 10, 64); err == nil && n >= 0 {
				e.size = n
			}
		}
	}
	return e
}

// capToken makes a capability keyword from server bytes: printable ASCII
// upper-cased, anything else replaced by "?", at most maxCapLen bytes.
func capToken(s string) string {
	b := make([]byte, 0, min(len(s), maxCapLen))
	for i := 0; i < len(s) && len(b) < maxCapLen; i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		case c <= ' ' || c >= 0x7f:
			c = '?'
		}
		b = append(b, c)
	}
	return string(b)
}

// imapAuthMechanisms lists the AUTH=… capabilities.
func imapAuthMechanisms(caps []string) []string {
	var mechs []string
	for _, c := range caps {
		if m, ok := strings.CutPrefix(c, "AUTH="); ok && m != "" {
			mechs = append(mechs, m)
		}
	}
	return mechs
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
