package handlers

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/probe"
)

// problemMessages explains each problem code to a person: what it means
// for their device and what to do.
var problemMessages = map[string]string{
	probe.CodeDNS:               "check.problem.dns",
	probe.CodeRefused:           "check.problem.refused",
	probe.CodeUnreachable:       "check.problem.unreachable",
	probe.CodeTimeout:           "check.problem.timeout",
	probe.CodeSlowGreeting:      "check.problem.slow_greeting",
	probe.CodeGreetingRejected:  "check.problem.greeting_rejected",
	probe.CodeTLSHandshake:      "check.problem.tls_handshake",
	probe.CodeTLSOld:            "check.problem.tls_old_version",
	probe.CodeCertExpired:       "check.problem.cert_expired",
	probe.CodeCertExpiringSoon:  "check.problem.cert_expiring_soon",
	probe.CodeCertNotYetValid:   "check.problem.cert_not_yet_valid",
	probe.CodeCertHostname:      "check.problem.cert_hostname_mismatch",
	probe.CodeCertUntrusted:     "check.problem.cert_untrusted",
	probe.CodeSTARTTLSMissing:   "check.problem.starttls_missing",
	probe.CodeSTARTTLSInjection: "check.problem.starttls_injection",
	probe.CodePlaintextAuth:     "check.problem.plaintext_auth",
	probe.CodeNoAuth:            "check.problem.no_auth",
	probe.CodeProtocol:          "check.problem.protocol",
	probe.CodeAuthFailed:        "check.problem.auth_failed",
	probe.CodeAuthMechanism:     "check.problem.auth_mechanism",
	probe.CodeAuthSkipped:       "check.problem.auth_skipped",
}

// certCodes are the problems a device shows as a certificate warning.
var certCodes = []string{probe.CodeCertExpired, probe.CodeCertNotYetValid, probe.CodeCertHostname, probe.CodeCertUntrusted}

// CheckReply turns a check report into an answer: the verdict, what to
// set on the device, one line per endpoint, and one note per problem with
// what it means and what to do.
func CheckReply(loc bot.Localizer, rep *probe.Report) *bot.Reply {
	host := knowledge.DisplayDomain(rep.Host)
	working := 0
	for _, e := range rep.Endpoints {
		if e.Status != probe.StatusFail {
			working++
		}
	}
	titleID := map[probe.Status]string{
		probe.StatusOK: "check.result.ok", probe.StatusWarn: "check.result.warn", probe.StatusFail: "check.result.fail",
	}[rep.Verdict]
	r := &bot.Reply{
		Intent: bot.IntentCheck,
		Title:  loc.Text(titleID, map[string]any{"Host": host}),
		Intro: loc.Plural("check.result.intro", working, map[string]any{
			"Total": len(rep.Endpoints), "Seconds": seconds(loc, rep.DurationMS),
		}),
		About: bot.About{Host: host},
	}
	if g, ok := deviceGroup(loc, rep); ok {
		r.Settings = append(r.Settings, g)
	}
	eg := endpointGroup(loc, rep)
	eg.Folded = true
	r.Settings = append(r.Settings, eg)
	r.Notes = problemNotes(loc, rep, host)
	if len(r.Notes) > 0 && sameFailure(rep) != "" {
		// Every connection failed the same way ("the server name cannot
		// be found"): say that in plain words first.
		r.Intro = r.Notes[0].Text
		r.Notes = r.Notes[1:]
	}
	if !rep.Started.IsZero() {
		r.Notes = append(r.Notes, bot.Note{Severity: bot.SeverityInfo,
			Text: loc.Text("check.result.at", map[string]any{"Time": rep.Started.UTC().Format("2006-01-02 15:04")})})
	}
	if rep.Account != nil {
		accountSection(loc, r, rep.Account, rep.Verdict)
	}
	r.Actions = []bot.Action{{Kind: bot.ActionCheck, Label: loc.Text("action.check_again", nil),
		Phrase: loc.Text("phrase.check", map[string]any{"Target": host}), Target: host}}
	return r
}

// deviceGroup is the settings that work, to type on the device.
func deviceGroup(loc bot.Localizer, rep *probe.Report) (bot.SettingGroup, bool) {
	rec := rep.Recommended
	if rec.Incoming == nil && rec.Outgoing == nil {
		return bot.SettingGroup{}, false
	}
	g := bot.SettingGroup{Title: loc.Text("check.result.device", nil)}
	add := func(label string, e *probe.Endpoint) {
		if e == nil {
			g.Fields = append(g.Fields, bot.Field{Label: label, Value: loc.Text("check.result.none_works", nil)})
			return
		}
		h := knowledge.DisplayDomain(cmpOr(e.Host, rep.Host))
		g.Fields = append(g.Fields, bot.Field{Label: label,
			Value: loc.Text("check.result.endpoint_value", map[string]any{
				"Host": h, "Port": strconv.Itoa(e.Port), "Security": securityText(loc, knowledge.Security(e.Security)),
			})})
	}
	add(loc.Text("settings.incoming", nil), rec.Incoming)
	add(loc.Text("settings.outgoing", nil), rec.Outgoing)
	if rec.Incoming != nil {
		push := loc.Text("check.result.push_off", nil)
		if rec.Push {
			push = loc.Text("check.result.push_on", nil)
		}
		g.Fields = append(g.Fields, bot.Field{Label: loc.Text("check.result.push", nil), Value: push})
	}
	return g, true
}

// endpointGroup has one line per endpoint: its verdict and what it showed.
func endpointGroup(loc bot.Localizer, rep *probe.Report) bot.SettingGroup {
	g := bot.SettingGroup{Title: loc.Text("check.result.endpoints", nil)}
	for _, e := range rep.Endpoints {
		label := loc.Text("check.result.endpoint_label", map[string]any{
			"Protocol": strings.ToUpper(string(e.Protocol)), "Port": strconv.Itoa(e.Port),
			"Security": securityText(loc, knowledge.Security(e.Security)),
		})
		if e.Host != "" {
			label += " · " + knowledge.DisplayDomain(e.Host)
		}
		var value string
		switch e.Status {
		case probe.StatusOK:
			value = loc.Text("check.status.ok", map[string]any{"MS": e.Timings.Total})
		case probe.StatusWarn:
			value = loc.Text("check.status.warn", map[string]any{"MS": e.Timings.Total})
		default:
			value = loc.Text("check.status.fail", map[string]any{"Code": firstFailure(e)})
		}
		g.Fields = append(g.Fields, bot.Field{Label: label, Value: value, Hint: endpointHint(loc, e)})
	}
	return g
}

func firstFailure(e probe.EndpointReport) string {
	for _, p := range e.Problems {
		if p.Severity == probe.SeverityFail {
			return p.Code
		}
	}
	return ""
}

// endpointHint summarizes TLS and the certificate.
func endpointHint(loc bot.Localizer, e probe.EndpointReport) string {
	if e.TLS == nil {
		return ""
	}
	parts := []string{e.TLS.Version}
	if c := e.TLS.Cert; c != nil && c.Verified {
		parts = append(parts, loc.Plural("check.result.cert_days", c.DaysLeft, nil))
	}
	if e.Protocol == probe.IMAP && e.Push {
		parts = append(parts, loc.Text("check.result.push_short", nil))
	}
	if e.Auth != nil && e.Auth.OK {
		parts = append(parts, loc.Text("check.result.login_ok", nil))
	}
	return strings.Join(parts, ", ")
}

// problemNotes explains each kind of problem once, with the ports it
// concerns, most serious first.
func problemNotes(loc bot.Localizer, rep *probe.Report, host string) []bot.Note {
	type group struct {
		sev   probe.Severity
		ports []string
		first probe.EndpointReport
	}
	groups := make(map[string]*group)
	var order []string
	for _, e := range rep.Endpoints {
		for _, p := range e.Problems {
			key := p.Code + "/" + string(p.Severity)
			g, ok := groups[key]
			if !ok {
				g = &group{sev: p.Severity, first: e}
				groups[key] = g
				order = append(order, key)
			}
			if port := strconv.Itoa(e.Port); !contains(g.ports, port) {
				g.ports = append(g.ports, port)
			}
		}
	}
	rank := map[probe.Severity]int{probe.SeverityFail: 0, probe.SeverityWarn: 1, probe.SeverityInfo: 2}
	sort.SliceStable(order, func(i, j int) bool { return rank[groups[order[i]].sev] < rank[groups[order[j]].sev] })
	var notes []bot.Note
	certWarning := false
	for _, key := range order {
		g := groups[key]
		code, _, _ := strings.Cut(key, "/")
		id := problemMessages[code]
		if code == probe.CodeNoAuth && g.sev == probe.SeverityInfo {
			id = "check.problem.no_auth_port25"
		}
		if id == "" {
			continue
		}
		data := map[string]any{"Host": host, "Ports": strings.Join(g.ports, ", ")}
		if c := g.first.TLS; c != nil && c.Cert != nil {
			data["Date"] = c.Cert.NotAfter.Format(time.DateOnly)
			data["Names"] = strings.Join(c.Cert.SANs, ", ")
		}
		if code == probe.CodeCertNotYetValid {
			data["Date"] = "?"
			for _, p := range g.first.Problems {
				if p.Code == code {
					data["Date"] = strings.TrimPrefix(p.Detail, "valid only from ")
				}
			}
		}
		sev := map[probe.Severity]bot.Severity{probe.SeverityFail: bot.SeverityError, probe.SeverityWarn: bot.SeverityWarning, probe.SeverityInfo: bot.SeverityInfo}[g.sev]
		if sev == bot.SeverityError && rep.Verdict != probe.StatusFail {
			// A failing alternative the device does not need is worth
			// knowing, not an error in an answer that says it works.
			sev = bot.SeverityWarning
		}
		notes = append(notes, bot.Note{Severity: sev, Text: loc.Plural(id, len(g.ports), data)})
		certWarning = certWarning || contains(certCodes, code)
	}
	if certWarning {
		notes = append(notes, bot.Note{Severity: bot.SeverityTip, Text: loc.Text("check.note.device_cert", map[string]any{"Host": host})})
	}
	return notes
}

// seconds writes a duration in seconds with one decimal, with the
// language's decimal separator.
func seconds(loc bot.Localizer, ms int64) string {
	s := fmt.Sprintf("%.1f", float64(ms)/1000)
	return strings.Replace(s, ".", loc.Text("format.decimal_point", nil), 1)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// sameFailure is the one problem every endpoint failed with, or "".
func sameFailure(rep *probe.Report) string {
	code := ""
	for _, e := range rep.Endpoints {
		f := firstFailure(e)
		if e.Status != probe.StatusFail || f == "" || code != "" && f != code {
			return ""
		}
		code = f
	}
	return code
}
