package probe

import (
	"bufio"
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/netip"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeIMAP is a small scripted IMAP server (implicit TLS) for the account
// test: well-behaved by default, with the faults the test must survive.
// Its one user is alice@mail.test, password "secret"; its folders are
// INBOX, Sent (\Sent), Trash (\Trash) and Junk (\Junk), and "All Mail"
// (\All) with allMail. Messages arrive by APPEND, or through
// fakeSubmission.
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
	// statusNO and quotaNO refuse STATUS and GETQUOTAROOT.
	statusNO, quotaNO bool
	// capsNO: the login's OK has no capabilities, and CAPABILITY after
	// login is refused.
	capsNO bool
	// allMail lists "All Mail", marked \All.
	allMail bool
	// deliverTo is the folder submitted messages arrive in; default
	// INBOX.
	deliverTo string
	// copyTo: each message that arrives is also filed in these folders
	// (as Gmail files a copy of submitted mail in Sent, and keeps all in
	// All Mail).
	copyTo []string
	// decoyIn: with each test message, a message whose X-Mailhelp-Test
	// header holds the run's id only as a substring is filed in these
	// folders (SEARCH HEADER matches it; the clean-up must not delete it).
	decoyIn []string

	mu       sync.Mutex
	msgs     map[int]string // UID → message; UID 1 is otherDeleted's
	box      map[int]string // UID → folder, when not INBOX
	own      map[int]bool   // messages not the test's: otherDeleted's, decoys
	deleted  map[int]bool
	nextUID  int
	appended chan struct{} // closed at the first arrival in INBOX
	logins   []string      // the usernames tried
	conns    int           // connections accepted
	expunged []string      // "UID EXPUNGE 2" or "EXPUNGE"
	written  atomic.Int64  // bytes of endless LIST sent
}

func (f *fakeIMAP) start(t *testing.T) int {
	t.Helper()
	f.msgs, f.box, f.own, f.deleted, f.nextUID, f.appended = map[int]string{}, map[int]string{}, map[int]bool{}, map[int]bool{}, 2, make(chan struct{})
	if f.otherDeleted {
		f.msgs[1], f.deleted[1], f.own[1] = "Subject: old\r\n\r\nold\r\n", true, true
	}
	cfg := tlsConfig(testPKI(t).good)
	return script(t, func(c net.Conn) {
		f.mu.Lock()
		f.conns++
		f.mu.Unlock()
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

// testHeaderValue is the X-Mailhelp-Test field's value in msg, if any.
func testHeaderValue(msg string) string {
	for _, line := range strings.Split(msg, "\r\n") {
		if line == "" {
			break
		}
		if name, value, ok := strings.Cut(line, ":"); ok && strings.EqualFold(name, "X-Mailhelp-Test") {
			return strings.TrimSpace(value)
		}
	}
	return ""
}

// arrive files msg in folder, its copies (copyTo) and decoys (decoyIn).
// f.mu is held.
func (f *fakeIMAP) arrive(msg, folder string) int {
	put := func(m, folder string) int {
		uid := f.nextUID
		f.nextUID++
		f.msgs[uid] = m
		if folder != "INBOX" {
			f.box[uid] = folder
		}
		return uid
	}
	uid := put(msg, folder)
	for _, c := range f.copyTo {
		put(msg, c)
	}
	if id := testHeaderValue(msg); id != "" {
		for _, d := range f.decoyIn {
			f.own[put("Subject: decoy\r\nX-Mailhelp-Test: not-"+id+"\r\n\r\ndecoy\r\n", d)] = true
		}
	}
	if folder == "INBOX" {
		select {
		case <-f.appended:
		default:
			close(f.appended)
		}
	}
	return uid
}

// in is the UIDs of folder's messages, in order. f.mu is held.
func (f *fakeIMAP) in(folder string) []int {
	var uids []int
	for uid := range f.msgs {
		if cmp.Or(f.box[uid], "INBOX") == folder {
			uids = append(uids, uid)
		}
	}
	slices.Sort(uids)
	return uids
}

// mailboxArg reads the mailbox name that starts args (atom or quoted).
func mailboxArg(args string) (string, string) {
	if strings.HasPrefix(args, `"`) {
		if end := strings.IndexByte(args[1:], '"'); end >= 0 {
			return args[1 : end+1], strings.TrimSpace(args[end+2:])
		}
	}
	name, rest, _ := strings.Cut(args, " ")
	return name, rest
}

// uidSet parses a UID set such as "2,4:6".
func uidSet(set string) []int {
	var uids []int
	for _, part := range strings.Split(set, ",") {
		lo, hi, isRange := strings.Cut(part, ":")
		a, _ := strconv.Atoi(lo)
		b := a
		if isRange {
			b, _ = strconv.Atoi(hi)
		}
		for u := min(a, b); u <= max(a, b) && u-min(a, b) < 1000; u++ {
			uids = append(uids, u)
		}
	}
	return uids
}

func (f *fakeIMAP) serve(c net.Conn) {
	br := bufio.NewReader(c)
	say := func(lines ...string) bool {
		_, err := io.WriteString(c, strings.Join(lines, "\r\n")+"\r\n")
		return err == nil
	}
	selected, loggedIn := "", false
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
			if loggedIn && f.capsNO {
				say(tag + " NO not now")
				break
			}
			say("* CAPABILITY "+f.caps(loggedIn), tag+" OK done")
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
				loggedIn = true
				if f.capsNO {
					say(tag + " OK logged in")
				} else {
					say(tag + " OK [CAPABILITY " + f.caps(true) + "] logged in")
				}
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
			lines := []string{`* LIST (\HasNoChildren) "/" INBOX`, `* LIST (\HasNoChildren \Sent) "/" Sent`, `* LIST (\HasNoChildren \Trash) "/" Trash`, `* LIST (\HasNoChildren \Junk) "/" Junk`}
			if f.allMail {
				lines = append(lines, `* LIST (\HasNoChildren \All) "/" "All Mail"`)
			}
			say(append(lines, tag+" OK done")...)
		case "STATUS":
			if f.statusNO {
				say(tag + " NO [SERVERBUG] status unavailable")
				break
			}
			f.mu.Lock()
			n := len(f.in("INBOX"))
			f.mu.Unlock()
			say(fmt.Sprintf("* STATUS INBOX (MESSAGES %d)", n), tag+" OK done")
		case "GETQUOTAROOT":
			switch {
			case f.quotaNO:
				say(tag + " NO quota unavailable")
			case f.quotaLimit == 0:
				say(`* QUOTAROOT INBOX`, tag+" OK done")
			default:
				say(`* QUOTAROOT INBOX "User quota"`, fmt.Sprintf(`* QUOTA "User quota" (STORAGE %d %d)`, f.quotaUsed, f.quotaLimit), tag+" OK done")
			}
		case "SELECT", "EXAMINE":
			name, _ := mailboxArg(args)
			if !slices.Contains([]string{"INBOX", "Sent", "Trash", "Junk", "All Mail"}, name) {
				selected = ""
				say(tag + " NO [NONEXISTENT] no such mailbox")
				break
			}
			selected = name
			f.mu.Lock()
			n := len(f.in(name))
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
				n := len(f.in("INBOX"))
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
			name, _ := mailboxArg(args)
			f.mu.Lock()
			uid := f.arrive(string(buf), name)
			f.mu.Unlock()
			say(fmt.Sprintf("%s OK [APPENDUID 1 %d] done", tag, uid))
		case "UID SEARCH":
			var uids []string
			f.mu.Lock()
			for _, uid := range f.in(selected) {
				// As real servers: the header's value contains the string.
				if fs := strings.Fields(args); len(fs) == 3 && strings.EqualFold(fs[0], "HEADER") &&
					strings.Contains(testHeaderValue(f.msgs[uid]), strings.Trim(fs[2], `"`)) {
					uids = append(uids, strconv.Itoa(uid))
				}
			}
			f.mu.Unlock()
			say(strings.TrimSpace("* SEARCH "+strings.Join(uids, " ")), tag+" OK done")
		case "UID FETCH":
			set, _, _ := strings.Cut(args, " ")
			f.mu.Lock()
			uids := f.in(selected)
			var out strings.Builder
			for _, uid := range uidSet(set) {
				seq := slices.Index(uids, uid) + 1
				if seq == 0 {
					continue
				}
				var h string
				if v := testHeaderValue(f.msgs[uid]); v != "" {
					h = "X-Mailhelp-Test: " + v + "\r\n"
				}
				h += "\r\n"
				fmt.Fprintf(&out, "* %d FETCH (UID %d BODY[HEADER.FIELDS (X-Mailhelp-Test)] {%d}\r\n%s)\r\n", seq, uid, len(h), h)
			}
			f.mu.Unlock()
			_, _ = io.WriteString(c, out.String())
			say(tag + " OK done")
		case "UID STORE":
			set, _, _ := strings.Cut(args, " ")
			f.mu.Lock()
			for _, uid := range uidSet(set) {
				if slices.Contains(f.in(selected), uid) {
					f.deleted[uid] = true
				}
			}
			f.mu.Unlock()
			say(tag + " OK done")
		case "UID EXPUNGE", "EXPUNGE":
			f.mu.Lock()
			f.expunged = append(f.expunged, strings.TrimSpace(cmd+" "+args))
			set := uidSet(args)
			for _, uid := range f.in(selected) {
				if f.deleted[uid] && (cmd == "EXPUNGE" || slices.Contains(set, uid)) {
					delete(f.msgs, uid)
					delete(f.deleted, uid)
					delete(f.box, uid)
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

// fakeSubmission is a scripted submission server (implicit TLS) that
// delivers what it accepts to a fakeIMAP's deliverTo folder.
type fakeSubmission struct {
	imap *fakeIMAP
	// refuseAuth answers AUTH with 535.
	refuseAuth bool

	mu    sync.Mutex
	auths []string // the usernames that authenticated, or tried
	rcpts []string
}

func (s *fakeSubmission) start(t *testing.T) int {
	t.Helper()
	cfg := tlsConfig(testPKI(t).good)
	return script(t, func(c net.Conn) {
		tc := tlsServer(c, cfg)
		if tc.Handshake() != nil {
			return
		}
		br := bufio.NewReader(tc)
		say := func(l string) { _, _ = io.WriteString(tc, l+"\r\n") }
		say("220 fake submission")
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			up := strings.ToUpper(line)
			switch {
			case strings.HasPrefix(up, "EHLO"):
				say("250-fake\r\n250-SIZE 1000000\r\n250 AUTH PLAIN")
			case strings.HasPrefix(up, "AUTH PLAIN "):
				raw, _ := base64.StdEncoding.DecodeString(line[len("AUTH PLAIN "):])
				parts := strings.Split(string(raw), "\x00")
				s.mu.Lock()
				if len(parts) == 3 {
					s.auths = append(s.auths, parts[1])
				}
				s.mu.Unlock()
				if s.refuseAuth {
					say("535 5.7.8 Authentication credentials invalid")
				} else {
					say("235 2.7.0 ok")
				}
			case strings.HasPrefix(up, "MAIL FROM:"):
				say("250 ok")
			case strings.HasPrefix(up, "RCPT TO:"):
				s.mu.Lock()
				s.rcpts = append(s.rcpts, strings.Trim(line[len("RCPT TO:"):], "<>"))
				s.mu.Unlock()
				say("250 ok")
			case up == "DATA":
				say("354 go on")
				var msg []string
				for {
					l, err := br.ReadString('\n')
					if err != nil {
						return
					}
					l = strings.TrimRight(l, "\r\n")
					if l == "." {
						break
					}
					msg = append(msg, strings.TrimPrefix(l, "."))
				}
				f := s.imap
				f.mu.Lock()
				f.arrive(strings.Join(msg, "\r\n")+"\r\n", cmp.Or(f.deliverTo, "INBOX"))
				f.mu.Unlock()
				say("250 queued")
			case up == "QUIT":
				say("221 bye")
				return
			default:
				say("502 no")
			}
		}
	})
}

// left is the UIDs of the test's messages still in the fake mailbox,
// in any folder.
func (f *fakeIMAP) left() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	var uids []int
	for uid := range f.msgs {
		if !f.own[uid] {
			uids = append(uids, uid)
		}
	}
	slices.Sort(uids)
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

// TestAccountFakeSend runs the round trip against the scripted IMAP
// server and a scripted submission server that delivers to it.
func TestAccountFakeSend(t *testing.T) {
	tests := []struct {
		name    string
		fake    *fakeIMAP
		sub     *fakeSubmission
		opts    AccountOptions
		verdict Status
		codes   []string
		keep    bool // the test message is expected left
		check   func(t *testing.T, f *fakeIMAP, s *fakeSubmission, a *AccountReport)
	}{
		// Delivered to INBOX, a copy filed in Sent (as Gmail and Microsoft
		// 365 do): both deleted, the decoy in Sent kept.
		{name: "copy in Sent", fake: &fakeIMAP{copyTo: []string{"Sent"}, decoyIn: []string{"Sent"}}, verdict: StatusOK,
			check: func(t *testing.T, f *fakeIMAP, s *fakeSubmission, a *AccountReport) {
				rt := a.RoundTrip
				if rt == nil || !rt.Submitted || !rt.Delivered || rt.Folder != "" || !rt.CleanedUp {
					t.Errorf("round trip %+v", rt)
				}
				if p := a.Push; p == nil || !p.Delivered || p.Method != "send" {
					t.Errorf("push %+v", a.Push)
				}
				if len(f.msgs) != 1 || !f.own[4] {
					t.Errorf("left %v: the decoy alone must be left", f.msgs)
				}
				if !slices.Equal(s.rcpts, []string{"alice@mail.test"}) || !slices.Equal(s.auths, []string{"alice@mail.test"}) {
					t.Errorf("recipients %v, logins %v", s.rcpts, s.auths)
				}
			}},
		// A filter puts it in Junk: delivered, but a warning names the
		// folder; push is not judged; the message is deleted from Junk.
		{name: "arrives in Junk", fake: &fakeIMAP{deliverTo: "Junk"}, verdict: StatusWarn, codes: []string{CodeNotDelivered},
			check: func(t *testing.T, f *fakeIMAP, s *fakeSubmission, a *AccountReport) {
				rt := a.RoundTrip
				if rt == nil || !rt.Submitted || !rt.Delivered || rt.Folder != "Junk" || !rt.CleanedUp {
					t.Errorf("round trip %+v", rt)
				}
				if len(a.Problems) != 1 || a.Problems[0].Severity != SeverityWarn || !strings.Contains(a.Problems[0].Detail, `arrived in "Junk", not in the inbox`) {
					t.Errorf("problems %+v", a.Problems)
				}
				if a.Push == nil || a.Push.Delivered {
					t.Errorf("push %+v", a.Push)
				}
			}},
		// The IMAP login works, the outgoing server refuses it: the
		// submission is refused, not the password; nothing was sent.
		{name: "outgoing login refused", fake: &fakeIMAP{}, sub: &fakeSubmission{refuseAuth: true}, verdict: StatusFail, codes: []string{CodeSubmissionRejected},
			check: func(t *testing.T, f *fakeIMAP, s *fakeSubmission, a *AccountReport) {
				if hasCode(a, CodeAuthFailed) || a.Login == nil || !a.Login.OK {
					t.Errorf("login %+v, problems %+v", a.Login, a.Problems)
				}
				if d := a.Problems[0].Detail; !strings.HasPrefix(d, "the outgoing server refused the login \"alice@mail.test\" (reply 535)") {
					t.Errorf("detail %q", d)
				}
				if rt := a.RoundTrip; rt == nil || rt.Submitted || rt.Delivered || !rt.CleanedUp {
					t.Errorf("round trip %+v", rt)
				}
				if len(f.msgs) != 0 {
					t.Errorf("messages %v", f.msgs)
				}
			}},
		// The address tested differs from the login: the message goes to
		// the address.
		{name: "address", fake: &fakeIMAP{}, opts: AccountOptions{Address: "bob@mail.test"}, verdict: StatusOK,
			check: func(t *testing.T, f *fakeIMAP, s *fakeSubmission, a *AccountReport) {
				if !slices.Equal(s.rcpts, []string{"bob@mail.test"}) || !slices.Equal(s.auths, []string{"alice@mail.test"}) {
					t.Errorf("recipients %v, logins %v", s.rcpts, s.auths)
				}
			}},
		{name: "no UIDPLUS", fake: &fakeIMAP{noUIDPlus: true}, verdict: StatusWarn, codes: []string{CodeProtocol}, keep: true,
			check: func(t *testing.T, f *fakeIMAP, s *fakeSubmission, a *AccountReport) {
				if rt := a.RoundTrip; rt == nil || !rt.Delivered || rt.CleanedUp {
					t.Errorf("round trip %+v", rt)
				}
				if len(f.expunged) != 0 || len(f.deleted) != 1 {
					t.Errorf("expunged %v, deleted %v", f.expunged, f.deleted)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			port := tc.fake.start(t)
			if tc.sub == nil {
				tc.sub = &fakeSubmission{}
			}
			tc.sub.imap = tc.fake
			sport := tc.sub.start(t)
			c := accountChecker(t, 4*time.Second, port, sport)
			tc.opts.Send = true
			rep, err := c.CheckAccount(context.Background(), Target{Host: testHost, Endpoints: []Endpoint{
				{Protocol: IMAP, Port: port, Security: ImplicitTLS},
				{Protocol: SMTP, Port: sport, Security: ImplicitTLS, Submission: true},
			}}, Credentials{Username: "alice@mail.test", Password: "secret"}, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			a := rep.Account
			t.Logf("%s %+v", a.Verdict, a.Problems)
			if a.Verdict != tc.verdict || rep.Verdict != tc.verdict {
				t.Errorf("verdict %s (report %s), want %s: %+v", a.Verdict, rep.Verdict, tc.verdict, a.Problems)
			}
			for _, code := range tc.codes {
				if !hasCode(a, code) {
					t.Errorf("no %s: %+v", code, a.Problems)
				}
			}
			if tc.verdict == StatusOK && len(a.Problems) != 0 {
				t.Errorf("problems: %+v", a.Problems)
			}
			for _, p := range a.Problems {
				if strings.Contains(p.Detail, "secret") {
					t.Errorf("the password is in a problem: %+v", p)
				}
			}
			if left := tc.fake.left(); !tc.keep && len(left) != 0 {
				t.Errorf("left in the mailbox: %v", left)
			}
			tc.fake.mu.Lock()
			defer tc.fake.mu.Unlock()
			tc.sub.mu.Lock()
			defer tc.sub.mu.Unlock()
			tc.check(t, tc.fake, tc.sub, a)
		})
	}
	noGoroutinesLeft(t)
}

// TestAccountBudgetSplit: an endpoint that stalls (a filtered port
// would) costs the endpoint checks half of the budget at most; the
// account test has the rest.
func TestAccountBudgetSplit(t *testing.T) {
	f := &fakeIMAP{}
	port := f.start(t)
	stall := script(t, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
	const budget = 2 * time.Second
	c := accountChecker(t, budget, port, stall)
	c.opts.StepTimeout = 10 * time.Second // only the budget ends the stall
	start := time.Now()
	rep, err := c.CheckAccount(context.Background(), Target{Host: testHost, Endpoints: []Endpoint{
		{Protocol: IMAP, Port: port, Security: ImplicitTLS},
		{Protocol: SMTP, Port: stall, Security: ImplicitTLS, Submission: true},
	}}, Credentials{Username: "alice@mail.test", Password: "secret"}, AccountOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a := rep.Account
	t.Logf("took %s: %s %+v", time.Since(start).Round(time.Millisecond), a.Verdict, a.Problems)
	if ms := rep.Endpoints[1].Timings.Total; ms > (budget/2 + 300*time.Millisecond).Milliseconds() {
		t.Errorf("the stalled endpoint took %d ms of a %s budget", ms, budget)
	}
	if a.Login == nil || !a.Login.OK || a.Push == nil || !a.Push.Delivered || len(a.Problems) != 0 {
		t.Errorf("login %+v, push %+v, problems %+v", a.Login, a.Push, a.Problems)
	}
	if left := f.left(); len(left) != 0 {
		t.Errorf("left %v", left)
	}
	noGoroutinesLeft(t)
}

// flipResolver resolves testHost to first at its first lookup, then to
// later: the endpoint check and the account test see the addresses in
// different orders.
type flipResolver struct {
	mu           sync.Mutex
	calls        int
	first, later []netip.Addr
}

func (r *flipResolver) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.calls == 1 {
		return r.first, nil
	}
	return r.later, nil
}

// TestAccountDialsReachedAddress: the account test's connections go
// first to the address the endpoint check reached, not to whatever comes
// first in a later lookup.
func TestAccountDialsReachedAddress(t *testing.T) {
	f := &fakeIMAP{}
	port := f.start(t) // on 127.0.0.1
	other, err := net.Listen("tcp", netip.AddrPortFrom(netip.MustParseAddr("127.0.0.3"), uint16(port)).String())
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.3:%d: %v", port, err)
	}
	defer other.Close()
	var wrong atomic.Int32
	go func() {
		for {
			c, err := other.Accept()
			if err != nil {
				return
			}
			wrong.Add(1)
			c.Close()
		}
	}()
	good, bad := netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("127.0.0.3")
	c := accountChecker(t, 4*time.Second, port)
	res := &flipResolver{first: []netip.Addr{good, bad}, later: []netip.Addr{bad, good}}
	c.opts.Policy.Resolver = res
	rep, err := c.CheckAccount(context.Background(), Target{Host: testHost, Endpoints: []Endpoint{{Protocol: IMAP, Port: port, Security: ImplicitTLS}}},
		Credentials{Username: "alice@mail.test", Password: "secret"}, AccountOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a := rep.Account
	if res.calls < 2 || rep.Endpoints[0].Address != netip.AddrPortFrom(good, uint16(port)).String() {
		t.Fatalf("%d lookups, endpoint check reached %s", res.calls, rep.Endpoints[0].Address)
	}
	if n := wrong.Load(); n != 0 || a.Login == nil || !a.Login.OK || a.Push == nil || !a.Push.Delivered {
		t.Errorf("%d connections to the other address; login %+v, push %+v, problems %+v", n, a.Login, a.Push, a.Problems)
	}
	noGoroutinesLeft(t)
}
