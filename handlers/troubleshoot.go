package handlers

import (
	"context"
	"errors"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// Troubleshoot answers a problem people bring ("my phone says
// certificate error", "I can receive but not send"): the likely causes
// for this organisation's settings, most likely first, what to check on
// the device (with the device's own labels when it has a guide), and the
// settings to compare with. With an address or a host and live checks
// on, it runs the check and explains what was found in terms of the
// problem. Questions mailhelp does not cover are answered plainly.
func Troubleshoot(d Deps) bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, req *bot.Request) (*bot.Reply, error) {
		p := req.Parsed
		acct := accountFor(d.Directory, p)
		if p.Symptom == knowledge.SymptomUnsupported {
			return unsupportedReply(req.Loc, p, acct), nil
		}
		adv, ok := knowledge.AdviceFor(p.Symptom)
		if !ok {
			return nil, errors.New("troubleshoot: no advice for symptom " + string(p.Symptom))
		}
		r := adviceReply(req.Loc, adv, p, acct)
		if !adv.Check || d.Prober == nil || p.Target() == "" {
			r.Notes = append(r.Notes, checkOffer(req, adv, acct, d.Prober != nil)...)
			if d.Prober != nil {
				r.Actions = symptomAction(req.Loc, adv, acct, "action.check")
			}
			return r, nil
		}
		rep, err := runCheck(ctx, d, req)
		var be *bot.Error
		switch {
		case errors.As(err, &be) && be.Kind != bot.KindInternal:
			// The check was refused (rate limit, policy): the advice still
			// helps; say why there is no test result.
			r.Notes = append([]bot.Note{{Severity: bot.SeverityWarning, Text: refusalText(req.Loc, be)}}, r.Notes...)
			r.RetryAfter = be.RetryAfter
			return r, nil
		case err != nil:
			return nil, err
		}
		r.Check = rep
		r.Title = req.Loc.Text("diag.title", map[string]any{"Problem": req.Loc.Text("symptom."+string(p.Symptom), nil), "Host": rep.Host})
		r.Intro = CheckReply(req.Loc, rep).Title
		r.Notes = append(diagnose(req.Loc, p.Symptom, rep, configuredPorts(acct)), r.Notes...)
		if g, ok := deviceGroup(req.Loc, rep); ok {
			r.Settings = append([]bot.SettingGroup{g}, r.Settings...)
		}
		r.Actions = symptomAction(req.Loc, adv, acct, "action.check_again")
		return r, nil
	})
}

// symptomData fills the advice's messages with the account's settings.
func symptomData(loc bot.Localizer, acct account) map[string]any {
	in, _ := acct.endpoint(knowledge.IMAP)
	out, _ := acct.endpoint(knowledge.SMTP)
	return map[string]any{
		"Host": acct.hostText(loc, knowledge.IMAP), "OutHost": acct.hostText(loc, knowledge.SMTP),
		"InPort": in.Port, "OutPort": out.Port,
		"InSecurity": securityText(loc, in.Security), "OutSecurity": securityText(loc, out.Security),
		"Username": acct.username(loc),
	}
}

// adviceReply is a symptom's answer before any check: the causes in
// order, the device's own fields for them when it has a guide, and the
// settings of the side concerned.
func adviceReply(loc bot.Localizer, adv knowledge.Advice, p bot.Parsed, acct account) *bot.Reply {
	data := symptomData(loc, acct)
	r := &bot.Reply{Intent: bot.IntentTroubleshoot, Title: loc.Text(adv.Title, data), Intro: loc.Text(adv.Intro, data)}
	if len(adv.Causes) > 0 {
		r.Intro += " " + loc.Text("ts.causes_intro", nil)
	}
	for _, c := range adv.Causes {
		r.Steps = append(r.Steps, bot.Step{Text: loc.Text(c, data)})
	}
	client, named := knowledge.ClientByID(p.Client)
	if named && client.HasGuide() {
		r.Steps = append(r.Steps, guideSteps(loc, client, acct, adv)...)
	}
	if adv.Incoming {
		r.Settings = append(r.Settings, acct.group(loc, knowledge.IMAP))
	}
	if adv.Outgoing {
		r.Settings = append(r.Settings, acct.group(loc, knowledge.SMTP))
	}
	if p.Continued {
		r.Notes = append(r.Notes, bot.Note{Severity: bot.SeverityInfo, Text: loc.Text("followup.note", nil)})
	}
	r.Notes = append(r.Notes, acct.notes(loc, p)...)
	r.Links = acct.links(loc)
	r.About = acct.about(client.ID, p.Host)
	r.About.Symptom = string(adv.Symptom)
	return r
}

// guideSteps are the steps of a device's guide that set what a symptom
// concerns (the outgoing server for "cannot send"), filled in with the
// device's own labels, so the person checks exactly those fields.
func guideSteps(loc bot.Localizer, c knowledge.Client, acct account, adv knowledge.Advice) []bot.Step {
	data := map[string]any{"Client": c.Name, "Address": acct.subject(loc)}
	var steps []bot.Step
	for _, s := range c.Guide.Steps {
		if !concerns(s, adv) {
			continue
		}
		step := bot.Step{Text: c.Name + ": " + loc.Text(s.Text, data)}
		for _, f := range s.Fields {
			field := acct.field(loc, c.Guide, f)
			field.Hint = "" // the causes above explain; the fields are for checking
			step.Fields = append(step.Fields, field)
		}
		steps = append(steps, step)
	}
	return steps
}

// concerns reports whether a guide step sets what the advice is about:
// the server fields of its sides, and the username for login problems.
func concerns(s knowledge.Step, adv knowledge.Advice) bool {
	for _, f := range s.Fields {
		switch f.Value {
		case knowledge.ValueIncomingHost, knowledge.ValueIncomingPort, knowledge.ValueIncomingSecurity:
			if adv.Incoming {
				return true
			}
		case knowledge.ValueOutgoingHost, knowledge.ValueOutgoingPort, knowledge.ValueOutgoingSecurity:
			if adv.Outgoing {
				return true
			}
		case knowledge.ValueUsername:
			if adv.Symptom == knowledge.SymptomAuthFailed {
				return true
			}
		}
	}
	return false
}

// checkTarget is what a check of the account would test: the address,
// else the configured domain's host, else nothing.
func checkTarget(acct account) string {
	switch {
	case !acct.addr.IsZero():
		return acct.login
	case acct.known:
		return acct.domain.Host
	}
	return ""
}

// symptomAction is the button that tests the server for this symptom:
// pressed, it asks the troubleshooting question again with the target,
// so the result is explained in terms of the problem.
func symptomAction(loc bot.Localizer, adv knowledge.Advice, acct account, label string) []bot.Action {
	target := checkTarget(acct)
	if !adv.Check || target == "" {
		return nil
	}
	phrase := loc.Text("phrase.troubleshoot", map[string]any{
		"Problem": loc.Text("symptom."+string(adv.Symptom), nil), "Target": target})
	return []bot.Action{{Kind: bot.ActionCheck, Label: loc.Text(label, nil), Phrase: phrase,
		Target: target, Symptom: string(adv.Symptom)}}
}

// checkOffer says how to test the server: in a terminal, the command
// (mailhelp check works even where chat checks are off); in chat, when
// checks are on, to give an address first (with one, the check has run
// or its button is there).
func checkOffer(req *bot.Request, adv knowledge.Advice, acct account, probing bool) []bot.Note {
	target := checkTarget(acct)
	switch {
	case !adv.Check:
		return nil
	case req.Platform == "cli" && target != "":
		return []bot.Note{{Severity: bot.SeverityTip, Text: req.Loc.Text("ts.check_offer_cli",
			map[string]any{"Phrase": "mailhelp check " + target})}}
	case probing && target == "":
		return []bot.Note{{Severity: bot.SeverityTip, Text: req.Loc.Text("ts.ask_address", nil)}}
	}
	return nil
}

// refusalText is a refused check's message, in the request's language.
func refusalText(loc bot.Localizer, e *bot.Error) string {
	if e.Count != nil {
		return loc.Plural(e.MsgID, *e.Count, e.Data)
	}
	return loc.Text(e.MsgID, e.Data)
}

// unsupportedReply says plainly what mailhelp covers, what the question
// was about, and whom to ask.
func unsupportedReply(loc bot.Localizer, p bot.Parsed, acct account) *bot.Reply {
	support := loc.Text("ts.unsupported.support", nil)
	if acct.known && acct.domain.Support != "" {
		support = acct.domain.Support
	}
	data := map[string]any{"Support": support}
	r := &bot.Reply{Intent: bot.IntentTroubleshoot, Title: loc.Text("ts.unsupported.title", nil),
		Intro: loc.Text("ts.unsupported.intro", data)}
	if p.Topic != "" {
		// What they asked about first, then what mailhelp covers.
		r.Intro = loc.Text(knowledge.TopicMessage(p.Topic), data)
		r.Notes = append(r.Notes, bot.Note{Severity: bot.SeverityInfo, Text: loc.Text("ts.unsupported.intro", data)})
	}
	if acct.known || !acct.addr.IsZero() {
		r.Settings = acct.settingGroups(loc)
	}
	r.Links = acct.links(loc)
	r.About = acct.about(p.Client, p.Host)
	r.About.Symptom = string(knowledge.SymptomUnsupported)
	return r
}
