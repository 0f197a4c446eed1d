package probe

import (
	"strings"
	"testing"
)

func FuzzParseIMAPGreeting(f *testing.F) {
	for _, s := range []string{"* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] Dovecot ready.", "* PREAUTH hi", "* BYE", "* OK [", "*", "+ go", "* ok [capability] x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		g, err := parseIMAPGreeting(line)
		if err != nil {
			return
		}
		if g.status != "OK" && g.status != "PREAUTH" && g.status != "BYE" {
			t.Fatalf("status %q", g.status)
		}
		checkCaps(t, g.caps)
		if len(g.text) > maxBanner+3 {
			t.Fatalf("banner of %d bytes", len(g.text))
		}
	})
}

func FuzzParseIMAPLines(f *testing.F) {
	for _, s := range []string{"* CAPABILITY IMAP4rev1 IDLE", "a1 OK done", "a1 NO [AUTHENTICATIONFAILED] no", "a1 BAD", "a1", "* capability " + strings.Repeat("X ", 600)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if caps, ok := parseIMAPCapabilityLine(line); ok {
			checkCaps(t, caps)
		}
		if st, _, ok := parseIMAPTagged(line, "a1"); ok && st != "OK" && st != "NO" && st != "BAD" {
			t.Fatalf("status %q", st)
		}
	})
}

func FuzzParseSMTP(f *testing.F) {
	for _, s := range []string{"250-mail.test\n250-SIZE 100\n250-AUTH PLAIN LOGIN\n250-AUTH=LOGIN\n250 STARTTLS", "220 hi", "2", "999 x", "250x", "250-SIZE -5\n250 SIZE 99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, reply string) {
		var texts []string
		for _, line := range strings.Split(reply, "\n") {
			l, err := parseSMTPLine(line)
			if err != nil {
				continue
			}
			if l.code < 200 || l.code > 599 {
				t.Fatalf("code %d", l.code)
			}
			texts = append(texts, l.text)
		}
		e := parseEHLO(texts)
		checkCaps(t, e.caps)
		checkCaps(t, e.auth)
		if e.size < 0 {
			t.Fatalf("size %d", e.size)
		}
	})
}

func checkCaps(t *testing.T, caps []string) {
	t.Helper()
	if len(caps) > maxCaps {
		t.Fatalf("%d capabilities", len(caps))
	}
	for _, c := range caps {
		if len(c) > maxCapLen+3 || c == "" {
			t.Fatalf("capability %q", c)
		}
	}
}
