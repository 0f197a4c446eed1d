package probe

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// testHeader marks the account test's messages; its value is the run's
// random id, which is all the clean-up deletes.
const testHeader = "X-Mailhelp-Test"

// maxDeliveryWait bounds the wait for the test message to arrive.
const maxDeliveryWait = 10 * time.Second

// CheckAccount runs the endpoint checks of t (without credentials, as
// Check), then the account test on the recommended endpoints: login
// (telling a wrong password from a username in the wrong form or an
// account that cannot log in), the mailbox (special-use folders, message
// count, quota), push (an IDLE session must see a new message) and, with
// opts.Send, a round trip through the submission endpoint. Its test
// message, marked with a random id, is deleted again from INBOX and from
// the folders marked \Sent, \Junk and \All, even when a step failed or
// the budget ran out (the clean-up has its own short deadline).
//
// The whole runs within the Checker's budget, of which the endpoint
// checks get half at most: the account test always has the rest. Its
// connections go first to the address the endpoint check reached. The
// account test's result is Report.Account; its verdict is folded into
// Report.Verdict. The password is never put in a report, an error or a
// log. CheckAccount returns an error when the policy refuses the target,
// or when the arguments are unusable (no username or password; with
// Send, no address to send to: opts.Address, else creds.Username, else
// opts.OtherUsername, must be the user's address).
func (c *Checker) CheckAccount(ctx context.Context, t Target, creds Credentials, opts AccountOptions) (*Report, error) {
	if creds.Username == "" || creds.Password == "" {
		return nil, errors.New("probe: the account test needs a username and a password")
	}
	addr := accountAddress(creds.Username, opts.OtherUsername)
	switch {
	case validAddress(opts.Address):
		addr = opts.Address
	case opts.Address != "" && opts.Send:
		return nil, fmt.Errorf("probe: the round trip sends a message to the user, but the address %q is not a plain ASCII address", opts.Address)
	}
	if opts.Send && addr == "" {
		return nil, fmt.Errorf("probe: the round trip sends a message to the user, but neither the username %q nor the other form %q is an address", creds.Username, opts.OtherUsername)
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Budget)
	defer cancel()
	// The endpoint checks may meet filtered ports (25, often), each
	// costing a step timeout per address: half of the budget at most.
	cctx, ccancel := context.WithTimeout(ctx, c.opts.Budget/2)
	rep, err := c.Check(cctx, t, nil)
	ccancel()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	a := &AccountReport{Username: creds.Username}
	r := &accountRun{c: c, ctx: ctx, t: t, rep: a, creds: creds, opts: opts, addr: addr,
		hosts: make(map[string][]netip.Addr), special: make(map[string]string)}
	if err := r.run(rep); err != nil {
		return nil, err
	}
	a.Verdict = problemsVerdict(a.Problems)
	a.DurationMS = time.Since(start).Milliseconds()
	rep.Account = a
	rep.Verdict = worse(rep.Verdict, a.Verdict)
	return rep, nil
}

// reachedAddr is the address the endpoint check of ep connected to; the
// zero Addr when it connected nowhere.
func reachedAddr(eps []EndpointReport, ep Endpoint) netip.Addr {
	for i := range eps {
		if eps[i].Endpoint != ep || eps[i].Address == "" {
			continue
		}
		if ap, err := netip.ParseAddrPort(eps[i].Address); err == nil {
			return ap.Addr().Unmap()
		}
	}
	return netip.Addr{}
}

// preferAddr returns addrs with first (when among them) moved to the
// front, the others after it in their order, as fallbacks. Only addrs'
// addresses are ever dialed: the policy checked them.
func preferAddr(addrs []netip.Addr, first netip.Addr) []netip.Addr {
	if !first.IsValid() {
		return addrs
	}
	i := slices.IndexFunc(addrs, func(a netip.Addr) bool { return a.Unmap() == first.Unmap() })
	if i <= 0 {
		return addrs
	}
	out := make([]netip.Addr, 0, len(addrs))
	out = append(out, addrs[i])
	out = append(out, addrs[:i]...)
	return append(out, addrs[i+1:]...)
}

// accountRun is one account test.
type accountRun struct {
	c     *Checker
	ctx   context.Context // the budget
	t     Target
	rep   *AccountReport
	creds Credentials
	opts  AccountOptions
	// addr is the user's address, for the round trip.
	addr string
	// user is the login that works: creds.Username, or the other form.
	user string
	// life bounds every connection: the budget, then the clean-up.
	life time.Time
	// The recommended endpoints, their hosts and checked addresses.
	in, out           Endpoint
	inHost, outHost   string
	inAddrs, outAddrs []netip.Addr
	hosts             map[string][]netip.Addr
	// id marks this run's test message.
	id string
	// stored: a test message may be in the mailbox, for the clean-up to
	// find.
	stored bool
	// special maps the special-use attributes found ("\\Sent") to their
	// mailbox's name as the server spells it, for the clean-up.
	special map[string]string
}

// add reports problems. Their details quote the server only through
// scrub: never the password.
func (r *accountRun) add(ps ...Problem) {
	r.rep.Problems = append(r.rep.Problems, ps...)
}

// cleanupTimeout is the clean-up's own time, whatever is left of the
// budget.
func (r *accountRun) cleanupTimeout() time.Duration {
	return min(max(2*r.c.opts.StepTimeout, time.Second), 10*time.Second)
}

// resolve returns host's addresses through the policy, once per host.
func (r *accountRun) resolve(host string) ([]netip.Addr, error) {
	if a, ok := r.hosts[host]; ok {
		return a, nil
	}
	ctx, cancel := context.WithTimeout(r.ctx, r.c.opts.StepTimeout)
	defer cancel()
	addrs, err := r.c.opts.Policy.Resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	r.hosts[host] = addrs
	return addrs, nil
}

// resolveFailed reports a failed lookup, or returns a policy refusal.
func (r *accountRun) resolveFailed(err error) error {
	var pe *PolicyError
	if errors.As(err, &pe) {
		return err
	}
	code := CodeDNS
	if isTimeout(err) {
		code = CodeTimeout
	}
	r.add(problem(code, "%v", err))
	return nil
}

func (r *accountRun) run(rep *Report) error {
	rec := rep.Recommended
	if rec.Incoming == nil {
		p := problem(CodeAuthSkipped, "no IMAP endpoint works (see the endpoint checks): there is nothing to log in to")
		p.Severity = SeverityFail
		r.add(p)
		return nil
	}
	dl, ok := r.ctx.Deadline()
	if !ok {
		dl = time.Now().Add(r.c.opts.Budget)
	}
	r.life = dl.Add(r.cleanupTimeout())
	r.in = *rec.Incoming
	r.inHost = cmp.Or(r.in.Host, r.t.Host)
	var err error
	if r.inAddrs, err = r.resolve(r.inHost); err != nil {
		return r.resolveFailed(err)
	}
	// Where the endpoint check got through first: the others may be
	// filtered, at a step timeout each.
	r.inAddrs = preferAddr(r.inAddrs, reachedAddr(rep.Endpoints, r.in))
	if r.opts.Send && rec.Outgoing != nil {
		r.out = *rec.Outgoing
		r.outHost = cmp.Or(r.out.Host, r.t.Host)
		if r.outAddrs, err = r.resolve(r.outHost); err != nil {
			return r.resolveFailed(err)
		}
		r.outAddrs = preferAddr(r.outAddrs, reachedAddr(rep.Endpoints, r.out))
	}
	if r.id, err = newTestID(); err != nil {
		r.add(problem(CodeProtocol, "no random id for the test message: %v", err))
		return nil
	}

	main := r.login()
	if main == nil {
		return nil
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.ctx), r.cleanupTimeout())
		defer cancel()
		main = r.cleanup(ctx, main)
		main.logout(ctx)
	}()
	if !r.mailbox(main) {
		return nil
	}
	r.push(main, rec.Outgoing)
	return nil
}

// push proves that new mail reaches an IDLE session: a second session
// IDLEs on INBOX while the main one APPENDs the test message (or, with
// Send, the message is submitted to the user), and the delay to the
// IDLE session's EXISTS is measured. With Send, the message must also be
// found in INBOX (UID SEARCH on its id), IDLE or not.
func (r *accountRun) push(main *imapConn, out *Endpoint) {
	idle := main.caps.Has(imap.CapIdle)
	pr := &PushReport{Offered: idle, Method: "append"}
	r.rep.Push = pr
	var rt *RoundTripReport
	if r.opts.Send {
		pr.Method = "send"
		rt = &RoundTripReport{CleanedUp: true} // until a message is sent
		r.rep.RoundTrip = rt
		if out == nil {
			r.add(problem(CodeSubmissionRejected, "no submission endpoint works (see the endpoint checks): the test message could not be sent"))
			return
		}
		rt.Endpoint = *out
	}
	if !idle {
		r.add(problem(CodeIdleNotDelivered, "IDLE not offered: the device cannot be told of new mail at once, only find it when it next checks"))
		if rt == nil {
			return // nothing to prove, nothing to send
		}
	}
	var w *existsWatch
	var is *imapConn
	var ic *imapclient.IdleCommand
	if idle {
		w = &existsWatch{base: -1, c: make(chan struct{}, 1)}
		is, ic = r.startIdle(w)
		if ic == nil && rt == nil {
			return
		}
	}
	// The IDLE session ends politely unless it failed to tell of the
	// message (then it may well not answer DONE either).
	polite := true
	defer func() { stopIdle(r.ctx, is, ic, polite) }()

	msg := testMessage(r.addr, r.id, time.Now())
	if ic == nil {
		w = nil // IDLE not offered, or its session failed: said already
	}
	var t0 time.Time
	if rt != nil {
		// The main session watches INBOX read-only for the message.
		if err := main.step(r.ctx, func() error {
			_, err := main.cl.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
			return err
		}); err != nil {
			r.add(main.failure("EXAMINE INBOX", err))
			return
		}
		if w != nil {
			w.start()
		}
		var ok bool
		if t0, ok = r.submit(rt, msg); !ok {
			return
		}
	} else {
		if w != nil {
			w.start()
		}
		t0 = time.Now()
		r.stored = true
		err := main.step(r.ctx, func() error {
			cmd := main.cl.Append("INBOX", int64(len(msg)), &imap.AppendOptions{Flags: []imap.Flag{imap.FlagSeen}})
			if _, err := cmd.Write(msg); err != nil {
				_ = cmd.Close()
				_, _ = cmd.Wait()
				return err
			}
			if err := cmd.Close(); err != nil {
				_, _ = cmd.Wait()
				return err
			}
			_, err := cmd.Wait()
			return err
		})
		if err != nil {
			r.add(main.failure("APPEND of the test message", err))
			return
		}
	}
	pushAt, foundAt, folder, ok := r.await(main, w, rt != nil)
	// The IDLE session is left at once if it failed to tell of the
	// message; not if the message went elsewhere than INBOX.
	polite = w == nil || !pushAt.IsZero() || folder != ""
	if !ok {
		return
	}
	if rt != nil {
		if foundAt.IsZero() {
			where := "INBOX"
			if junk := r.special[string(imap.MailboxAttrJunk)]; junk != "" {
				where = fmt.Sprintf("INBOX (nor %q)", clean(junk, maxMailboxName))
			}
			r.add(problem(CodeNotDelivered, "the submission server accepted the test message, but it did not reach %s within %s: mail to %s is delayed or lost (if it arrives later, its subject starts with %q; it may be deleted)",
				where, time.Since(t0).Round(100*time.Millisecond), r.addr, "mailhelp account test "+r.id))
			return
		}
		rt.Delivered = true
		rt.DelayMS = earliest(foundAt, pushAt).Sub(t0).Milliseconds()
		if folder != "" {
			// Delivered, but not where the device looks: a warning. Push
			// is not judged: the IDLE session watches INBOX.
			rt.Folder = clean(folder, maxMailboxName)
			p := problem(CodeNotDelivered, "the test message arrived in %q, not in the inbox: a filter moves it there (a rule, or the spam filter), so such mail goes unseen on the device; push was not judged, as it watches the inbox", rt.Folder)
			p.Severity = SeverityWarn
			r.add(p)
			return
		}
	}
	if w == nil {
		return
	}
	if pushAt.IsZero() {
		what := "the appended test message"
		if rt != nil {
			what = "the test message, although it reached INBOX"
		}
		r.add(problem(CodeIdleNotDelivered, "the IDLE session was not told of %s within %s: the device will not get new mail at once", what, time.Since(t0).Round(100*time.Millisecond)))
		return
	}
	pr.Delivered = true
	pr.DelayMS = pushAt.Sub(t0).Milliseconds()
}

// startIdle opens the second session: it logs in, EXAMINEs INBOX (read
// only: it changes nothing) and IDLEs, watching EXISTS through w.
func (r *accountRun) startIdle(w *existsWatch) (*imapConn, *imapclient.IdleCommand) {
	const step = "IDLE session"
	s, probs := r.open(r.ctx, step, w.handler())
	if s == nil {
		r.add(idleProblems(probs)...)
		return nil, nil
	}
	var base uint32
	err := s.step(r.ctx, func() error {
		d, err := s.cl.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
		if err == nil {
			base = d.NumMessages
		}
		return err
	})
	if err != nil {
		r.add(idleProblems([]Problem{s.failure(step+": EXAMINE INBOX", err)})...)
		s.close()
		return nil, nil
	}
	w.setBase(base)
	var ic *imapclient.IdleCommand
	err = s.step(r.ctx, func() error {
		var err error
		ic, err = s.cl.Idle()
		return err
	})
	if err != nil {
		r.add(idleProblems([]Problem{s.failure(step+": IDLE", err)})...)
		s.close()
		return nil, nil
	}
	return s, ic
}

// idleProblems reports a failed IDLE session as push not delivered, with
// its cause.
func idleProblems(probs []Problem) []Problem {
	out := make([]Problem, len(probs))
	for i, p := range probs {
		out[i] = problem(CodeIdleNotDelivered, "push could not be tested: %s (%s)", p.Detail, p.Code)
	}
	return out
}

// stopIdle ends the IDLE session: politely (DONE, LOGOUT) when asked and
// time is left, else at once.
func stopIdle(ctx context.Context, s *imapConn, ic *imapclient.IdleCommand, polite bool) {
	if s == nil {
		return
	}
	if polite && ic != nil && ctx.Err() == nil {
		err := s.run(ctx, min(s.c.opts.StepTimeout, time.Second), func() error {
			if err := ic.Close(); err != nil {
				return err
			}
			return ic.Wait()
		})
		if err == nil {
			s.logout(ctx)
			return
		}
	}
	s.close()
}

// await waits for the test message: an EXISTS on the IDLE session (w, when
// not nil) and, with search, the message found in INBOX by the main
// session (polled, and at once after an EXISTS), or in the folder marked
// \Junk (looked at every few polls and at the end: a filter may put it
// there; folder then names it). It returns when each awaited event
// happened, or when the wait is over: at most maxDeliveryWait, leaving
// some of the budget (StepTimeout, or a quarter of what is left) for what
// follows. ok is false when the main session failed (reported).
func (r *accountRun) await(main *imapConn, w *existsWatch, search bool) (pushAt, foundAt time.Time, folder string, ok bool) {
	left := time.Until(r.life) - r.cleanupTimeout()
	wait := min(maxDeliveryWait, left-min(r.c.opts.StepTimeout, left/4))
	if wait <= 0 || (w == nil && !search) {
		return pushAt, foundAt, "", true
	}
	end := time.Now().Add(wait)
	timer := time.NewTimer(wait)
	defer timer.Stop()
	var existsC <-chan struct{}
	if w != nil {
		existsC = w.c
	}
	var poll <-chan time.Time
	var junk string
	if search {
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		poll = tick.C
		junk = r.special[string(imap.MailboxAttrJunk)]
	}
	// look searches INBOX and, with elsewhere, the Junk folder.
	look := func(elsewhere bool) bool {
		uids, err := r.findTest(r.ctx, main)
		if err != nil {
			r.add(main.failure("search for the test message", err))
			return false
		}
		if len(uids) > 0 && foundAt.IsZero() {
			foundAt = time.Now()
		}
		if !elsewhere || junk == "" || !foundAt.IsZero() {
			return true
		}
		found, err := r.lookIn(main, junk)
		switch {
		case err != nil && main.alive() && isIMAPError(err):
			junk = "" // not selectable: INBOX alone, as before
		case err != nil:
			r.add(main.failure(fmt.Sprintf("search for the test message in %q", clean(junk, maxMailboxName)), err))
			return false
		case found:
			foundAt, folder = time.Now(), junk
		}
		return true
	}
	polls := 0
	for {
		select {
		case <-existsC:
			existsC = nil
			pushAt = w.seen()
			if search && foundAt.IsZero() && !look(false) {
				return pushAt, foundAt, folder, false
			}
		case <-poll:
			polls++
			if !look(polls%4 == 0) {
				return pushAt, foundAt, folder, false
			}
		case <-timer.C:
			if search && foundAt.IsZero() && r.ctx.Err() == nil && !look(true) {
				return pushAt, foundAt, folder, false
			}
			return pushAt, foundAt, folder, true
		case <-r.ctx.Done():
			return pushAt, foundAt, folder, true
		}
		if folder != "" || ((w == nil || !pushAt.IsZero()) && (!search || !foundAt.IsZero())) {
			return pushAt, foundAt, folder, true
		}
		if !foundAt.IsZero() && poll != nil {
			// Found by searching, not yet told by the IDLE session: give
			// it a moment more, not the whole wait.
			poll = nil
			timer.Reset(min(2*time.Second, time.Until(end)))
		}
	}
}

// lookIn searches the folder name (EXAMINEd: read-only) for the test
// message, then EXAMINEs INBOX again, for the main session's watch.
func (r *accountRun) lookIn(s *imapConn, name string) (bool, error) {
	err := s.step(r.ctx, func() error {
		_, err := s.cl.Select(name, &imap.SelectOptions{ReadOnly: true}).Wait()
		return err
	})
	var uids []imap.UID
	if err == nil {
		uids, err = r.findTest(r.ctx, s)
	}
	if !s.alive() {
		return false, err
	}
	if err2 := s.step(r.ctx, func() error {
		_, err := s.cl.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
		return err
	}); err2 != nil {
		// Without INBOX the watch cannot go on: a failure, whatever the
		// folder said (%v: not to be taken for the folder's refusal).
		return false, fmt.Errorf("EXAMINE INBOX again: %v", err2)
	}
	return len(uids) > 0, err
}

// isIMAPError says whether err is the server's NO or BAD (the session
// goes on), not a lost connection.
func isIMAPError(err error) bool {
	var ie *imap.Error
	return errors.As(err, &ie)
}

// existsWatch sees the IDLE session's EXISTS responses. imapclient calls
// its handler from the session's reading goroutine, which must not block.
type existsWatch struct {
	mu      sync.Mutex
	base    int64 // messages when IDLE began; -1 before
	started bool
	at      time.Time
	c       chan struct{} // 1-buffered: the first EXISTS past base
}

func (w *existsWatch) handler() *imapclient.UnilateralDataHandler {
	return &imapclient.UnilateralDataHandler{Mailbox: func(d *imapclient.UnilateralDataMailbox) {
		if d.NumMessages == nil {
			return
		}
		n := int64(*d.NumMessages)
		w.mu.Lock()
		defer w.mu.Unlock()
		switch {
		case w.base < 0:
		case !w.started:
			w.base = max(w.base, n) // mail that came before the test's
		case n > w.base && w.at.IsZero():
			w.at = time.Now()
			select {
			case w.c <- struct{}{}:
			default:
			}
		}
	}}
}

func (w *existsWatch) setBase(n uint32) {
	w.mu.Lock()
	w.base = int64(n)
	w.mu.Unlock()
}

// start counts EXISTS from now on as the test message's.
func (w *existsWatch) start() {
	w.mu.Lock()
	w.started = true
	w.mu.Unlock()
}

func (w *existsWatch) seen() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.at
}

// cleanup deletes the test message, always, within ctx, the clean-up's
// own deadline: on the main session when it is still usable, else on a
// new one. It looks in INBOX and in the folders marked \Sent (servers
// that file a copy of submitted mail), \Junk (filters) and \All (Gmail
// keeps every message there), when the server has them. It returns the
// session to log out.
func (r *accountRun) cleanup(ctx context.Context, main *imapConn) *imapConn {
	if !r.stored {
		return main
	}
	dl, _ := ctx.Deadline()
	s := main
	if s.alive() {
		s.conn.setLife(dl)
	} else {
		s.close()
		r.life = dl
		var probs []Problem
		if s, probs = r.open(ctx, "clean-up", nil); s == nil {
			code := CodeProtocol
			if len(probs) > 0 {
				code = probs[0].Code
			}
			r.cleanupFailed(code, firstDetail(probs), r.cleanupFolders()...)
			return nil
		}
	}
	sent := r.special[string(imap.MailboxAttrSent)]
	arrived := 0 // found where a delivery puts it (not the Sent copy)
	failed := false
	var flagged []string
	for i, name := range r.cleanupFolders() {
		err := s.step(ctx, func() error { _, err := s.cl.Select(name, nil).Wait(); return err })
		if err != nil && i > 0 && s.alive() && isIMAPError(err) {
			continue // not selectable: nothing the test can see, or delete, there
		}
		var n int
		if err == nil {
			n, err = r.deleteTest(ctx, s, name)
		}
		if name != sent {
			arrived += n
		}
		switch {
		case errors.Is(err, errFlaggedOnly):
			flagged = append(flagged, name)
		case err != nil:
			p := s.failure(fmt.Sprintf("clean-up of %s", folderName(name)), err)
			r.cleanupFailed(p.Code, p.Detail, name)
			failed = true
			if !s.alive() {
				return s
			}
		}
	}
	if len(flagged) > 0 {
		r.cleanupFailed(CodeProtocol, "the server lacks UIDPLUS, and a plain EXPUNGE would also remove any message another client flagged \\Deleted meanwhile; it is only flagged \\Deleted", flagged...)
		return s
	}
	if rt := r.rep.RoundTrip; rt != nil && !failed {
		// Found and deleted; if not found, it may still come (said by
		// not_delivered).
		rt.CleanedUp = arrived > 0
	}
	return s
}

// cleanupFolders are the folders the clean-up looks in: INBOX, then
// those marked \Sent, \Junk and \All, each once.
func (r *accountRun) cleanupFolders() []string {
	folders := []string{"INBOX"}
	for _, su := range []imap.MailboxAttr{imap.MailboxAttrSent, imap.MailboxAttrJunk, imap.MailboxAttrAll} {
		name := r.special[string(su)]
		if name == "" || strings.EqualFold(name, "INBOX") || slices.Contains(folders, name) {
			continue
		}
		folders = append(folders, name)
	}
	return folders
}

// folderName names a folder in a detail: INBOX as such, the others
// quoted.
func folderName(name string) string {
	if strings.EqualFold(name, "INBOX") {
		return "INBOX"
	}
	return fmt.Sprintf("%q", clean(name, maxMailboxName))
}

// cleanupFailed reports a test message left in folders: a warning, with
// what to delete by hand.
func (r *accountRun) cleanupFailed(code, detail string, folders ...string) {
	if rt := r.rep.RoundTrip; rt != nil {
		rt.CleanedUp = false
	}
	names := make([]string, len(folders))
	for i, f := range folders {
		names[i] = folderName(f)
	}
	where := strings.Join(names, " or ")
	if where == "" {
		where = "INBOX"
	}
	p := problem(code, "the test message could not be deleted (%s): delete the message %q from %s by hand", detail, "mailhelp account test "+r.id+" - safe to delete", where)
	p.Severity = SeverityWarn
	r.add(p)
}

// newTestID returns a random id for the test message.
func newTestID() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// testMessage is the short, clearly labelled test message (CRLF lines,
// ASCII), from and to addr when known.
func testMessage(addr, id string, now time.Time) []byte {
	from, to := "mailhelp account test <noreply@mailhelp-probe.invalid>", "undisclosed-recipients:;"
	if addr != "" {
		from, to = "<"+addr+">", "<"+addr+">"
	}
	lines := []string{
		"From: " + from,
		"To: " + to,
		"Subject: mailhelp account test " + id + " - safe to delete",
		"Date: " + now.Format(time.RFC1123Z),
		"Message-ID: <" + id + "@mailhelp-probe.invalid>",
		testHeader + ": " + id,
		"Auto-Submitted: auto-generated",
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=us-ascii",
		"",
		"This message was sent by mailhelp's account test, to check that",
		"mail reaches this mailbox and that the device is told at once.",
		"The test deletes it again; if it is still here, delete it.",
	}
	return []byte(strings.Join(lines, "\r\n") + "\r\n")
}

// accountAddress is the user's address for the round trip: the first of
// the candidates that is a plain ASCII address.
func accountAddress(candidates ...string) string {
	for _, a := range candidates {
		if validAddress(a) {
			return a
		}
	}
	return ""
}

// validAddress accepts local@domain in printable ASCII, without the
// characters that could break out of an SMTP path or a header.
func validAddress(a string) bool {
	at := strings.LastIndexByte(a, '@')
	if at <= 0 || at == len(a)-1 || len(a) > 254 {
		return false
	}
	for i := 0; i < len(a); i++ {
		c := a[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`<>()[]\,;:"`, c) >= 0 {
			return false
		}
	}
	return true
}

// problemsVerdict is the worst severity among problems.
func problemsVerdict(probs []Problem) Status {
	st := StatusOK
	for _, p := range probs {
		switch p.Severity {
		case SeverityFail:
			return StatusFail
		case SeverityWarn:
			st = StatusWarn
		}
	}
	return st
}

// worse is the worse of two verdicts.
func worse(a, b Status) Status {
	rank := map[Status]int{StatusOK: 0, StatusWarn: 1, StatusFail: 2}
	if rank[b] > rank[a] {
		return b
	}
	return a
}
