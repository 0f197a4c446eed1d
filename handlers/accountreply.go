package handlers

import (
	"strconv"
	"strings"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/probe"
)

// accountMessages explains each problem of the account test: what it
// means and what to do.
var accountMessages = map[string]string{
	probe.CodeAuthFailed:         "account.problem.auth_failed",
	probe.CodeUsernameForm:       "account.problem.username_form",
	probe.CodeAccountUnavailable: "account.problem.account_unavailable",
	probe.CodeNoSentFolder:       "account.problem.no_sent_folder",
	probe.CodeQuotaNearlyFull:    "account.problem.quota_nearly_full",
	probe.CodeIdleNotDelivered:   "account.problem.idle_not_delivered",
	probe.CodeSubmissionRejected: "account.problem.submission_rejected",
	probe.CodeNotDelivered:       "account.problem.not_delivered",
}

// accountSection adds the account test's results to a check's answer: a
// group of what was found (login, Sent folder, messages, quota, push,
// the round trip), then one note per problem.
func accountSection(loc bot.Localizer, r *bot.Reply, a *probe.AccountReport, endpointsVerdict probe.Status) {
	g := bot.SettingGroup{Title: loc.Text("account.title", map[string]any{"Username": a.Username})}
	field := func(labelID, valueID string, data map[string]any) {
		g.Fields = append(g.Fields, bot.Field{Label: loc.Text(labelID, nil), Value: loc.Text(valueID, data)})
	}
	if l := a.Login; l != nil {
		switch {
		case l.OK:
			field("account.label.login", "account.login.ok", map[string]any{"Mechanism": l.Mechanism})
		case l.Temporary:
			field("account.label.login", "account.login.temporary", map[string]any{"Code": cmpOr(l.ResponseCode, "NO")})
		default:
			field("account.label.login", "account.login.refused", map[string]any{"Code": cmpOr(l.ResponseCode, "NO")})
		}
	}
	if m := a.Mailbox; m != nil {
		if m.SentFolder != "" {
			field("account.label.sent", "account.sent.folder", map[string]any{"Folder": m.SentFolder})
		} else {
			field("account.label.sent", "account.sent.none", nil)
		}
		g.Fields = append(g.Fields, bot.Field{Label: loc.Text("account.label.messages", nil), Value: strconv.FormatUint(uint64(m.Messages), 10)})
		if q := m.Quota; q != nil {
			field("account.label.quota", "account.quota.value", map[string]any{
				"Used": mib(loc, q.UsedKB), "Limit": mib(loc, q.LimitKB), "Percent": q.Percent})
		}
	}
	if p := a.Push; p != nil {
		switch {
		case !p.Offered:
			field("account.label.push", "account.push.not_offered", nil)
		case p.Delivered:
			field("account.label.push", "account.push.delivered", map[string]any{"Seconds": seconds(loc, p.DelayMS)})
		default:
			field("account.label.push", "account.push.not_delivered", nil)
		}
	}
	if t := a.RoundTrip; t != nil {
		switch {
		case !t.Submitted:
			field("account.label.round_trip", "account.round_trip.refused", nil)
		case t.Delivered && t.Folder != "":
			field("account.label.round_trip", "account.round_trip.folder", map[string]any{"Seconds": seconds(loc, t.DelayMS), "Folder": t.Folder})
		case t.Delivered:
			field("account.label.round_trip", "account.round_trip.delivered", map[string]any{"Seconds": seconds(loc, t.DelayMS)})
		default:
			field("account.label.round_trip", "account.round_trip.not_delivered", nil)
		}
		cleaned := "account.cleanup.done"
		if !t.CleanedUp {
			cleaned = "account.cleanup.failed"
		}
		field("account.label.cleanup", cleaned, nil)
	}
	r.Settings = append([]bot.SettingGroup{g}, r.Settings...)
	// The title is about the account: the endpoints' verdict is in the
	// rest of the answer.
	r.Title = loc.Text(map[probe.Status]string{probe.StatusOK: "account.result.ok", probe.StatusWarn: "account.result.warn",
		probe.StatusFail: "account.result.fail"}[worst(a.Verdict, endpointsVerdict)], map[string]any{"Username": a.Username})
	var notes []bot.Note
	for _, p := range a.Problems {
		id, ok := accountMessages[p.Code]
		if !ok {
			id = problemMessages[p.Code]
		}
		if id == "" {
			continue
		}
		notes = append(notes, bot.Note{Severity: severityOf(p.Severity), Text: loc.Text(id, map[string]any{
			"Username": a.Username, "Detail": bot.Clip(p.Detail, 200), "Percent": quotaPercent(a)})})
	}
	r.Notes = append(notes, r.Notes...)
}

// mib shows KiB as MiB with one decimal, in the answer's language.
func mib(loc bot.Localizer, kb int64) string {
	return strings.Replace(strconv.FormatFloat(float64(kb)/1024, 'f', 1, 64), ".", loc.Text("format.decimal_point", nil), 1)
}

func quotaPercent(a *probe.AccountReport) int {
	if a.Mailbox != nil && a.Mailbox.Quota != nil {
		return a.Mailbox.Quota.Percent
	}
	return 0
}

// severityOf maps a probe problem's severity to a note's.
func severityOf(s probe.Severity) bot.Severity {
	switch s {
	case probe.SeverityFail:
		return bot.SeverityError
	case probe.SeverityWarn:
		return bot.SeverityWarning
	}
	return bot.SeverityInfo
}

// accountHowTo answers "test my account" in chat: the account test needs
// the password, which chat never takes, so the answer says where it runs
// (the command line on mailhelp's server, or the HTTPS API) with the
// person's address filled in, and offers the check of the server, which
// needs none.
func accountHowTo(loc bot.Localizer, d Deps, p bot.Parsed) *bot.Reply {
	acct := accountFor(d.Directory, p)
	address := loc.Text("placeholder.address", nil)
	if !p.Address.IsZero() {
		address = p.Address.Username()
	}
	data := map[string]any{"Address": address}
	r := &bot.Reply{
		Intent: bot.IntentCheck,
		Title:  loc.Text("account.howto.title", nil),
		Intro:  loc.Text("account.howto.intro", nil),
		Steps: []bot.Step{
			{Text: loc.Text("account.howto.cli", data), Fields: []bot.Field{
				{Label: loc.Text("account.howto.command", nil), Value: "mailhelp check --account " + address + " --send"}}},
			{Text: loc.Text("account.howto.api", data)},
		},
		Notes: []bot.Note{{Severity: bot.SeverityWarning, Text: loc.Text("account.howto.never", nil)}},
	}
	if d.Prober != nil && acct.known {
		r.Actions = acct.checkAction(loc)
	}
	if !p.Address.IsZero() {
		r.About.Address = p.Address.String()
	}
	return r
}

// worst is the worse of two verdicts.
func worst(a, b probe.Status) probe.Status {
	rank := map[probe.Status]int{probe.StatusOK: 0, probe.StatusWarn: 1, probe.StatusFail: 2}
	if rank[b] > rank[a] {
		return b
	}
	return a
}
