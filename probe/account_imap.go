package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
)

// Errors of the account test's login.
var (
	errNoMechanism = errors.New("neither AUTH=PLAIN nor LOGIN is available")
	errNoCaps      = errors.New("no capabilities")
)

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
// after login.
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
	s.caps, err = s.capabilities(ctx)
	return mech, err
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
	case imap.ResponseCodeUnavailable, imap.ResponseCodeExpired, imap.ResponseCodePrivacyRequired,
		imap.ResponseCodeContactAdmin, imap.ResponseCodeAuthorizationFailed,
		imap.ResponseCodeLimit, imap.ResponseCodeInUse:
		// The credentials may well be right: the account cannot log in
		// now (disabled, locked, expired, too many sessions…).
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
	if _, err := s.login(ctx, r.user, r.creds.Password); err != nil {
		s.close()
		if lr := classifyLogin(err); lr.code != "" {
			return nil, []Problem{problem(lr.code, "%s: the login that worked at first was refused: %s", step, scrub(lr.detail(), r.creds.Password))}
		}
		return nil, []Problem{s.failure(step+" login", err)}
	}
	return s, nil
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
// tries the other form once (on the same connection when the server
// allows, else on a new one). It returns the logged-in session, or nil.
func (r *accountRun) login() *imapConn {
	lr := &LoginResult{Endpoint: r.in}
	r.rep.Login = lr
	s, probs := r.c.openIMAP(r.ctx, r.life, r.inHost, r.inAddrs, r.in, r.creds.Password, nil)
	if s == nil {
		r.add(probs...)
		return nil
	}
	user, pass := r.creds.Username, r.creds.Password
	mech, err := s.login(r.ctx, user, pass)
	lr.Mechanism = mech
	if err == nil {
		lr.OK = true
		r.user = user
		return s
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
		r.add(problem(CodeAccountUnavailable, "the server refused %q for a reason other than the password (%s): the account is disabled, locked or expired, or needs the administrator", user, detail))
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
	// The other form, once: on this connection if the server keeps it
	// open after a refusal, else on a new one (also when the server
	// closed this one while the attempt was under way: then it was not
	// judged).
	fresh := false
	for {
		if !s.alive() {
			s.close()
			if s, probs = r.c.openIMAP(r.ctx, r.life, r.inHost, r.inAddrs, r.in, r.creds.Password, nil); s == nil {
				r.add(problem(CodeAuthFailed, "the server refused the username %q or its password (%s); the other form %q could not be tried: %s", user, detail, other, firstDetail(probs)))
				return nil
			}
			fresh = true
		}
		_, err = s.login(r.ctx, other, pass)
		if err == nil || fresh || classifyLogin(err).code != "" || !closedByServer(s.conn.cause()) {
			break
		}
	}
	works := err == nil
	lr.OtherFormWorks = &works
	if works {
		r.add(problem(CodeUsernameForm, "the server refused the username %q but accepts %q with the same password: set the username to %q on the device", user, other, other))
		r.user = other
		return s
	}
	s.close()
	switch ref2 := classifyLogin(err); ref2.code {
	case CodeAccountUnavailable:
		lr.ResponseCode = scrub(ref2.respCode, pass)
		r.add(problem(CodeAccountUnavailable, "the server refused %q (%s), and %q, the account's other form, cannot log in now: %s", user, detail, other, scrub(ref2.detail(), pass)))
	case "":
		lr.OtherFormWorks = nil
		p := s.failure("login as "+other, err)
		r.add(problem(CodeAuthFailed, "the server refused the username %q or its password (%s); the other form %q could not be tried: %s", user, detail, other, p.Detail))
	default:
		r.add(problem(CodeAuthFailed, "the server refused the password for %q, and for %q too: the password is wrong, or the account unknown (%s)", user, other, detail))
	}
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
		r.add(s.failure("STATUS of INBOX", err))
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
		r.add(s.failure("GETQUOTAROOT of INBOX", err))
		return s.alive()
	}
	if q := mb.Quota; q != nil && q.Percent >= QuotaWarnPercent {
		r.add(problem(CodeQuotaNearlyFull, "the mailbox uses %d%% of its quota (%d of %d KiB): new mail will soon be refused; delete or archive mail, or ask for more space", q.Percent, q.UsedKB, q.LimitKB))
	}
	return true
}

// testCriteria finds the test messages of this run.
func (r *accountRun) testCriteria() *imap.SearchCriteria {
	return &imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: testHeader, Value: r.id}}}
}

// findTest returns the UIDs of this run's test messages in the selected
// mailbox (after a NOOP, so that newly arrived mail is known).
func (r *accountRun) findTest(ctx context.Context, s *imapConn) ([]imap.UID, error) {
	var uids []imap.UID
	err := s.step(ctx, func() error {
		if err := s.cl.Noop().Wait(); err != nil {
			return err
		}
		d, err := s.cl.UIDSearch(r.testCriteria(), nil).Wait()
		if err == nil {
			uids = d.AllUIDs()
		}
		return err
	})
	return uids, err
}

// errOthersDeleted: without UIDPLUS, EXPUNGE would remove other messages
// flagged \Deleted.
var errOthersDeleted = errors.New("others deleted")

// deleteTest deletes this run's test messages from INBOX: \Deleted on
// exactly their UIDs, then UID EXPUNGE of exactly those. Without UIDPLUS
// a plain EXPUNGE runs only when no other message is flagged \Deleted.
// It returns how many it found.
func (r *accountRun) deleteTest(ctx context.Context, s *imapConn) (int, error) {
	if err := s.step(ctx, func() error { _, err := s.cl.Select("INBOX", nil).Wait(); return err }); err != nil {
		return 0, err
	}
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
	if s.caps.Has(imap.CapUIDPlus) {
		err = s.step(ctx, func() error { return s.cl.UIDExpunge(set).Close() })
	} else {
		var others []imap.UID
		err = s.step(ctx, func() error {
			d, err := s.cl.UIDSearch(&imap.SearchCriteria{
				Flag: []imap.Flag{imap.FlagDeleted},
				Not:  []imap.SearchCriteria{{UID: []imap.UIDSet{set}}},
			}, nil).Wait()
			if err == nil {
				others = d.AllUIDs()
			}
			return err
		})
		if err == nil && len(others) > 0 {
			return len(uids), fmt.Errorf("%w: %d", errOthersDeleted, len(others))
		}
		if err == nil {
			err = s.step(ctx, func() error { return s.cl.Expunge().Close() })
		}
	}
	if err != nil {
		return len(uids), err
	}
	left, err := r.findTest(ctx, s)
	if err == nil && len(left) > 0 {
		err = fmt.Errorf("%d test message(s) still in INBOX after EXPUNGE", len(left))
	}
	return len(uids), err
}

// closedByServer says whether a connection ended because the server
// closed it.
func closedByServer(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
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
