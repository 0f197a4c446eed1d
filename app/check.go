package app

import (
	"context"
	"errors"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/probe"
)

// CheckRequest is a live check asked from the command line.
type CheckRequest struct {
	// Target is an address or a host name, as typed; Kind says which.
	Target string
	Kind   bot.TargetKind
	// Creds, when set, also logs in.
	Creds *probe.Credentials
	// Account, with an address Target, runs the account test with its
	// login and password instead (log in, mailbox, push, and with Send a
	// message to oneself).
	Account *bot.AccountTest
	// Lang is the answer's language; "" for the domain's, else the
	// configuration's.
	Lang string
}

// Check runs a live check for the operator at the terminal: the target,
// dial policy and audit trail are the chat's, with no rate limit and
// with optional credentials. The reply is localized; a refusal (bad
// target, unknown domain, policy) is a reply with Code set and no Check.
// It works whether or not the configuration turns live checks on in chat.
func (a *App) Check(ctx context.Context, cr CheckRequest) (*bot.Reply, error) {
	a.mu.Lock()
	cfg, p := a.cur.cfg, a.cur.parts
	a.mu.Unlock()
	parsed, ferr := a.parser.Form(bot.Form{Intent: bot.IntentCheck, Target: cr.Target, Kind: cr.Kind})
	langs := a.cat.Languages()
	lang := langs.Pick(cr.Lang, handlers.DomainLang(cfg.Directory)(parsed), cfg.DefaultLanguage)
	// The language's messages are parsed only for a reply that says
	// something in it: a refusal by the dial policy does not.
	loc := func() bot.Localizer { return a.cat.For(lang) }
	refuse := func(err error) (*bot.Reply, error) {
		var be *bot.Error
		if errors.As(err, &be) {
			return &bot.Reply{Intent: bot.IntentCheck, Lang: lang, Code: be.Code, Title: loc().Text(be.MsgID, be.Data)}, nil
		}
		return nil, err
	}
	if ferr != nil {
		return refuse(ferr)
	}
	target, err := handlers.CheckTarget(cfg.Directory, parsed)
	if err != nil {
		return refuse(err)
	}
	checker := p.checker
	if checker == nil {
		if checker, err = newChecker(cfg); err != nil {
			return nil, err
		}
	}
	var rep *probe.Report
	action := "check"
	switch {
	case cr.Account != nil && parsed.Address.IsZero():
		return &bot.Reply{Intent: bot.IntentCheck, Lang: lang, Code: bot.CodeBadTarget, Title: loc().Text("account.error.address", nil)}, nil
	case cr.Account != nil:
		creds, opts := handlers.AccountLogin(parsed.Address, *cr.Account)
		rep, err = checker.CheckAccount(ctx, target, creds, opts)
		action = "account_check"
	default:
		rep, err = checker.Check(ctx, target, cr.Creds)
	}
	a.recordCheck(p, action, target.Host, rep, err)
	var pe *probe.PolicyError
	if errors.As(err, &pe) {
		return &bot.Reply{Intent: bot.IntentCheck, Lang: lang, Code: pe.Code, Title: pe.Error()}, nil
	}
	if err != nil {
		return nil, err
	}
	reply := handlers.CheckReply(loc(), rep)
	reply.Lang, reply.Check = lang, rep
	return reply, nil
}

// recordCheck writes a command-line check in the audit trail: the
// server, never a login or a password.
func (a *App) recordCheck(p *parts, action, host string, rep *probe.Report, err error) {
	result := "error"
	var pe *probe.PolicyError
	switch {
	case errors.As(err, &pe):
		result = "refused:" + pe.Code
	case err == nil:
		result = string(rep.Verdict)
	}
	// A failure is logged by the trail's hooks (openAudit).
	a.recordCLI(p, action, host, result)
}
