package mailservers

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestServers documents the fixture: the users behave as their comments
// say, and mail submitted for good.test arrives.
func TestServers(t *testing.T) {
	s := Start(t)

	t.Run("logins", func(t *testing.T) {
		for _, u := range Users() {
			c := dialIMAP(t, s)
			resp := c.cmd(t, "LOGIN "+quote(u)+" "+quote(Password))
			want := "OK"
			if u == LockedUser {
				want = "NO [CONTACTADMIN]"
			}
			if !strings.HasPrefix(resp.status, want) {
				t.Errorf("%s: LOGIN: %s, want %s", u, resp.status, want)
			}
		}
	})

	// Dovecot answers failed logins on the next half second: in parallel.
	t.Run("failed logins", func(t *testing.T) {
		for _, tc := range []struct{ name, user, pass string }{
			{"local part", "alice", Password},
			{"wrong password", User, "wrong"},
			{"locked wrong password", LockedUser, "wrong"},
			{"unknown user", "bob@good.test", Password},
		} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				c := dialIMAP(t, s)
				if resp := c.cmd(t, "LOGIN "+quote(tc.user)+" "+quote(tc.pass)); !strings.HasPrefix(resp.status, "NO [AUTHENTICATIONFAILED]") {
					t.Errorf("%s/%s: %s", tc.user, tc.pass, resp.status)
				}
			})
		}
	})

	t.Run("capability", func(t *testing.T) {
		alice := loginIMAP(t, s, User).capability(t)
		if !slices.Contains(alice, "IDLE") {
			t.Errorf("alice: %v", alice)
		}
		noidle := loginIMAP(t, s, NoIdleUser).capability(t)
		want := slices.DeleteFunc(slices.Clone(alice), func(c string) bool { return c == "IDLE" })
		if !slices.Equal(noidle, want) {
			t.Errorf("noidle:\n%v\nwant\n%v", noidle, want)
		}
		t.Logf("noidle: %s", strings.Join(noidle, " "))
	})

	t.Run("special-use", func(t *testing.T) {
		list := func(user string) string {
			return strings.Join(loginIMAP(t, s, user).cmd(t, `LIST "" "*" RETURN (SPECIAL-USE)`).untagged, "\n")
		}
		if l := list(User); !strings.Contains(l, `\Sent`) || !strings.Contains(l, `\Trash`) {
			t.Errorf("alice:\n%s", l)
		}
		if l := list(NoSentUser); strings.Contains(l, `\Sent`) || !strings.Contains(l, `\Drafts`) {
			t.Errorf("nosent:\n%s", l)
		} else {
			t.Logf("nosent:\n%s", l)
		}
	})

	t.Run("quota", func(t *testing.T) {
		usage := func(user string) (used, limit int) {
			t.Helper()
			resp := loginIMAP(t, s, user).cmd(t, "GETQUOTAROOT INBOX")
			for _, l := range resp.untagged {
				if _, rest, ok := strings.Cut(l, "(STORAGE "); ok {
					f := strings.Fields(strings.TrimSuffix(rest, ")"))
					used, _ = strconv.Atoi(f[0])
					limit, _ = strconv.Atoi(f[1])
					return used, limit
				}
			}
			t.Fatalf("%s: GETQUOTAROOT: %q %s", user, resp.untagged, resp.status)
			return
		}
		if used, limit := usage(FullUser); limit != FullQuota>>10 || used*100 < limit*90 {
			t.Errorf("full: STORAGE %d %d", used, limit)
		} else {
			t.Logf("full: STORAGE %d %d", used, limit)
		}
		if _, limit := usage(User); limit < 1<<20 {
			t.Errorf("alice: limit %d KiB", limit)
		}
	})

	t.Run("delivery", func(t *testing.T) {
		before := s.MailboxState(t, User)
		if want := "INBOX 1\n  223 S\nDrafts 0\nJunk 0\nSent 0\nTrash 0\n"; before != want {
			t.Errorf("alice's mailbox at start:\n%s\nwant (as MailboxState's comment says)\n%s", before, want)
		}
		// Logging in and selecting the INBOX changes nothing.
		c := loginIMAP(t, s, User)
		if resp := c.cmd(t, "SELECT INBOX"); !strings.HasPrefix(resp.status, "OK") {
			t.Fatal(resp.status)
		}
		c.cmd(t, "LOGOUT")
		if after := s.MailboxState(t, User); after != before {
			t.Errorf("mailbox changed:\n%s\n%s", before, after)
		}
		if err := submit(s, false, User, User); err != nil {
			t.Fatal(err)
		}
		s.WaitForMessages(t, User, "INBOX", 2, 2*time.Second)
		if after := s.MailboxState(t, User); after == before {
			t.Errorf("mailbox unchanged:\n%s", after)
		}
		t.Logf("alice:\n%s", s.MailboxState(t, User))
	})

	t.Run("refused", func(t *testing.T) {
		var e *textproto.Error
		for _, implicit := range []bool{false, true} {
			err := submit(s, implicit, RefusedUser, RefusedUser)
			if !errors.As(err, &e) || e.Code/100 != 5 || strings.HasPrefix(err.Error(), "AUTH") {
				t.Errorf("refused (implicit TLS %v): %v", implicit, err)
			} else {
				t.Logf("refused: %v", err)
			}
		}
		if err := submit(s, false, LockedUser, LockedUser); !errors.As(err, &e) || e.Code != 535 {
			t.Errorf("locked: %v", err)
		} else {
			t.Logf("locked: %v", err)
		}
	})

	t.Run("relay", func(t *testing.T) {
		c, err := smtp.Dial(fmt.Sprintf("%s:%d", Addr, s.SMTP))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Mail("someone@example.com"); err != nil {
			t.Fatal(err)
		}
		if err := c.Rcpt("bob@example.com"); err == nil {
			t.Error("port 25 relays without authentication")
		}
		if err := c.Rcpt("nobody@good.test"); err == nil {
			t.Error("port 25 accepts an unknown user")
		}
		if err := c.Rcpt(User); err != nil {
			t.Errorf("port 25 refuses mail for alice: %v", err)
		}
	})
}

type imapConn struct {
	c   net.Conn
	r   *bufio.Reader
	tag int
}

type imapResp struct {
	untagged []string
	status   string // the tagged response without its tag
}

func dialIMAP(t *testing.T, s *Servers) *imapConn {
	t.Helper()
	c, err := tls.Dial("tcp", fmt.Sprintf("%s:%d", Addr, s.IMAPS), &tls.Config{ServerName: GoodHost, RootCAs: s.CA.Pool()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	ic := &imapConn{c: c, r: bufio.NewReader(c)}
	if greeting := ic.line(t); !strings.HasPrefix(greeting, "* OK") {
		t.Fatalf("greeting %q", greeting)
	}
	return ic
}

func loginIMAP(t *testing.T, s *Servers, user string) *imapConn {
	t.Helper()
	c := dialIMAP(t, s)
	if resp := c.cmd(t, "LOGIN "+quote(user)+" "+quote(Password)); !strings.HasPrefix(resp.status, "OK") {
		t.Fatalf("%s: LOGIN: %s", user, resp.status)
	}
	return c
}

func (c *imapConn) line(t *testing.T) string {
	t.Helper()
	l, err := c.r.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimRight(l, "\r\n")
}

func (c *imapConn) cmd(t *testing.T, command string) imapResp {
	t.Helper()
	c.tag++
	tag := fmt.Sprintf("a%d", c.tag)
	if _, err := fmt.Fprintf(c.c, "%s %s\r\n", tag, command); err != nil {
		t.Fatal(err)
	}
	var resp imapResp
	for {
		l := c.line(t)
		if rest, ok := strings.CutPrefix(l, tag+" "); ok {
			resp.status = rest
			return resp
		}
		resp.untagged = append(resp.untagged, l)
	}
}

func (c *imapConn) capability(t *testing.T) []string {
	t.Helper()
	for _, l := range c.cmd(t, "CAPABILITY").untagged {
		if rest, ok := strings.CutPrefix(l, "* CAPABILITY "); ok {
			return strings.Fields(rest)
		}
	}
	t.Fatal("no CAPABILITY")
	return nil
}

func quote(s string) string { return strconv.Quote(s) }

// submit sends a message from to to on the submission port (or, with
// implicit, the submissions port), authenticated as from with AUTH PLAIN.
func submit(s *Servers, implicit bool, from, to string) error {
	conf := &tls.Config{ServerName: GoodHost, RootCAs: s.CA.Pool()}
	var c *smtp.Client
	if implicit {
		conn, err := tls.Dial("tcp", fmt.Sprintf("%s:%d", Addr, s.Submissions), conf)
		if err != nil {
			return err
		}
		if c, err = smtp.NewClient(conn, Addr); err != nil {
			conn.Close()
			return err
		}
	} else {
		var err error
		if c, err = smtp.Dial(fmt.Sprintf("%s:%d", Addr, s.Submission)); err != nil {
			return err
		}
		if err := c.StartTLS(conf); err != nil {
			c.Close()
			return err
		}
	}
	defer c.Close()
	steps := []struct {
		name string
		do   func() error
	}{
		{"AUTH", func() error { return c.Auth(smtp.PlainAuth("", from, Password, Addr)) }},
		{"MAIL", func() error { return c.Mail(from) }},
		{"RCPT", func() error { return c.Rcpt(to) }},
		{"DATA", func() error {
			w, err := c.Data()
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "From: %s\r\nTo: %s\r\nSubject: test\r\n\r\nHello.\r\n", from, to)
			return w.Close()
		}},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			return fmt.Errorf("%s: %w", st.name, err)
		}
	}
	return c.Quit()
}
