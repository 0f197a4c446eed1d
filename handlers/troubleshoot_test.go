package handlers

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/render"
	"github.com/mailhelp/mailhelp/internal/golden"
	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/locales"
	"github.com/mailhelp/mailhelp/probe"
)

// symptomRequest asks about a symptom for alice@domaine.com in lang; the
// unsupported symptom is asked in words, the others as a form.
func symptomRequest(s knowledge.Symptom, lang string) *bot.Request {
	if s == knowledge.SymptomUnsupported {
		return &bot.Request{Text: "POP3 alice@domaine.com", ForceLang: lang, Platform: "test"}
	}
	return &bot.Request{Form: &bot.Form{Intent: bot.IntentTroubleshoot, Symptom: string(s), Target: "alice@domaine.com"},
		ForceLang: lang, Platform: "test"}
}

// TestSymptomGoldens renders every symptom's answer in every language,
// without a live check: causes in order, settings, the check offered.
func TestSymptomGoldens(t *testing.T) {
	r := newRouter(t)
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range knowledge.Symptoms {
		for _, lang := range cat.Languages() {
			t.Run(string(s)+"_"+lang, func(t *testing.T) {
				reply := r.Serve(context.Background(), symptomRequest(s, lang))
				if reply.Intent != bot.IntentTroubleshoot || reply.About.Symptom != string(s) || reply.Lang != lang || reply.Code != "" {
					t.Fatalf("got %s %q %s %q", reply.Intent, reply.About.Symptom, reply.Lang, reply.Code)
				}
				text, md := render.Text(reply), render.Markdown(reply)
				js, err := render.JSON(render.AnswerOf(reply))
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(string(js), `"symptom":"`+string(s)+`"`) {
					t.Errorf("the JSON has no symptom: %.200s", js)
				}
				for _, out := range []string{text, md} {
					if strings.Contains(out, "<no value>") || strings.Contains(out, "ts.") || strings.Contains(out, "diag.") {
						t.Errorf("a message or its data is missing:\n%s", out)
					}
				}
				name := "symptoms/" + string(s) + "_" + lang
				golden.Assert(t, name+".txt", text)
				golden.Assert(t, name+".md", md)
			})
		}
	}
}

// TestSymptomCheckOffer: a chat answer offers the check as a button that
// keeps the problem; the command line gives the command; with no address
// the person is asked for one.
func TestSymptomCheckOffer(t *testing.T) {
	r := newCheckRouter(t, &fakeProber{rep: goodReport}, nil)
	ask := func(text, platform string) *bot.Reply {
		return r.Serve(context.Background(), &bot.Request{Text: text, Platform: platform, ForceLang: "en"})
	}
	chat := ask("my phone says certificate error, domaine.com", "slack")
	if len(chat.Actions) != 1 || chat.Actions[0].Target != "bm.domaine.com" || chat.Actions[0].Symptom != "cert_warning" {
		t.Errorf("chat actions %+v", chat.Actions)
	}
	off := newRouter(t) // live checks off in chat: no button; the CLI still gives the command
	cli := off.Serve(context.Background(), &bot.Request{Text: "I can receive but not send, domaine.com", Platform: "cli", ForceLang: "en"})
	if !strings.Contains(render.Text(cli), "mailhelp check bm.domaine.com") || len(cli.Actions) != 0 {
		t.Errorf("the CLI answer does not give the command:\n%s", render.Text(cli))
	}
	if web := off.Serve(context.Background(), &bot.Request{Text: "I can receive but not send, domaine.com", Platform: "web", ForceLang: "en"}); len(web.Actions) != 0 {
		t.Errorf("a check button that would be refused: %+v", web.Actions)
	}
	none := ask("password rejected", "web")
	if !strings.Contains(render.Text(none), "Tell me your address") || len(none.Actions) != 0 {
		t.Errorf("no address:\n%s", render.Text(none))
	}
}

// TestSymptomGuideLabels: a device with a guide gets its own labels for
// what the symptom concerns (BlackBerry 10's outgoing section, "TLS").
func TestSymptomGuideLabels(t *testing.T) {
	r := newRouter(t)
	reply := r.Serve(context.Background(), &bot.Request{Text: "my BlackBerry can't send from alice@domaine.com", Platform: "test"})
	text := render.Text(reply)
	for _, want := range []string{"BlackBerry 10: In the outgoing server (SMTP) section", "Security: TLS", "Port: 587"} {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "In the incoming server section") {
		t.Errorf("the incoming side is not what this problem is about:\n%s", text)
	}
}

// endpointsFor builds a report whose endpoints on one side have a problem
// (every endpoint of the side when alt is false; all but an alternative
// when alt is true).
func reportWith(side knowledge.Side, code string, alt bool) *probe.Report {
	all := []probe.Endpoint{
		ep(probe.IMAP, 993, probe.ImplicitTLS, false), ep(probe.IMAP, 143, probe.StartTLS, false),
		ep(probe.SMTP, 587, probe.StartTLS, true), ep(probe.SMTP, 465, probe.ImplicitTLS, true),
	}
	rep := &probe.Report{Host: "bm.domaine.com", Verdict: probe.StatusOK}
	var in, out *probe.Endpoint
	for i, e := range all {
		er := probe.EndpointReport{Endpoint: e, Status: probe.StatusOK, Push: true,
			TLS: cert(30, true, "bm.domaine.com", "mail.domaine.com")}
		onProblemSide := side == knowledge.SideAny || side == knowledge.SideIncoming && e.Protocol == probe.IMAP ||
			side == knowledge.SideOutgoing && e.Protocol == probe.SMTP
		isAlt := alt && (i == 1 || i == 3)
		if code != knowledge.ProblemOK && code != knowledge.ProblemNoPush && onProblemSide && !isAlt {
			er.Status = probe.StatusFail
			er.Problems = []probe.Problem{{Code: code, Severity: probe.SeverityFail, Detail: "valid only from 2027-01-01"}}
			rep.Verdict = probe.StatusFail
		}
		if code == knowledge.ProblemNoPush {
			er.Push = false
		}
		if er.Status == probe.StatusOK {
			e := e
			if e.Protocol == probe.IMAP && in == nil {
				in = &e
			}
			if e.Protocol == probe.SMTP && out == nil {
				out = &e
			}
		}
		rep.Endpoints = append(rep.Endpoints, er)
	}
	rep.Recommended = probe.Recommendation{Incoming: in, Outgoing: out, Push: code != knowledge.ProblemNoPush && in != nil}
	return rep
}

// TestDiagnosisTable checks the table row by row: a report with the
// row's problem on the row's side, explained for the row's symptom, gives
// the row's text — with the working alternative when there is one, else
// the row's text for no alternative.
func TestDiagnosisTable(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	loc := cat.For("en")
	for _, s := range knowledge.Symptoms {
		for i, row := range knowledge.Diagnoses(s) {
			for _, alt := range []bool{true, false} {
				if (row.Problem == knowledge.ProblemOK || row.Problem == knowledge.ProblemNoPush) && !alt {
					continue
				}
				t.Run(string(s)+"/"+strconv.Itoa(i)+"_"+row.Problem+"_alt="+strconv.FormatBool(alt), func(t *testing.T) {
					rep := reportWith(row.Side, row.Problem, alt)
					notes := diagnose(loc, s, rep, configured{probe.IMAP: 993, probe.SMTP: 587})
					if len(notes) == 0 {
						t.Fatal("no explanation")
					}
					want := row.Text
					if !alt && row.NoAlternative != "" {
						want = row.NoAlternative
					}
					// The row's text, before its data: the start of the
					// English message up to its first placeholder.
					raw, _ := cat.For("en").(*locales.Localizer)
					_ = raw
					if !strings.Contains(notes[0].Text, prefixOf(loc, want)) {
						t.Errorf("got %q, want the text of %s", notes[0].Text, want)
					}
					if strings.Contains(notes[0].Text, "<no value>") {
						t.Errorf("missing data: %q", notes[0].Text)
					}
					if alt && row.NoAlternative != "" && !strings.Contains(notes[0].Text, "143") && !strings.Contains(notes[0].Text, "465") {
						t.Errorf("the working alternative is not named: %q", notes[0].Text)
					}
				})
			}
		}
	}
}

// prefixOf is the literal start of a message, before its first
// placeholder, for comparing with a filled-in text.
func prefixOf(loc bot.Localizer, id string) string {
	text := loc.Text(id, map[string]any{"Host": "\x00", "Ports": "\x00", "Port": "\x00", "Security": "\x00", "Date": "\x00", "Names": "\x00"})
	before, _, _ := strings.Cut(text, "\x00")
	return before
}

// TestDiagnosisExamples are the examples, end to end.
func TestDiagnosisExamples(t *testing.T) {
	noStarttls := reportWith(knowledge.SideOutgoing, probe.CodeSTARTTLSMissing, true)
	expired := reportWith(knowledge.SideAny, probe.CodeCertExpired, false)
	tests := []struct {
		name, text string
		rep        *probe.Report
		want       []string
	}{
		{"cannot_send + 587 without STARTTLS, 465 works", "I can't send from alice@domaine.com", noStarttls,
			[]string{"Cannot send: what the test of bm.domaine.com shows", "Outgoing port 587 does not offer encryption", "Set the outgoing port to 465 with SSL/TLS"}},
		{"cert_warning + expired", "my phone says certificate error for alice@domaine.com", expired,
			[]string{"The certificate of bm.domaine.com expired on 2026-11-20", "do not accept the warning"}},
		{"auth_failed + nothing wrong", "password rejected for alice@domaine.com", goodReport,
			[]string{"the password or the username typed on the device is the cause", "Your full address, domain included", "alice@domaine.com"}},
		{"cannot_connect + nothing wrong", "cannot connect, alice@domaine.com", goodReport,
			[]string{"bm.domaine.com answers on every port your device needs"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newCheckRouter(t, &fakeProber{rep: tc.rep}, nil)
			reply := r.Serve(context.Background(), &bot.Request{Text: tc.text, Platform: "test", ForceLang: "en"})
			text := render.Text(reply)
			if reply.Check == nil || reply.Intent != bot.IntentTroubleshoot {
				t.Fatalf("no check ran: %s\n%s", reply.Intent, text)
			}
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("lacks %q:\n%s", w, text)
				}
			}
		})
	}
}
