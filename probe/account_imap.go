package probe

import (
	"context"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
)

// Errors of the account test's login.
var (
	errNoMechanism = errors.New("neither AUTH=PLAIN nor LOGIN is available")
	errNoCaps      = errors.New("the server did not list its capabilities")
)

// capsAfterLoginError: the login succeeded, but asking for the
// capabilities afterwards failed. It is not a refused login.
type capsAfterLoginError struct{ err error }

func (e *capsAfterLoginError) Error() string { return e.err.Error() }
func (e *capsAfterLoginError) Unwrap() error { return e.err }

// loggedIn says whether err from login came after a successful login.
func loggedIn(err error) bool {
	var ce *capsAfterLoginError
	return errors.As(err, &ce)
}

// capabilities returns the session's capabilities (asking for them if
// the server has not said them since the last change).
func (s *imapConn) capabilities(ctx context.Context) (imap.CapSet, error) {
	var caps imap.CapSet
	err := s.step(ctx, func() error {
		if caps = s.cl.Caps(); caps == nil {
			return errNoCaps
		}
		return nil
	})
	return caps, err
}

// login logs in with AUTHENTICATE PLAIN when offered, else LOGIN, and
// returns the mechanism used. On success s.caps holds the capabilities
// after login; when only those could not be had, the error is a
// *capsAfterLoginError (loggedIn).
func (s *imapConn) login(ctx context.Context, user, pass string) (string, error) {
	caps, err := s.capabilities(ctx)
	if err != nil {
		return "", err
	}
	var mech string
	switch {
	case caps.Has(imap.AuthCap(sasl.Plain)):
		mech = sasl.Plain
		err = s.step(ctx, func() error { return s.cl.Authenticate(sasl.NewPlainClient("", user, pass)) })
	case !caps.Has(imap.CapLoginDisabled):
		mech = "LOGIN"
		err = s.step(ctx, func() error { return s.cl.Login(user, pass).Wait() })
	default:
		return "", errNoMechanism
	}
	if err != nil {
		return mech, err
	}
	if s.caps, err = s.capabilities(ctx); err != nil {
		return mech, &capsAfterLoginError{err}
	}
	return mech, nil
}

// loginRefusal is how the account test reads a refused login.
type loginRefusal struct {
	// code is the problem code: CodeAuthFailed, CodeAccountUnavailable or
	// CodeProtocol; "" when the login was not refused but the connection
	// failed (timeout, closed…).
	code string
	// respCode is the server's response code, if any.
	respCode string
	// tryOther: the refusal may be the username's form, so the other
	// form is worth one attempt.
	tryOther bool
	// temporary: the server is busy or the account has too many
	// connections ([UNAVAILABLE], [LIMIT], [INUSE]); later may work.
	temporary bool
	// text is the server's text, cleaned and clipped.
	text string
}

// classifyLogin reads the server's answer to a refused login (RFC 5530
// response codes).
func classifyLogin(err error) loginRefusal {
	var ie *imap.Error
	if !errors.As(err, &ie) {
		return loginRefusal{}
	}
	r := loginRefusal{respCode: clean(strings.ToUpper(string(ie.Code)), maxCapLen), text: clean(ie.Text, maxBanner)}
	if ie.Type != imap.StatusResponseTypeNo {
		// BAD: the server did not understand the command.
		r.code = CodeProtocol
		return r
	}
	switch imap.ResponseCode(r.respCode) {
	case "", imap.ResponseCodeAuthenticationFailed, imap.ResponseCodeAlert:
		// Wrong password, or a username the server does not know: in
		// which form, the other attempt tells.
		r.code, r.tryOther = CodeAuthFailed, true
	case imap.ResponseCodeUnavailable, imap.ResponseCodeLimit, imap.ResponseCodeInUse:
		// The credentials may well be right: the server cannot take the
		// login now (a subsystem down, too many sessions, in use).
		r.code, r.temporary = CodeAccountUnavailable, true
	case imap.ResponseCodeExpired, imap.ResponseCodePrivacyRequired,
		imap.ResponseCodeContactAdmin, imap.ResponseCodeAuthorizationFailed:
		// The credentials may well be right: the account cannot log in
		// (disabled, locked, expired, needs another protection).
		r.code = CodeAccountUnavailable
	default:
		// A code that says nothing about the username: refused, but no
		// second attempt.
		r.code = CodeAuthFailed
	}
	return r
}

// detail renders the server's words for a problem.
func (r loginRefusal) detail() string {
	var parts []string
	if r.respCode != "" {
		parts = append(parts, "["+r.respCode+"]")
	}
	if r.text != "" {
		parts = append(parts, r.text)
	}
	if len(parts) == 0 {
		return "no reason given"
	}
	return strings.Join(parts, " ")
}

// unavailable is the detail of a login refused for a reason other than
// the password, as user; why is the server's words, scrubbed.
func (r loginRefusal) unavailable(user, why string) string {
	if r.temporary {
		return fmt.Sprintf("the server temporarily refused %q (%s): it is busy, or the account has too many connections open (other devices or apps); try again later", user, why)
	}
	return fmt.Sprintf("the server refused %q for a reason other than the password (%s): the account is disabled, locked or expired, or needs the administrator", user, why)
}

// scrub removes the password from text that came from the server: a
// hostile server could echo it to have it reported.
func scrub(s, pass string) string {
	if len(pass) >= 3 {
		s = strings.ReplaceAll(s, pass, "…")
	}
	return s
}

// open connects a new session to the IMAP endpoint and logs in as the
// login that worked; its problems are named for step.
func (r *accountRun) open(ctx context.Context, step string, h *imapclient.UnilateralDataHandler) (*imapConn, []Problem) {
	s, probs := r.c.openIMAP(ctx, r.life, r.inHost, r.inAddrs, r.in, r.creds.Password, h)
	if s == nil {
		return nil, prefixed(step, probs)
	}
	_, err := s.login(ctx, r.user, r.creds.Password)
	if err == nil {
		return s, nil
	}
	// Named before the close, which would be taken for the cause.
	var p Problem
	if lr := classifyLogin(err); lr.code != "" && !loggedIn(err) {
		p = problem(lr.code, "%s: the login that worked at first was refused: %s", step, scrub(lr.detail(), r.creds.Password))
	} else if loggedIn(err) {
		p = s.failure(step+": CAPABILITY after login", err)
	} else {
		p = s.failure(step+" login", err)
	}
	s.close()
	return nil, []Problem{p}
}

// prefixed names the step in each problem's detail.
func prefixed(step string, probs []Problem) []Problem {
	out := make([]Problem, len(probs))
	for i, p := range probs {
		p.Detail = step + ": " + p.Detail
		out[i] = p
	}
	return out
}

// login opens the main session and logs in as the configured username;
// when that is refused and the refusal may be the username's form, it
// tries the other form once, on the same connection, and only when the
// server keeps it open after the refusal (it allows another attempt):
// never on a new connection, never a third time. It returns the
// logged-in session, or nil.
func (r *accountRun) login() *imapConn {
	lr := &LoginResult{Endpoint: r.in}
	r.rep.Login = lr
	s, probs := r.c.openIMAP(r.ctx, r.life, r.inHost, r.inAddrs, r.in, r.creds.Password, nil)
	if s == nil {
		r.add(probs...)
		return nil
	}
	// The other sessions go first where this one got through.
	r.inAddrs = preferAddr(r.inAddrs, s.addr)
	user, pass := r.creds.Username, r.creds.Password
	mech, err := s.login(r.ctx, user, pass)
	lr.Mechanism = mech
	if err == nil || loggedIn(err) {
		lr.OK = true
		r.user = user
		return r.loggedIn(s, err)
	}
	if errors.Is(err, errNoMechanism) {
		r.add(problem(CodeAuthMechanism, "neither AUTH=PLAIN nor LOGIN is available over TLS"))
		s.close()
		return nil
	}
	ref := classifyLogin(err)
	lr.ResponseCode = scrub(ref.respCode, pass)
	detail := scrub(ref.detail(), pass)
	switch ref.code {
	case "":
		r.add(s.failure("login", err))
		s.close()
		return nil
	case CodeAccountUnavailable:
		lr.Temporary = ref.temporary
		r.add(problem(CodeAccountUnavailable, "%s", ref.unavailable(user, detail)))
		s.close()
		return nil
	case CodeProtocol:
		r.add(problem(CodeProtocol, "login: the server answered BAD %s", detail))
		s.close()
		return nil
	}
	other := r.opts.OtherUsername
	if !ref.tryOther || other == "" || other == user {
		r.add(problem(CodeAuthFailed, "the server refused the username %q or its password: %s", user, detail))
		s.close()
		return nil
	}
	// The other form, once, if the server allows another attempt: it
	// keeps the connection open. A NOOP first makes sure: a BYE sent
	// after the refusal comes before its answer.
	if !s.alive() || s.step(r.ctx, func() error { return s.cl.Noop().Wait() }) != nil || !s.alive() {
		s.close()
		r.add(problem(CodeAuthFailed, "the server refused the username %q or its password (%s), and closed the connection: the other form %q was not tried, as that would take a second password attempt the server does not allow", user, detail, other))
		return nil
	}
	_, err = s.login(r.ctx, other, pass)
	works := err == nil || loggedIn(err)
	lr.OtherFormWorks = &works
	if works {
		r.add(problem(CodeUsernameForm, "the server refused the username %q but accepts %q with the same password: set the username to %q on the device", user, other, other))
		r.user = other
		return r.loggedIn(s, err)
	}
	defer s.close() // after the failure is named: the close would be taken for its cause
	switch ref2 := classifyLogin(err); ref2.code {
	case CodeAccountUnavailable:
		lr.ResponseCode = scrub(ref2.respCode, pass)
		lr.Temporary = ref2.temporary
		r.add(problem(CodeAccountUnavailable, "the server refused the username %q (%s); as for %q, the account's other form, %s", user, detail, other, ref2.unavailable(other, scrub(ref2.detail(), pass))))
	case "":
		lr.OtherFormWorks = nil
		p := s.failure("login as "+other, err)
		r.add(problem(CodeAuthFailed, "the server refused the username %q or its password (%s); the other form %q could not be tried: %s", user, detail, other, p.Detail))
	default:
		r.add(problem(CodeAuthFailed, "the server refused the password for %q, and for %q too: the password is wrong, or the account unknown (%s)", user, other, detail))
	}
	return nil
}

// loggedIn goes on after a successful login: with s, unless err says the
// capabilities could not be had after it (reported as what it is, a
// protocol failure or a timeout, not a refused login).
func (r *accountRun) loggedIn(s *imapConn, err error) *imapConn {
	if err == nil {
		return s
	}
	r.add(s.failure("CAPABILITY after login", err))
	s.close()
	return nil
}

// specialUses are the RFC 6154 attributes the mailbox report names.
var specialUses = []imap.MailboxAttr{
	imap.MailboxAttrSent, imap.MailboxAttrDrafts, imap.MailboxAttrTrash, imap.MailboxAttrJunk,
	imap.MailboxAttrArchive, imap.MailboxAttrAll, imap.MailboxAttrFlagged,
}

// sentNames are folder names that often hold sent mail without being
// marked \Sent.
var sentNames = []string{"Sent", "Sent Items", "Sent Messages", "Sent Mail", "Envoyés", "Éléments envoyés", "Gesendet", "Gesendete Elemente", "Enviados", "Inviata", "Verzonden"}

// maxMailboxName bounds a mailbox name kept in the report.
const maxMailboxName = 200

// maxRawMailboxName bounds a mailbox name kept, as the server spells it,
// to SELECT it in the clean-up.
const maxRawMailboxName = 1000

// mailbox lists the special-use mailboxes, counts INBOX's messages and
// reads its quota. It reports false when the session is lost.
func (r *accountRun) mailbox(s *imapConn) bool {
	mb := &MailboxReport{SpecialUse: make(map[string]string)}
	r.rep.Mailbox = mb
	var opts *imap.ListOptions
	if s.caps.Has(imap.CapListExtended) {
		opts = &imap.ListOptions{ReturnSpecialUse: true}
	}
	var sentLike string
	err := s.step(r.ctx, func() error {
		cmd := s.cl.List("", "*", opts)
		// Read every entry (imapclient waits for them to be taken) but
		// keep only what the report needs.
		for d := cmd.Next(); d != nil; d = cmd.Next() {
			name := clean(d.Mailbox, maxMailboxName)
			for _, a := range d.Attrs {
				for _, su := range specialUses {
					if strings.EqualFold(string(a), string(su)) {
						if _, dup := mb.SpecialUse[string(su)]; !dup {
							mb.SpecialUse[string(su)] = name
							if len(d.Mailbox) <= maxRawMailboxName {
								r.special[string(su)] = d.Mailbox // for the clean-up
							}
						}
					}
				}
			}
			if sentLike == "" {
				leaf := name
				if sep := string(d.Delim); d.Delim != 0 {
					if i := strings.LastIndex(name, sep); i >= 0 {
						leaf = name[i+len(sep):]
					}
				}
				for _, n := range sentNames {
					if strings.EqualFold(leaf, n) {
						sentLike = name
					}
				}
			}
		}
		return cmd.Close()
	})
	if err != nil {
		r.add(s.failure("list of mailboxes", err))
		if !s.alive() {
			return false
		}
	} else {
		mb.SentFolder = mb.SpecialUse[string(imap.MailboxAttrSent)]
		if mb.SentFolder == "" {
			hint := ""
			if sentLike != "" {
				hint = fmt.Sprintf(" (a folder named %q exists, but the server does not mark it)", sentLike)
			}
			r.add(problem(CodeNoSentFolder, "no mailbox is marked \\Sent%s: set the folder for sent mail by hand in the device's settings (the device's 'append to Sent folder' option, or its equivalent), or sent mail stays on the device alone", hint))
		}
	}
	if len(mb.SpecialUse) == 0 {
		mb.SpecialUse = nil
	}

	err = s.step(r.ctx, func() error {
		st, err := s.cl.Status("INBOX", &imap.StatusOptions{NumMessages: true}).Wait()
		if err == nil && st.NumMessages != nil {
			mb.Messages = *st.NumMessages
		}
		return err
	})
	if err != nil {
		r.add(optional(s.failure("STATUS of INBOX", err), err))
		if !s.alive() {
			return false
		}
	}

	if !s.caps.Has(imap.CapQuota) {
		return true
	}
	err = s.step(r.ctx, func() error {
		roots, err := s.cl.GetQuotaRoot("INBOX").Wait()
		for _, q := range roots {
			st, ok := q.Resources[imap.QuotaResourceStorage]
			if !ok || st.Limit <= 0 || st.Usage < 0 {
				continue
			}
			pct := percent(st.Usage, st.Limit)
			if mb.Quota == nil || pct > mb.Quota.Percent {
				mb.Quota = &Quota{Root: clean(q.Root, maxMailboxName), UsedKB: st.Usage, LimitKB: st.Limit, Percent: pct}
			}
		}
		return err
	})
	if err != nil {
		r.add(optional(s.failure("GETQUOTAROOT of INBOX", err), err))
		return s.alive()
	}
	if q := mb.Quota; q != nil && q.Percent >= QuotaWarnPercent {
		r.add(problem(CodeQuotaNearlyFull, "the mailbox uses %d%% of its quota (%d of %d KiB): new mail will soon be refused; delete or archive mail, or ask for more space", q.Percent, q.UsedKB, q.LimitKB))
	}
	return true
}

// optional softens the server's refusal (NO, BAD) of a command that only
// adds information (STATUS, GETQUOTAROOT) to a warning; a lost
// connection or a timeout stays what it is.
func optional(p Problem, err error) Problem {
	if isIMAPError(err) {
		p.Severity = SeverityWarn
	}
	return p
}

// testCriteria finds the test messages of this run.
func (r *accountRun) testCriteria() *imap.SearchCriteria {
	return &imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: testHeader, Value: r.id}}}
}

// maxTestUIDs bounds the UIDs a search may return for the test message
// that are looked at: the run stores one or two.
const maxTestUIDs = 32

// findTest returns the UIDs of this run's test messages in the selected
// mailbox (after a NOOP, so that newly arrived mail is known). SEARCH
// HEADER matches substrings: each message found is confirmed to carry
// exactly the run's id by FETCHing its X-Mailhelp-Test header.
func (r *accountRun) findTest(ctx context.Context, s *imapConn) ([]imap.UID, error) {
	var found []imap.UID
	err := s.step(ctx, func() error {
		if err := s.cl.Noop().Wait(); err != nil {
			return err
		}
		d, err := s.cl.UIDSearch(r.testCriteria(), nil).Wait()
		if err == nil {
			found = d.AllUIDs()
		}
		return err
	})
	if err != nil || len(found) == 0 {
		return nil, err
	}
	if len(found) > maxTestUIDs {
		found = found[:maxTestUIDs]
	}
	sec := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, HeaderFields: []string{testHeader}, Peek: true}
	var uids []imap.UID
	err = s.step(ctx, func() error {
		msgs, err := s.cl.Fetch(imap.UIDSetNum(found...), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{sec}}).Collect()
		for _, m := range msgs {
			if slices.Contains(found, m.UID) && !slices.Contains(uids, m.UID) && hasTestHeader(m.FindBodySection(sec), r.id) {
				uids = append(uids, m.UID)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(uids)
	return uids, nil
}

// hasTestHeader says whether the header fields hdr hold an
// X-Mailhelp-Test field whose value is exactly id.
func hasTestHeader(hdr []byte, id string) bool {
	text := strings.ReplaceAll(string(hdr), "\r\n", "\n")
	// Unfold (RFC 5322 2.2.3): a line that begins with white space
	// continues the field before it.
	text = strings.NewReplacer("\n ", " ", "\n\t", " ").Replace(text)
	for _, line := range strings.Split(text, "\n") {
		name, value, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(name, testHeader) && strings.TrimSpace(value) == id {
			return true
		}
	}
	return false
}

// errFlaggedOnly: without UIDPLUS the test message is flagged \Deleted
// but not expunged (a plain EXPUNGE would also remove any message that
// another client flagged \Deleted meanwhile).
var errFlaggedOnly = errors.New("flagged \\Deleted only: no UIDPLUS")

// deleteTest deletes this run's test messages from the selected folder
// name: \Deleted on exactly their UIDs, then UID EXPUNGE of exactly
// those. Without UIDPLUS it leaves them flagged \Deleted and returns
// errFlaggedOnly. It returns how many it found.
func (r *accountRun) deleteTest(ctx context.Context, s *imapConn, name string) (int, error) {
	uids, err := r.findTest(ctx, s)
	if err != nil || len(uids) == 0 {
		return 0, err
	}
	set := imap.UIDSetNum(uids...)
	err = s.step(ctx, func() error {
		return s.cl.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close()
	})
	if err != nil {
		return len(uids), err
	}
	if !s.caps.Has(imap.CapUIDPlus) {
		return len(uids), errFlaggedOnly
	}
	if err = s.step(ctx, func() error { return s.cl.UIDExpunge(set).Close() }); err != nil {
		return len(uids), err
	}
	left, err := r.findTest(ctx, s)
	if err == nil && len(left) > 0 {
		err = fmt.Errorf("%d test message(s) still in %s after UID EXPUNGE", len(left), folderName(name))
	}
	return len(uids), err
}

// firstDetail is the first problem's detail.
func firstDetail(probs []Problem) string {
	if len(probs) == 0 {
		return "no reason given"
	}
	return probs[0].Detail
}

// percent is used of limit (> 0) in whole percent, at most 1000, without
// overflow whatever the server says.
func percent(used, limit int64) int {
	switch {
	case used <= 0:
		return 0
	case used/limit >= 10:
		return 1000
	}
	// used*100 in 128 bits; the quotient is under 1000, so hi < limit.
	hi, lo := bits.Mul64(uint64(used), 100)
	q, _ := bits.Div64(hi, lo, uint64(limit))
	return int(q)
}
