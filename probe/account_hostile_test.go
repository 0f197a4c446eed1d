package probe

import (
	"bufio"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeIMAP is a small scripted IMAP server (implicit TLS) for the account
// test: well-behaved by default, with the faults the test must survive.
// Its one user is alice@mail.test, password "secret"; its INBOX holds the
// messages APPENDed to it.
type fakeIMAP struct {
	// stallIdle accepts IDLE ("+ idling"), then says nothing more: no
	// EXISTS, no answer to DONE.
	stallIdle bool
	// endlessList answers LIST with untagged LIST lines, forever.
	endlessList bool
	// stallLogin never answers the login.
	stallLogin bool
	// stallAppend never answers APPEND (nor asks for its literal).
	stallAppend bool
	// loginReply, when set, answers every login ("NO [UNAVAILABLE] …").
	loginReply string
	// byeAfterFailure closes the connection after a refused login.
	byeAfterFailure bool
	// noPlain does not offer AUTH=PLAIN (LOGIN only).
	noPlain bool
	// noIdle and noUIDPlus leave those out of the capabilities.
	noIdle, noUIDPlus bool
	// otherDeleted is a message of the user's already flagged \Deleted.
	otherDeleted bool
	// quota is the STORAGE use and limit in KiB; none when zero.
	quotaUsed, quotaLimit int

	mu       sync.Mutex
	msgs     map[int]string // UID → message; UID 1 is otherDeleted's
	deleted  map[int]bool
	nextUID  int
	appended chan struct{} // closed at the first APPEND
	logins   []string      // the usernames tried
	expunged []string      // "UID EXPUNGE 2" or "EXPUNGE"
	written  atomic.Int64  // bytes of endless LIST sent
}

func (f *fakeIMAP) start(t *testing.T) int {
	t.Helper()
	f.msgs, f.deleted, f.nextUID, f.appended = map[int]string{}, map[int]bool{}, 2, make(chan struct{})
	if f.otherDeleted {
		f.msgs[1], f.deleted[1] = "Subject: old\r\n\r\nold\r\n", true
	}
	cfg := tlsConfig(testPKI(t).good)
	return script(t, func(c net.Conn) {
		tc := tlsServer(c, cfg)
		if tc.Handshake() != nil {
			return
		}
		f.serve(tc)
	})
}

func (f *fakeIMAP) caps(after bool) string {
	caps := "IMAP4rev1 SASL-IR LIST-EXTENDED SPECIAL-USE QUOTA"
	if !f.noPlain {
		caps += " AUTH=PLAIN"
	}
	if after && !f.noIdle {
		caps += " IDLE"
	}
	if after && !f.noUIDPlus {
		caps += " UIDPLUS"
	}
	return caps
}

func (f *fakeIMAP) serve(c net.Conn) {
	br := bufio.NewReader(c)
	say := func(lines ...string) bool {
		_, err := io.WriteString(c, strings.Join(lines, "\r\n")+"\r\n")
		return err == nil
	}
	say("* OK [CAPABILITY " + f.caps(false) + "] fake ready")
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		tag, rest, _ := strings.Cut(line, " ")
		cmd, args, _ := strings.Cut(rest, " ")
		cmd = strings.ToUpper(cmd)
		if cmd == "UID" {
			sub, a, _ := strings.Cut(args, " ")
			cmd, args = "UID "+strings.ToUpper(sub), a
		}
		switch cmd {
		case "CAPABILITY":
			say("* CAPABILITY "+f.caps(false), tag+" OK done")
		case "AUTHENTICATE", "LOGIN":
			user, pass := "", ""
			if cmd == "LOGIN" {
				fs := strings.Fields(args)
				if len(fs) == 2 {
					user, pass = strings.Trim(fs[0], `"`), strings.Trim(fs[1], `"`)
				}
			} else if _, ir, ok := strings.Cut(args, " "); ok {
				raw, _ := base64.StdEncoding.DecodeString(ir)
				if parts := strings.Split(string(raw), "\x00"); len(parts) == 3 {
					user, pass = parts[1], parts[2]
				}
			}
			f.mu.Lock()
			f.logins = append(f.logins, user)
			f.mu.Unlock()
			switch {
			case f.stallLogin:
				_, _ = io.Copy(io.Discard, br)
				return
			case f.loginReply != "":
				say(tag + " " + f.loginReply)
			case user == "alice@mail.test" && pass == "secret":
				say(tag + " OK [CAPABILITY " + f.caps(true) + "] logged in")
			default:
				say(tag + " NO [AUTHENTICATIONFAILED] Authentication failed.")
				if f.byeAfterFailure {
					say("* BYE enough")
					return
				}
			}
		case "LIST":
			if f.endlessList {
				for i := 0; ; i++ {
					n, err := fmt.Fprintf(c, "* LIST (\\HasNoChildren) \"/\" \"Folder %08d\"\r\n", i)
					f.written.Add(int64(n))
					if err != nil {
						return
					}
				}
			}
			say(`* LIST (\HasNoChildren) "/" INBOX`, `* LIST (\HasNoChildren \Sent) "/" Sent`, `* LIST (\HasNoChildren \Trash) "/" Trash`, tag+" OK done")
		case "STATUS":
			f.mu.Lock()
			n := len(f.msgs)
			f.mu.Unlock()
			say(fmt.Sprintf("* STATUS INBOX (MESSAGES %d)", n), tag+" OK done")
		case "GETQUOTAROOT":
			if f.quotaLimit == 0 {
				say(`* QUOTAROOT INBOX`, tag+" OK done")
			} else {
				say(`* QUOTAROOT INBOX "User quota"`, fmt.Sprintf(`* QUOTA "User quota" (STORAGE %d %d)`, f.quotaUsed, f.quotaLimit), tag+" OK done")
			}
		case "SELECT", "EXAMINE":
			f.mu.Lock()
			n := len(f.msgs)
			f.mu.Unlock()
			say(fmt.Sprintf("* %d EXISTS", n), "* OK [UIDVALIDITY 1] ok", tag+" OK done")
		case "IDLE":
			say("+ idling")
			if f.stallIdle {
				_, _ = io.Copy(io.Discard, br)
				return
			}
			done := make(chan struct{})
			go func() {
				_, _ = br.ReadString('\n') // DONE
				close(done)
			}()
			select {
			case <-f.appended:
				f.mu.Lock()
				n := len(f.msgs)
				f.mu.Unlock()
				say(fmt.Sprintf("* %d EXISTS", n))
				<-done
			case <-done:
			}
			say(tag + " OK idle done")
		case "APPEND":
			if f.stallAppend {
				_, _ = io.Copy(io.Discard, br)
				return
			}
			open := strings.LastIndexByte(args, '{')
			size, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(args[open+1:], "}"), "+"))
			if !strings.HasSuffix(args, "+}") {
				say("+ go on")
			}
			buf := make([]byte, size)
			if _, err := io.ReadFull(br, buf); err != nil {
				return
			}
			_, _ = br.ReadString('\n')
			f.mu.Lock()
			uid := f.nextUID
			f.nextUID++
			f.msgs[uid] = string(buf)
			select {
			case <-f.appended:
			default:
				close(f.appended)
			}
			f.mu.Unlock()
			say(fmt.Sprintf("%s OK [APPENDUID 1 %d] done", tag, uid))
		case "UID SEARCH":
			var uids []string
			f.mu.Lock()
			for uid, m := range f.msgs {
				switch {
				case strings.HasPrefix(args, "HEADER"):
					id := strings.Trim(strings.Fields(args)[2], `"`)
					if strings.Contains(m, "X-Mailhelp-Test: "+id) {
						uids = append(uids, strconv.Itoa(uid))
					}
				case strings.HasPrefix(args, "DELETED"):
					if f.deleted[uid] && strings.Contains(args, "NOT") && !strings.Contains(args, "UID "+strconv.Itoa(uid)) {
						uids = append(uids, strconv.Itoa(uid))
					}
				}
			}
			f.mu.Unlock()
			say(strings.TrimSpace("* SEARCH "+strings.Join(uids, " ")), tag+" OK done")
		case "UID STORE":
			uid, _ := strconv.Atoi(strings.Fields(args)[0])
			f.mu.Lock()
			f.deleted[uid] = true
			f.mu.Unlock()
			say(tag + " OK done")
		case "UID EXPUNGE", "EXPUNGE":
			f.mu.Lock()
			f.expunged = append(f.expunged, strings.TrimSpace(cmd+" "+args))
			for uid := range f.deleted {
				if cmd == "EXPUNGE" || args == strconv.Itoa(uid) {
					delete(f.msgs, uid)
					delete(f.deleted, uid)
				}
			}
			f.mu.Unlock()
			say(tag + " OK done")
		case "LOGOUT":
			say("* BYE bye", tag+" OK done")
			return
		default:
			say(tag + " OK done")
		}
	}
}

// left is what the fake INBOX holds: its UIDs.
func (f *fakeIMAP) left() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	var uids []int
	for uid := range f.msgs {
		uids = append(uids, uid)
	}
	return uids
}

// accountChecker is newTestChecker with a budget for the account test.
func accountChecker(t *testing.T, budget time.Duration, ports ...int) *Checker {
	c := newTestChecker(t, ports...)
	c.opts.Budget = budget
	return c
}

// checkAccount runs the account test on one implicit-TLS IMAP endpoint.
func checkAccount(t *testing.T, c *Checker, port int, user string, opts AccountOptions) *AccountReport {
	t.Helper()
	return checkAccountPass(t, c, port, user, "secret", opts)
}

func checkAccountPass(t *testing.T, c *Checker, port int, user, pass string, opts AccountOptions) *AccountReport {
	t.Helper()
	rep, err := c.CheckAccount(context.Background(), Target{Host: testHost, Endpoints: []Endpoint{{Protocol: IMAP, Port: port, Security: ImplicitTLS}}},
		Credentials{Username: user, Password: pass}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Account == nil {
		t.Fatal("no account report")
	}
	if rep.Verdict != StatusFail {
		t.Errorf("report verdict %s: with no submission endpoint, the whole check fails", rep.Verdict)
	}
	for _, p := range rep.Account.Problems {
		if strings.Contains(p.Detail, pass) {
			t.Errorf("the password is in a problem: %+v", p)
		}
	}
	return rep.Account
}

func accountCodes(a *AccountReport) []string {
	var cs []string
	for _, p := range a.Problems {
		cs = append(cs, p.Code)
	}
	return cs
}

func hasCode(a *AccountReport, code string) bool {
	for _, p := range a.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
}

// imapGoroutines counts the goroutines of imapclient and of the account
// test still running.
func imapGoroutines() (int, string) {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	var found []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "go-imap/v2/imapclient") || strings.Contains(g, "probe.(*accountRun)") || strings.Contains(g, "probe.(*imapConn)") {
			n++
			found = append(found, g)
		}
	}
	return n, strings.Join(found, "\n\n")
}

// noGoroutinesLeft fails when goroutines of the account test outlive it.
func noGoroutinesLeft(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		n, stacks := imapGoroutines()
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines left:\n%s", n, stacks)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestAccountHostile runs the account test against servers that stall or
// flood it: each gets its code within the budget (plus the clean-up's own
// time), reads stay within the byte budget, and no goroutine is left.
func TestAccountHostile(t *testing.T) {
	const budget = 2 * time.Second
	tests := []struct {
		name  string
		fake  *fakeIMAP
		codes []string // one of them
		clean bool     // the test message must be gone
		// logins, when not 0, is how many logins the server must see.
		logins int
	}{
		{"stalls mid-IDLE", &fakeIMAP{stallIdle: true}, []string{CodeIdleNotDelivered}, true, 2},
		{"endless LIST", &fakeIMAP{endlessList: true}, []string{CodeProtocol, CodeTimeout}, true, 1},
		{"never answers the login", &fakeIMAP{stallLogin: true}, []string{CodeTimeout}, true, 1},
		// The main session is lost: the clean-up logs in again (main, IDLE,
		// clean-up).
		{"never answers APPEND", &fakeIMAP{stallAppend: true}, []string{CodeTimeout}, true, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			port := tc.fake.start(t)
			c := accountChecker(t, budget, port)
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			a := checkAccount(t, c, port, "alice@mail.test", AccountOptions{})
			took := time.Since(start)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			t.Logf("took %s, %d KiB allocated, %d KiB of LIST sent; problems %+v", took.Round(time.Millisecond),
				(after.TotalAlloc-before.TotalAlloc)>>10, tc.fake.written.Load()>>10, a.Problems)
			// The budget, then at most the clean-up's own time.
			if max := budget + 2*c.opts.StepTimeout + 500*time.Millisecond; took > max {
				t.Errorf("took %s, over %s", took, max)
			}
			found := false
			for _, code := range tc.codes {
				found = found || hasCode(a, code)
			}
			if !found || a.Verdict == StatusOK {
				t.Errorf("want one of %v, got %s %v", tc.codes, a.Verdict, accountCodes(a))
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > 256<<20 {
				t.Errorf("allocated %d MiB: reads are not bounded", got>>20)
			}
			tc.fake.mu.Lock()
			logins := len(tc.fake.logins)
			tc.fake.mu.Unlock()
			if tc.logins != 0 && logins != tc.logins {
				t.Errorf("%d logins, want %d", logins, tc.logins)
			}
			if tc.clean && len(tc.fake.left()) != 0 {
				t.Errorf("the test message is left: %v", tc.fake.left())
			}
			noGoroutinesLeft(t)
		})
	}
}
