package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// doctorConfig writes a configuration whose one domain's server is
// pinned to a documentation address nothing answers on, with the audit
// trail in a temporary directory, and returns its path and the trail's.
func doctorConfig(t *testing.T, extra string) (cfgPath, trail string) {
	t.Helper()
	dir := t.TempDir()
	trail = filepath.Join(dir, "audit.jsonl")
	cfg := "domains:\n  - domain: example.org\n    host: mail.example.org\ncheck:\n  budget: 2s\n  hosts: {mail.example.org: 192.0.2.1}\naudit:\n  file: " + trail + "\n" + extra
	cfgPath = filepath.Join(dir, "mailhelp.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfgPath, trail
}

// doctorJSON is the part of doctor's JSON the tests read.
type doctorJSON struct {
	OK       bool `json:"ok"`
	Blocking int  `json:"blocking"`
	Findings []struct {
		Check, Subject, Status, Message, Fix string
	} `json:"findings"`
}

func (r doctorJSON) status(check, subject string) (string, string) {
	for _, f := range r.Findings {
		if f.Check == check && f.Subject == subject {
			return f.Status, f.Message
		}
	}
	return "", ""
}

func TestDoctorUsage(t *testing.T) {
	for _, args := range [][]string{{"doctor", "--format", "xml"}, {"doctor", "extra"}, {"doctor", "--timeout", "0s"}, {"doctor", "--nope"}} {
		if code, _, _ := run(t, nil, nil, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
	code, _, errOut := run(t, nil, nil, "doctor", "-h")
	if code != exitOK || !strings.Contains(errOut, "Exit status: 0 nothing blocks") {
		t.Errorf("doctor -h: exit %d, %q", code, errOut)
	}
	_, out, _ := run(t, nil, nil, "help")
	if !strings.Contains(out, "doctor") {
		t.Errorf("usage does not list doctor:\n%s", out)
	}
}

// TestDoctorCommand runs mailhelp doctor whole: the environment serve
// reads, the configuration file, the exit status and both formats.
func TestDoctorCommand(t *testing.T) {
	slack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":false,"error":"invalid_auth"}`))
	}))
	defer slack.Close()
	discord := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"message":"401: Unauthorized","code":0}`))
	}))
	defer discord.Close()
	good, _ := doctorConfig(t, "")
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("domains:\n  - domain: example.org\n    hots: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		code     int
		check    string
		subject  string
		status   string
		contains string
	}{
		{"a deployment with warnings only", map[string]string{"MAILHELP_CONFIG": good}, nil, exitOK,
			"web_public_url", "", "warn", "not set"},
		{"--config wins", map[string]string{"MAILHELP_CONFIG": bad}, []string{"--config", good}, exitOK,
			"config", "", "ok", good + " is valid"},
		{"an invalid configuration", map[string]string{"MAILHELP_CONFIG": bad}, nil, exitFail,
			"config", "", "fail", "line 3"},
		{"a wrong Slack token", map[string]string{"MAILHELP_CONFIG": good, "SLACK_BOT_TOKEN": "xoxb-secret-wrong",
			"SLACK_APP_TOKEN": "xapp-secret", "SLACK_API_URL": slack.URL + "/api/"}, nil, exitFail,
			"slack_token", "", "fail", "invalid_auth"},
		{"a wrong Discord token", map[string]string{"MAILHELP_CONFIG": good, "DISCORD_BOT_TOKEN": "discord-secret-wrong",
			"DISCORD_APP_ID": "1", "DISCORD_API_URL": discord.URL + "/api"}, nil, exitFail,
			"discord_token", "", "fail", "401"},
		{"the built-in demonstration", map[string]string{"HOME": t.TempDir()}, []string{"--timeout", "2s"}, -1,
			"config", "", "warn", "built-in demonstration"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"doctor", "--format", "json"}, tc.args...)
			code, out, errOut := run(t, nil, tc.env, args...)
			var r doctorJSON
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("exit %d, stderr %q, not JSON: %v\n%s", code, errOut, err, out)
			}
			if tc.code >= 0 && code != tc.code {
				t.Errorf("exit %d, want %d\n%s", code, tc.code, out)
			}
			if (code == exitOK) != r.OK || (r.Blocking > 0) == r.OK {
				t.Errorf("exit %d with ok %v, blocking %d", code, r.OK, r.Blocking)
			}
			status, msg := r.status(tc.check, tc.subject)
			if status != tc.status || !strings.Contains(msg, tc.contains) {
				t.Errorf("%s: %s %q, want %s with %q", tc.check, status, msg, tc.status, tc.contains)
			}
			for _, secret := range []string{"xoxb-secret-wrong", "xapp-secret", "discord-secret-wrong"} {
				if strings.Contains(out+errOut, secret) {
					t.Errorf("the output shows %s", secret)
				}
			}
		})
	}
}

// TestDoctorText: the default output is the checklist, ending with the
// summary.
func TestDoctorText(t *testing.T) {
	cfg, _ := doctorConfig(t, "")
	code, out, _ := run(t, nil, map[string]string{"MAILHELP_CONFIG": cfg}, "doctor")
	if code != exitOK {
		t.Errorf("exit %d", code)
	}
	for _, want := range []string{"[ok]   Configuration: " + cfg + " is valid: 1 domain", "[warn] Public web address:", "       fix: set web.public_url",
		"[skip] Slack: off", "[skip] Live check: not run: add --check", "Nothing blocks; "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestDoctorLiveCheck: --check runs each domain's live check through
// mailhelp check's path, audited; the pinned address refuses, so the
// deployment is blocked.
func TestDoctorLiveCheck(t *testing.T) {
	cfg, trail := doctorConfig(t, "")
	code, out, errOut := run(t, nil, map[string]string{"MAILHELP_CONFIG": cfg}, "doctor", "--check", "--format", "json")
	var r doctorJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("exit %d, stderr %q: %v", code, errOut, err)
	}
	status, msg := r.status("domain_check", "example.org")
	if status != "fail" || !strings.Contains(msg, "imap mail.example.org:993") || code != exitFail {
		t.Errorf("exit %d, domain.check %s %q", code, status, msg)
	}
	data, err := os.ReadFile(trail)
	if err != nil || !strings.Contains(string(data), `"action":"check","target":"mail.example.org"`) {
		t.Errorf("the live check is not in the audit trail: %q, %v", data, err)
	}
}
