package doctor

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/bot/discordbot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/internal/golden"
	"github.com/mailhelp/mailhelp/locales"
	"github.com/mailhelp/mailhelp/probe"
)

// testConfig serves one domain and names announcement channels on both
// platforms: three Slack ones and one Discord one.
const testConfig = `
domains:
  - domain: example.org
    host: mail.example.org
announce:
  channels:
    CMEMBER: en
    "123456789012345678": en
`

var (
	catOnce sync.Once
	cat     *locales.Catalog
)

func catalog(t testing.TB) *locales.Catalog {
	catOnce.Do(func() {
		var err error
		if cat, err = locales.Load(); err != nil {
			t.Fatal(err)
		}
	})
	return cat
}

func parseConfig(t testing.TB, yaml string) *config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// setup is a deployment under test: its fakes and doctor's options.
type setup struct {
	o       *Options
	slack   *fakeSlack
	discord *fakeDiscord
}

// newSetup builds a healthy deployment: Slack in Socket Mode with every
// scope, Discord with /mailhelp registered and the permissions it needs
// in its channel, the domain resolving, a writable audit trail, and no
// public URL. Tests then break one thing.
func newSetup(t *testing.T, yaml string) *setup {
	if yaml == "" {
		yaml = testConfig
	}
	s := &setup{slack: newFakeSlack(t), discord: newFakeDiscord(t)}
	s.discord.commands["global"] = expectedCommands(t)
	s.discord.channels["123456789012345678"] = map[string]any{"id": "123456789012345678", "name": "annonces", "type": 0, "guild_id": "555",
		"permission_overwrites": []any{}}
	s.discord.guilds["555"] = map[string]any{"id": "555", "name": "Acme", "owner_id": "1",
		"roles": []any{map[string]any{"id": "555", "name": "@everyone", "permissions": "1024"},
			map[string]any{"id": "777", "name": "mailhelp", "permissions": "18432"}}} // Send Messages + Embed Links
	s.discord.members["555"] = map[string]any{"roles": []string{"777"}, "user": map[string]any{"id": "999"}}
	s.o = &Options{
		Config: parseConfig(t, yaml), ConfigSource: "/etc/mailhelp/config.yaml",
		AuditFile: t.TempDir() + "/mailhelp-audit.jsonl",
		Env: Env{SlackBotToken: "xoxb-good", SlackAppToken: "xapp-good", SlackAPIURL: s.slack.url(),
			DiscordBotToken: "discord-good", DiscordAppID: "111", DiscordAPIURL: s.discord.url()},
		Translator: catalog(t),
		Resolver:   fakeResolver{"mail.example.org": {"192.0.2.10"}},
		Timeout:    5 * time.Second,
		Version:    "v1.0.0 abc",
	}
	return s
}

// expectedCommands is /mailhelp as this version registers it, as JSON.
func expectedCommands(t testing.TB) []map[string]any {
	data, err := json.Marshal(discordbot.Commands(catalog(t)))
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// secrets are every token and secret the tests use: no output may hold
// one.
var secrets = []string{"xoxb-good", "xoxb-limited", "xoxb-wrong", "xoxb-few", "xoxb-noheader", "xoxp-user", "xapp-good", "xapp-revoked",
	"xapp-noscope", "discord-good", "discord-wrong", "s3cret-signing", "0ther-secret"}

// run runs doctor and checks that neither output form leaks a secret.
func (s *setup) run(t *testing.T) *Report {
	t.Helper()
	r := Run(context.Background(), *s.o)
	var text, js bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	for _, sec := range secrets {
		if strings.Contains(text.String(), sec) || strings.Contains(js.String(), sec) {
			t.Errorf("the report shows the secret %q:\n%s", sec, text.String())
		}
	}
	return r
}

// expect is one finding a test wants: its check and subject, status, and
// words its message (and fix) hold.
type expect struct {
	check, subject string
	status         Status
	words          []string
}

func (e expect) in(t *testing.T, r *Report) {
	t.Helper()
	for _, f := range r.Findings {
		if f.Check != e.check || f.Subject != e.subject {
			continue
		}
		if f.Status != e.status {
			t.Errorf("%s %s: status %s, want %s (%s; fix: %s)", e.check, e.subject, f.Status, e.status, f.Message, f.Fix)
		}
		for _, w := range e.words {
			if !strings.Contains(f.Message+" | "+f.Fix, w) {
				t.Errorf("%s %s: %q lacks %q (fix: %s)", e.check, e.subject, f.Message, w, f.Fix)
			}
		}
		if f.Status != StatusOK && f.Status != StatusSkip && f.Fix == "" {
			t.Errorf("%s %s: %s without a fix: %s", e.check, e.subject, f.Status, f.Message)
		}
		return
	}
	t.Errorf("no finding %s %q in %+v", e.check, e.subject, r.Findings)
}

// TestHealthyDeployment: with everything right, doctor finds nothing
// blocking and says why each check passed.
func TestHealthyDeployment(t *testing.T) {
	s := newSetup(t, "")
	r := s.run(t)
	if r.Blocking() {
		t.Errorf("blocking findings in a healthy deployment: %+v", r.Findings)
	}
	for _, e := range []expect{
		{"config", "", StatusOK, []string{"/etc/mailhelp/config.yaml is valid: 1 domain"}},
		{"audit", s.o.AuditFile, StatusOK, []string{"writable"}},
		{"slack_token", "", StatusOK, []string{"mailhelp", "UBOT", "Acme"}},
		{"slack_scopes", "", StatusOK, []string{"all 8 scopes"}},
		{"slack_socket_mode", "", StatusOK, []string{"apps.connections.open"}},
		{"slack_channel", "CMEMBER", StatusOK, []string{"member of #it-news"}},
		{"discord_token", "", StatusOK, []string{"mailhelp (999)"}},
		{"discord_app_id", "", StatusOK, nil},
		{"discord_intents", "", StatusOK, []string{"no privileged intent"}},
		{"discord_command", "", StatusOK, []string{"registered globally"}},
		{"discord_channel", "123456789012345678", StatusOK, []string{"#annonces"}},
		{"web_public_url", "", StatusWarn, []string{"not set"}},
		{"domain_dns", "mail.example.org", StatusOK, []string{"192.0.2.10"}},
		{"domain_check", "", StatusSkip, []string{"--check"}},
	} {
		e.in(t, r)
	}
}

func TestSlackFindings(t *testing.T) {
	groups := "domains:\n  - domain: example.org\n    host: mail.example.org\nadmins:\n  slack: {groups: [S0614TZR7]}\n"
	tests := []struct {
		name  string
		yaml  string
		setup func(s *setup)
		want  []expect
	}{
		{"wrong bot token", "", func(s *setup) { s.o.Env.SlackBotToken = "xoxb-wrong" },
			[]expect{{"slack_token", "", StatusFail, []string{"invalid_auth", "Install App"}},
				{"slack_scopes", "", StatusSkip, nil}, {"slack_socket_mode", "", StatusOK, nil}}},
		{"wrong bot token and wrong app token", "", func(s *setup) { s.o.Env.SlackBotToken, s.o.Env.SlackAppToken = "xoxb-wrong", "xapp-revoked" },
			[]expect{{"slack_token", "", StatusFail, []string{"invalid_auth"}},
				{"slack_socket_mode", "", StatusFail, []string{"invalid_auth"}}}},
		{"missing scopes", "", func(s *setup) {
			s.slack.tokens["xoxb-few"] = slackToken{"mailhelp", "app_mentions:read,commands,im:history,im:read,im:write,usergroups:read,channels:read"}
			s.o.Env.SlackBotToken = "xoxb-few"
		}, []expect{{"slack_scopes", "", StatusFail, []string{"chat:write (posting answers", "users:read", "reinstall"}}}},
		{"only a scope that does not block", "", func(s *setup) {
			s.slack.tokens["xoxb-few"] = slackToken{"mailhelp", strings.Replace(allScopes, "users:read,", "", 1)}
			s.o.Env.SlackBotToken = "xoxb-few"
		}, []expect{{"slack_scopes", "", StatusWarn, []string{"users:read"}}}},
		{"usergroups:read with admin groups", groups, func(s *setup) {
			s.slack.tokens["xoxb-few"] = slackToken{"mailhelp", strings.Replace(allScopes, "usergroups:read,", "", 1)}
			s.o.Env.SlackBotToken = "xoxb-few"
		}, []expect{{"slack_scopes", "", StatusFail, []string{"usergroups:read (admins by user group"}}}},
		{"usergroups:read without admin groups", "", func(s *setup) {
			s.slack.tokens["xoxb-few"] = slackToken{"mailhelp", strings.Replace(allScopes, "usergroups:read,", "", 1)}
			s.o.Env.SlackBotToken = "xoxb-few"
		}, []expect{{"slack_scopes", "", StatusWarn, []string{"usergroups:read"}}}},
		{"scopes not reported", "", func(s *setup) {
			s.slack.tokens["xoxb-noheader"] = slackToken{"mailhelp", "-"}
			s.o.Env.SlackBotToken = "xoxb-noheader"
		}, []expect{{"slack_scopes", "", StatusWarn, []string{"X-OAuth-Scopes"}}}},
		{"a user token", "", func(s *setup) {
			s.slack.tokens["xoxp-user"] = slackToken{"alice", allScopes}
			s.o.Env.SlackBotToken = "xoxp-user"
		}, []expect{{"slack_token", "", StatusWarn, []string{"not a bot token"}}}},
		{"bot token as app token", "", func(s *setup) { s.o.Env.SlackAppToken = "xoxb-good" },
			[]expect{{"slack_socket_mode", "", StatusFail, []string{"not an app-level token", "connections:write"}}}},
		{"revoked app token", "", func(s *setup) {
			s.slack.appTokens["xapp-revoked"] = "token_revoked"
			s.o.Env.SlackAppToken = "xapp-revoked"
		}, []expect{{"slack_socket_mode", "", StatusFail, []string{"token_revoked", "revoked"}}}},
		{"app token without connections:write", "", func(s *setup) {
			s.slack.appTokens["xapp-noscope"] = "missing_scope"
			s.o.Env.SlackAppToken = "xapp-noscope"
		}, []expect{{"slack_socket_mode", "", StatusFail, []string{"lacks the connections:write scope"}}}},
		{"neither app token nor signing secret", "", func(s *setup) { s.o.Env.SlackAppToken = "" },
			[]expect{{"slack_socket_mode", "", StatusFail, []string{"SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"}}}},
		{"bot outside a channel", "announce:\n  channels: {COUTSIDE: en}\ndomains:\n  - domain: example.org\n    host: mail.example.org\n", nil,
			[]expect{{"slack_channel", "COUTSIDE", StatusFail, []string{"not a member of #general", "/invite @mailhelp"}}}},
		{"unknown channel", "announce:\n  changes: {slack: CNOPE}\ndomains:\n  - domain: example.org\n    host: mail.example.org\n", nil,
			[]expect{{"slack_channel", "CNOPE", StatusFail, []string{"not found"}}}},
		{"archived channel", "announce:\n  channels: {CARCHIVED: fr}\ndomains:\n  - domain: example.org\n    host: mail.example.org\n", nil,
			[]expect{{"slack_channel", "CARCHIVED", StatusFail, []string{"archived"}}}},
		{"membership unreadable without channels:read", "", func(s *setup) {
			s.slack.tokens["xoxb-few"] = slackToken{"mailhelp", strings.TrimSuffix(allScopes, ",channels:read")}
			s.o.Env.SlackBotToken = "xoxb-few"
		}, []expect{{"slack_channel", "CMEMBER", StatusWarn, []string{"channels:read", "/invite"}},
			{"slack_scopes", "", StatusOK, nil}}},
		{"Slack rate limits", "", func(s *setup) { s.o.Env.SlackBotToken = "xoxb-limited" },
			[]expect{{"slack_token", "", StatusFail, []string{"rate limited by Slack; try again in 30s"}}}},
		{"Slack unreachable", "", func(s *setup) { s.slack.srv.Close() },
			[]expect{{"slack_token", "", StatusFail, []string{"auth.test failed", "connection was refused", "SLACK_API_URL"}}}},
		{"Slack off with a Slack channel configured", "", func(s *setup) { s.o.Env.SlackBotToken, s.o.Env.SlackAppToken = "", "" },
			[]expect{{"slack", "", StatusSkip, []string{"SLACK_BOT_TOKEN is not set"}},
				{"announce_platform_off", "CMEMBER", StatusWarn, []string{"slack is off"}}}},
		{"app token without bot token", "", func(s *setup) { s.o.Env.SlackBotToken = "" },
			[]expect{{"slack", "", StatusWarn, []string{"SLACK_BOT_TOKEN is not"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSetup(t, tc.yaml)
			if tc.setup != nil {
				tc.setup(s)
			}
			r := s.run(t)
			for _, e := range tc.want {
				e.in(t, r)
			}
			if failed := hasFail(tc.want); failed != r.Blocking() {
				t.Errorf("Blocking() = %v, want %v", r.Blocking(), failed)
			}
		})
	}
}

func hasFail(want []expect) bool {
	for _, e := range want {
		if e.status == StatusFail {
			return true
		}
	}
	return false
}

func TestDiscordFindings(t *testing.T) {
	ch := "123456789012345678"
	tests := []struct {
		name  string
		setup func(s *setup)
		want  []expect
	}{
		{"wrong token", func(s *setup) { s.o.Env.DiscordBotToken = "discord-wrong" },
			[]expect{{"discord_token", "", StatusFail, []string{"401", "\"Bot\" page"}}, {"discord_app_id", "", StatusSkip, nil}}},
		{"application id of another application", func(s *setup) { s.o.Env.DiscordAppID = "222" },
			[]expect{{"discord_app_id", "", StatusFail, []string{"DISCORD_APP_ID is 222", "application 111", "DISCORD_APP_ID=111"}}}},
		{"no application id", func(s *setup) { s.o.Env.DiscordAppID = "" },
			[]expect{{"discord_app_id", "", StatusFail, []string{"not set", "DISCORD_APP_ID=111"}}}},
		{"command not registered", func(s *setup) { delete(s.discord.commands, "global") },
			[]expect{{"discord_command", "", StatusWarn, []string{"not registered globally", "restart"}}}},
		{"command of another version", func(s *setup) {
			s.discord.commands["global"] = []map[string]any{{"name": "mailhelp", "type": 1, "options": []any{map[string]any{"name": "help", "type": 1}}}}
		}, []expect{{"discord_command", "", StatusWarn, []string{"subcommands help, but this version has", "configure"}}}},
		{"command registered in the test server", func(s *setup) {
			s.o.Env.DiscordGuildID = "555"
			s.discord.commands["555"] = s.discord.commands["global"]
			delete(s.discord.commands, "global")
		}, []expect{{"discord_command", "", StatusOK, []string{"in server 555"}}}},
		{"unverified bot at 100 servers", func(s *setup) { s.discord.flags = 1 << 6 },
			[]expect{{"discord_intents", "", StatusWarn, []string{"unverified"}}}},
		{"overwrite denies Embed Links", func(s *setup) {
			s.discord.channels[ch]["permission_overwrites"] = []any{map[string]any{"id": "777", "type": 0, "allow": "0", "deny": "16384"}}
		}, []expect{{"discord_channel", ch, StatusFail, []string{"lacks Embed Links in #annonces", "Permissions"}}}},
		{"no role grants Send Messages", func(s *setup) {
			s.discord.guilds["555"]["roles"] = []any{map[string]any{"id": "555", "permissions": "1024"}, map[string]any{"id": "777", "permissions": "0"}}
		}, []expect{{"discord_channel", ch, StatusFail, []string{"lacks Send Messages, Embed Links"}}}},
		{"channel the bot cannot see", func(s *setup) { s.discord.forbid[ch] = true },
			[]expect{{"discord_channel", ch, StatusFail, []string{"Missing Access", "invite"}}}},
		{"unknown channel", func(s *setup) { delete(s.discord.channels, ch) },
			[]expect{{"discord_channel", ch, StatusFail, []string{"Unknown Channel", "Copy Channel ID"}}}},
		{"bot not in the channel's server", func(s *setup) { delete(s.discord.members, "555") },
			[]expect{{"discord_channel", ch, StatusFail, []string{"not a member of server 555"}}}},
		{"thread: Send Messages in Threads counts", func(s *setup) {
			s.discord.channels["42"] = map[string]any{"id": "42", "name": "thread", "type": 11, "guild_id": "555", "parent_id": ch}
			s.o.Config.Announce.Changes["discord"] = "42"
		}, []expect{{"discord_channel", "42", StatusFail, []string{"lacks Send Messages in Threads"}}}},
		{"Discord does not answer in time", func(s *setup) {
			s.discord.hang = true
			s.o.Timeout = 200 * time.Millisecond
		}, []expect{{"discord_token", "", StatusFail, []string{"no answer in time"}}}},
		{"Discord off with a Discord channel configured", func(s *setup) { s.o.Env.DiscordBotToken = "" },
			[]expect{{"discord", "", StatusWarn, []string{"DISCORD_APP_ID is set"}},
				{"announce_platform_off", ch, StatusWarn, []string{"discord is off"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSetup(t, "")
			tc.setup(s)
			r := s.run(t)
			for _, e := range tc.want {
				e.in(t, r)
			}
			if failed := hasFail(tc.want); failed != r.Blocking() {
				t.Errorf("Blocking() = %v, want %v: %+v", r.Blocking(), failed, r.Findings)
			}
		})
	}
}

func TestLocalFindings(t *testing.T) {
	_, cfgErr := config.Parse([]byte("domains:\n  - domain: example.org\n    hots: mail.example.org\n"))
	live := func(v probe.Status, err error) LiveCheck {
		return func(ctx context.Context, domain string) (*probe.Report, error) {
			if err != nil {
				return nil, err
			}
			rep := &probe.Report{Host: "mail.example.org", Verdict: v}
			if v != probe.StatusOK {
				rep.Endpoints = []probe.EndpointReport{{Endpoint: probe.Endpoint{Protocol: probe.IMAP, Port: 993},
					Problems: []probe.Problem{{Code: probe.CodeCertExpired, Severity: probe.Severity(v)}}}}
			}
			return rep, nil
		}
	}
	tests := []struct {
		name  string
		setup func(s *setup)
		want  []expect
	}{
		{"invalid configuration", func(s *setup) { s.o.Config, s.o.ConfigErr = nil, cfgErr },
			[]expect{{"config", "", StatusFail, []string{"line 3", "hots", "mailhelp config check /etc/mailhelp/config.yaml"}},
				{"audit", "", StatusSkip, nil}, {"web_public_url", "", StatusSkip, nil}, {"domain_dns", "", StatusSkip, nil}}},
		{"built-in demonstration", func(s *setup) { s.o.ConfigSource = "" },
			[]expect{{"config", "", StatusWarn, []string{"built-in demonstration (example.org)", "mailhelp config init"}}}},
		{"host does not resolve", func(s *setup) { s.o.Resolver = fakeResolver{} },
			[]expect{{"domain_dns", "mail.example.org", StatusFail, []string{"no such host", "check.hosts"}}}},
		{"pinned host that does not resolve", func(s *setup) {
			s.o.Config = parseConfig(t, testConfig+"check:\n  hosts: {mail.example.org: 10.0.0.25}\n")
			s.o.Resolver = fakeResolver{}
		}, []expect{{"domain_dns", "mail.example.org", StatusWarn, []string{"pinned 10.0.0.25", "users' devices"}}}},
		{"live check passes", func(s *setup) { s.o.LiveCheck = live(probe.StatusOK, nil) },
			[]expect{{"domain_check", "example.org", StatusOK, []string{"work"}}}},
		{"live check warns", func(s *setup) { s.o.LiveCheck = live(probe.StatusWarn, nil) },
			[]expect{{"domain_check", "example.org", StatusWarn, []string{"imap mail.example.org:993 cert_expired", "mailhelp check --host mail.example.org"}}}},
		{"live check fails", func(s *setup) { s.o.LiveCheck = live(probe.StatusFail, nil) },
			[]expect{{"domain_check", "example.org", StatusFail, []string{"do not work", "cert_expired"}}}},
		{"live check cannot run", func(s *setup) { s.o.LiveCheck = live("", context.DeadlineExceeded) },
			[]expect{{"domain_check", "example.org", StatusFail, []string{"could not run"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSetup(t, "")
			s.o.Env = Env{} // no chat platform
			s.o.Config.Announce.ChannelLang = map[string][]string{}
			tc.setup(s)
			r := s.run(t)
			for _, e := range tc.want {
				e.in(t, r)
			}
			if failed := hasFail(tc.want); failed != r.Blocking() {
				t.Errorf("Blocking() = %v, want %v: %+v", r.Blocking(), failed, r.Findings)
			}
		})
	}
}

// TestOutput: the checklist and the JSON of one report with every
// status are golden files; the JSON says whether anything blocks.
func TestOutput(t *testing.T) {
	r := &Report{Findings: []Finding{
		{Check: "config", Status: StatusOK, Message: "/etc/mailhelp/config.yaml is valid: 1 domain"},
		{Check: "slack_token", Status: StatusFail, Message: "auth.test refused SLACK_BOT_TOKEN: invalid_auth (Slack does not know this token)",
			Fix: "copy the Bot User OAuth Token"},
		{Check: "slack_channel", Subject: "C0123", Status: StatusWarn, Message: "line one\nline\ttwo", Fix: "invite the bot"},
		{Check: "domain_check", Status: StatusSkip, Message: "not run: add --check"},
	}}
	var text, js bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "report.txt", text.String())
	golden.Assert(t, "report.json", js.String())
	var got jsonReport
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.OK || got.Blocking != 1 || got.Warnings != 1 || len(got.Findings) != 4 {
		t.Errorf("JSON summary = %+v", got)
	}
	for _, tc := range []struct {
		findings []Finding
		want     string
	}{
		{nil, "Everything checked is ready."},
		{[]Finding{{Status: StatusWarn}, {Status: StatusWarn}}, "Nothing blocks; 2 warnings."},
		{[]Finding{{Status: StatusFail}, {Status: StatusFail}}, "2 blocking problems, 0 warnings: fix the FAIL lines before users meet them."},
	} {
		if got := (&Report{Findings: tc.findings}).Summary(); got != tc.want {
			t.Errorf("Summary() = %q, want %q", got, tc.want)
		}
	}
}
