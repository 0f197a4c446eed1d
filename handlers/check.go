package handlers

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/probe"
)

// Check answers "check <address or host>" with a live check of the
// server, within the dial policy and the rate limits. Without a Prober it
// says plainly that no check ran and lists what to verify by hand.
func Check(d Deps) bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, req *bot.Request) (*bot.Reply, error) {
		loc, p := req.Loc, req.Parsed
		if p.Account && req.Account == nil {
			return accountHowTo(loc, d, p), nil
		}
		if p.Address.IsZero() && p.Host == "" {
			return &bot.Reply{
				Title:   loc.Text("check.what.title", nil),
				Intro:   loc.Text("check.what.intro", nil),
				Actions: examples(loc, d.Directory, bot.ActionCheck),
			}, nil
		}
		if d.Prober == nil {
			return manualCheck(loc, d, p), nil
		}
		rep, err := runCheck(ctx, d, req)
		if err != nil {
			return nil, err
		}
		r := CheckReply(loc, rep)
		r.Check = rep
		acct := accountFor(d.Directory, p)
		r.Notes = append(r.Notes, acct.notes(loc, p)...)
		if !p.Address.IsZero() {
			r.About.Address = p.Address.String()
		}
		return r, nil
	})
}

// runCheck runs the live check of a request's address or host within
// the dial policy and the rate limits, and records it in the audit
// trail; a refusal is a *bot.Error.
func runCheck(ctx context.Context, d Deps, req *bot.Request) (*probe.Report, error) {
	target, err := CheckTarget(d.Directory, req.Parsed)
	if err != nil {
		return nil, err
	}
	record := func(result string) {
		if d.Audit == nil {
			return
		}
		// A failing trail must not hold back the answer; the trail logs
		// and counts its failures itself (Recorder).
		action := "check"
		if req.Account != nil {
			action = "account_check" // the address's domain only: no login, no password
		}
		_ = d.Audit.Record(audit.Entry{Platform: req.Platform, User: cmpOr(req.UserID, req.Platform),
			Action: action, Target: target.Host, Result: result})
	}
	user := req.Platform + ":" + req.UserID
	refund := func() {}
	if d.Limiter != nil {
		if r, ok := d.Limiter.(UserRefunder); ok && req.Resumed {
			// Taking over the check of a replica that died: that one
			// counted for the person (perhaps not, if it died before:
			// then the person gains one), this one replaces it.
			r.RefundUser(user)
		}
		release, err := d.Limiter.Acquire(user, target.Host)
		var le *probe.LimitError
		if errors.As(err, &le) {
			record("refused:rate_limited")
			n := le.RetrySeconds()
			return nil, &bot.Error{Kind: bot.KindUnavailable, Code: bot.CodeRateLimited, MsgID: "check.error.rate_limited",
				Count: &n, RetryAfter: time.Duration(n) * time.Second}
		}
		if err != nil {
			return nil, err
		}
		defer release()
		if r, ok := d.Limiter.(Refunder); ok {
			refund = func() { r.Refund(user, target.Host) }
		}
	}
	if req.Account != nil && d.AccountLimiter != nil && !req.Parsed.Address.IsZero() {
		// Each account test is a password attempt on someone's account:
		// few per address, whoever asks, so the API is no guessing
		// machine and no account gets locked by repeated tests.
		addr := "account:" + strings.ToLower(req.Parsed.Address.Username())
		release, err := d.AccountLimiter.Acquire(addr, addr)
		var le *probe.LimitError
		if errors.As(err, &le) {
			refund()
			record("refused:rate_limited")
			n := le.RetrySeconds()
			return nil, &bot.Error{Kind: bot.KindUnavailable, Code: bot.CodeRateLimited, MsgID: "check.error.rate_limited",
				Count: &n, RetryAfter: time.Duration(n) * time.Second}
		}
		if err != nil {
			return nil, err
		}
		defer release()
	}
	rep, err := probeFor(ctx, d, req, target)
	var pe *probe.PolicyError
	switch {
	case errors.As(err, &pe):
		refund() // it dialed nothing
		record("refused:" + pe.Code)
		id := "check.error.not_allowed"
		if pe.Code == bot.CodeBlockedAddress {
			id = "check.error.blocked"
		}
		return nil, &bot.Error{Kind: bot.KindUnauthorized, Code: pe.Code, MsgID: id,
			Data: map[string]any{"Host": knowledge.DisplayDomain(target.Host)}}
	case errors.Is(err, errNoAccountTest):
		refund() // it dialed nothing
		return nil, errNoAccountTest
	case err != nil:
		record("error")
		return nil, &bot.Error{Kind: bot.KindUnavailable, Code: bot.CodeCheckFailed, MsgID: "check.error.failed", Err: err}
	}
	record(string(rep.Verdict))
	return rep, nil
}

// manualCheck lists what to verify by hand when live checks are off.
func manualCheck(loc bot.Localizer, d Deps, p bot.Parsed) *bot.Reply {
	acct := accountFor(d.Directory, p)
	target := p.Host
	if !p.Address.IsZero() {
		target = p.Address.Username()
	}
	host := p.Host
	if acct.known {
		host = acct.domain.Incoming().Host
	} else if host == "" {
		host = loc.Text("placeholder.host", nil)
	}
	in, _ := acct.endpoint(knowledge.IMAP)
	out, _ := acct.endpoint(knowledge.SMTP)
	data := map[string]any{
		"Target": target, "Host": host, "Webmail": host,
		"InPort": in.Port, "InSecurity": securityText(loc, in.Security),
		"OutPort": out.Port, "OutSecurity": securityText(loc, out.Security),
		"Username": acct.username(loc), "OutHost": host,
	}
	if acct.known {
		// Without its scheme: a browser adds it, and a ticket tool shows
		// the name as typed, not a link or an escaped "://".
		data["Webmail"] = strings.TrimPrefix(strings.TrimPrefix(acct.domain.WebmailURL(), "https://"), "http://")
		data["OutHost"] = acct.domain.Outgoing().Host
	}
	r := &bot.Reply{
		Title: loc.Text("check.title", data),
		Intro: loc.Text("check.unavailable", nil),
		Steps: []bot.Step{
			{Text: loc.Text("check.step.webmail", data)},
			{Text: loc.Text("check.step.incoming", data)},
			{Text: loc.Text("check.step.outgoing", data)},
			{Text: loc.Text("check.step.username", data)},
			{Text: loc.Text("check.step.certificate", nil)},
		},
		Settings: acct.settingGroups(loc),
		Notes:    []bot.Note{{Severity: bot.SeverityWarning, Text: loc.Text("check.note.not_run", nil)}},
		Links:    acct.links(loc),
	}
	if p.Address.IsZero() && !acct.known {
		r.Notes = append(r.Notes, bot.Note{Severity: bot.SeverityWarning,
			Text: loc.Text("note.unknown_host", map[string]any{"Host": p.Host})})
	}
	r.Notes = append(r.Notes, acct.notes(loc, p)...)
	r.About = acct.about("", p.Host)
	return r
}

// AccountProber also runs account tests; *probe.Checker implements it.
type AccountProber interface {
	CheckAccount(ctx context.Context, t probe.Target, creds probe.Credentials, opts probe.AccountOptions) (*probe.Report, error)
}

// errNoAccountTest refuses an account test the request cannot have: no
// address, or no prober that runs them.
var errNoAccountTest = &bot.Error{Kind: bot.KindInvalidInput, Code: bot.CodeBadTarget, MsgID: "account.error.address"}

// probeFor runs the request's check: the live check, or with
// req.Account the account test of the request's address.
func probeFor(ctx context.Context, d Deps, req *bot.Request, target probe.Target) (*probe.Report, error) {
	if req.Account == nil {
		return d.Prober.Check(ctx, target, nil)
	}
	ap, ok := d.Prober.(AccountProber)
	if !ok || req.Parsed.Address.IsZero() {
		return nil, errNoAccountTest
	}
	creds, opts := AccountLogin(req.Parsed.Address, *req.Account)
	return ap.CheckAccount(ctx, target, creds, opts)
}

// AccountLogin is what an account test of addr logs in with: the given
// username, else the address; and the other form of it (local part or
// full address), which the test tries only when the server refuses the
// first and allows another attempt.
func AccountLogin(addr bot.Address, a bot.AccountTest) (probe.Credentials, probe.AccountOptions) {
	user := cmpOr(a.Username, addr.Username())
	other := addr.Local
	if !strings.Contains(user, "@") {
		other = addr.Username()
	}
	return probe.Credentials{Username: user, Password: a.Password},
		probe.AccountOptions{Send: a.Send, OtherUsername: other, Address: addr.Username()}
}
