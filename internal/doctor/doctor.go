// Package doctor verifies a mailhelp deployment before its users find
// the problems, and says how to fix each: the configuration, the audit
// trail, the Slack and Discord tokens, scopes, intents, commands and
// channels, the public web address, and each domain's servers.
//
// It reads what cmd/mailhelp gives it (the loaded configuration, the
// environment's tokens) and asks the platforms over the network, each
// call bounded by Options.Timeout. Tokens are sent to their platform
// only, and never appear in a finding.
package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/web"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/probe"
)

// Status is the outcome of one check.
type Status string

// Outcomes, from best to worst. Only StatusFail blocks a deployment.
const (
	StatusOK   Status = "ok"
	StatusSkip Status = "skip" // not applicable, or not checked: Message says why
	StatusWarn Status = "warn"
	StatusFail Status = "fail"
)

// Finding is the outcome of one check of one thing.
type Finding struct {
	// Check is a stable identifier ("slack_scopes", "discord_channel").
	Check string `json:"check"`
	// Subject is what was checked when a check runs once per thing: a
	// channel id, a domain, a host.
	Subject string `json:"subject,omitempty"`
	Status  Status `json:"status"`
	// Message says what was found.
	Message string `json:"message"`
	// Fix says what to do about it, when Status is not ok.
	Fix string `json:"fix,omitempty"`
}

// Report is every finding, in a stable order.
type Report struct {
	Findings []Finding `json:"findings"`
}

// Count returns how many findings have status s.
func (r *Report) Count(s Status) int {
	n := 0
	for _, f := range r.Findings {
		if f.Status == s {
			n++
		}
	}
	return n
}

// Blocking reports whether something blocks the deployment: a finding
// with StatusFail. Warnings alone do not.
func (r *Report) Blocking() bool { return r.Count(StatusFail) > 0 }

// Env is what mailhelp reads from the environment for the chat
// platforms: the same variables mailhelp serve reads.
type Env struct {
	SlackBotToken      string // SLACK_BOT_TOKEN
	SlackAppToken      string // SLACK_APP_TOKEN
	SlackSigningSecret string // SLACK_SIGNING_SECRET
	SlackAPIURL        string // SLACK_API_URL
	DiscordBotToken    string // DISCORD_BOT_TOKEN
	DiscordAppID       string // DISCORD_APP_ID
	DiscordGuildID     string // DISCORD_GUILD_ID
	DiscordAPIURL      string // DISCORD_API_URL
}

// Resolver looks host names up; *net.Resolver is one.
type Resolver interface {
	LookupHost(ctx context.Context, host string) ([]string, error)
}

// LiveCheck runs the live check of a configured domain's servers (the
// path of mailhelp check, app.App.Check).
type LiveCheck func(ctx context.Context, domain string) (*probe.Report, error)

// Options is what Run checks, and how.
type Options struct {
	// Config is the loaded configuration; nil when it could not be
	// loaded, and ConfigErr says why.
	Config    *config.Config
	ConfigErr error
	// ConfigSource names the configuration file; "" means the built-in
	// demonstration configuration.
	ConfigSource string
	// AuditFile is the audit trail's path as mailhelp serve resolves it
	// ("off" when turned off); AuditErr says why it could not be
	// resolved when it is empty.
	AuditFile string
	AuditErr  error
	// Env holds the chat platforms' tokens and API addresses.
	Env Env
	// Translator gives the expected /mailhelp command's names. Required
	// to compare the registered Discord command with this version's.
	Translator bot.Translator
	// LiveCheck, when set, checks each domain live (doctor --check).
	LiveCheck LiveCheck
	// Timeout bounds each network call (default 10 s); a live check is
	// bounded by its own budget.
	Timeout time.Duration
	// HTTPClient makes every HTTP call (default: one with Timeout, no
	// cookies). Its Transport is kept; redirects are decided per call.
	HTTPClient *http.Client
	// Resolver resolves the domains' hosts (default net.DefaultResolver).
	Resolver Resolver
	// Version is this binary's build, compared with what the instance
	// behind web.public_url reports (default web.InstanceVersion()).
	Version string
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// defaultTimeout bounds each network call when Options.Timeout is zero.
const defaultTimeout = 10 * time.Second

// maxBody bounds what doctor reads of any HTTP answer.
const maxBody = 1 << 20

// userAgent names doctor's HTTP requests; Discord wants this form.
const userAgent = "DiscordBot (https://github.com/mailhelp/mailhelp, doctor) mailhelp-doctor"

func (o *Options) defaults() {
	if o.Timeout <= 0 {
		o.Timeout = defaultTimeout
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: o.Timeout}
	}
	if o.Resolver == nil {
		o.Resolver = net.DefaultResolver
	}
	if o.Version == "" {
		o.Version = web.InstanceVersion()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Run checks the deployment and returns every finding: the
// configuration and audit trail, Slack, Discord, the public web
// address, then each domain. The groups run at once; the report's order
// does not depend on which answers first.
func Run(ctx context.Context, o Options) *Report {
	o.defaults()
	d := &doctor{o: o}
	groups := []func(context.Context) []Finding{d.local, d.slack, d.discord, d.web, d.domains}
	results := make([][]Finding, len(groups))
	var wg sync.WaitGroup
	for i, g := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = g(ctx)
		}()
	}
	wg.Wait()
	r := &Report{Findings: []Finding{}}
	for _, fs := range results {
		r.Findings = append(r.Findings, fs...)
	}
	return r
}

// doctor runs the checks of one Run.
type doctor struct{ o Options }

// cfg is the configuration, nil when it could not be loaded.
func (d *doctor) cfg() *config.Config { return d.o.Config }

// titles name each check in the text output.
var titles = map[string]string{
	"config":                "Configuration",
	"audit":                 "Audit trail",
	"slack":                 "Slack",
	"slack_token":           "Slack bot token",
	"slack_scopes":          "Slack scopes",
	"slack_socket_mode":     "Slack Socket Mode",
	"slack_http":            "Slack HTTP endpoints",
	"slack_channel":         "Slack channel",
	"discord":               "Discord",
	"discord_token":         "Discord bot token",
	"discord_app_id":        "Discord application id",
	"discord_command":       "Discord /mailhelp command",
	"discord_intents":       "Discord gateway intents",
	"discord_channel":       "Discord channel",
	"web_public_url":        "Public web address",
	"domain_dns":            "Server name",
	"domain_check":          "Live check",
	"announce_platform_off": "Announcement channel",
}

// Title is how the text output names f: its check, and its subject.
func (f Finding) Title() string {
	t := titles[f.Check]
	if t == "" {
		t = f.Check
	}
	if f.Subject != "" {
		t += " " + f.Subject
	}
	return t
}

// WriteText writes r as a checklist: one line per finding, its fix
// under it, and a last line saying whether anything blocks.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, f := range r.Findings {
		mark := map[Status]string{StatusOK: "[ok]  ", StatusSkip: "[skip]", StatusWarn: "[warn]", StatusFail: "[FAIL]"}[f.Status]
		fmt.Fprintf(&b, "%s %s: %s\n", mark, f.Title(), oneLine(f.Message))
		if f.Fix != "" && f.Status != StatusOK {
			fmt.Fprintf(&b, "       fix: %s\n", oneLine(f.Fix))
		}
	}
	b.WriteString("\n" + r.Summary() + "\n")
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("doctor: writing the report: %w", err)
	}
	return nil
}

// Summary is one sentence: how many problems block, how many warnings.
func (r *Report) Summary() string {
	fails, warns := r.Count(StatusFail), r.Count(StatusWarn)
	switch {
	case fails > 0:
		return fmt.Sprintf("%s, %s: fix the FAIL lines before users meet them.", plural(fails, "blocking problem"), plural(warns, "warning"))
	case warns > 0:
		return fmt.Sprintf("Nothing blocks; %s.", plural(warns, "warning"))
	}
	return "Everything checked is ready."
}

// jsonReport is the JSON form of a Report.
type jsonReport struct {
	OK       bool      `json:"ok"`
	Blocking int       `json:"blocking"`
	Warnings int       `json:"warnings"`
	Findings []Finding `json:"findings"`
}

// WriteJSON writes r as one indented JSON object: "ok" (nothing blocks),
// "blocking" and "warnings" (counts) and "findings".
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(jsonReport{OK: !r.Blocking(), Blocking: r.Count(StatusFail), Warnings: r.Count(StatusWarn), Findings: r.Findings}); err != nil {
		return fmt.Errorf("doctor: writing the report: %w", err)
	}
	return nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// oneLine keeps a message on its line: what platforms or servers send
// may hold line breaks or control characters.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// callCtx bounds one network call.
func (d *doctor) callCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d.o.Timeout)
}

// client is the HTTP client, following redirects or not.
func (d *doctor) client(follow bool) *http.Client {
	c := *d.o.HTTPClient
	if c.Timeout == 0 || c.Timeout > d.o.Timeout {
		c.Timeout = d.o.Timeout
	}
	if !follow {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	} else {
		c.CheckRedirect = func(_ *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return fmt.Errorf("stopped after %d redirects", len(via))
			}
			return nil
		}
	}
	return &c
}

// netProblem says in words why a call did not get an answer.
func netProblem(err error) string {
	var ne net.Error
	var dnsErr *net.DNSError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &dnsErr):
		return "the name " + dnsErr.Name + " does not resolve from here"
	case errors.As(err, &ne) && ne.Timeout(), strings.Contains(err.Error(), "context deadline exceeded"):
		return "no answer in time"
	case strings.Contains(err.Error(), "connection refused"):
		return "the connection was refused"
	case strings.Contains(err.Error(), "certificate"):
		return "its TLS certificate is not trusted here (" + err.Error() + ")"
	}
	return err.Error()
}
