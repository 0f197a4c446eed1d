package main

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestStateDir: where state goes, for each platform's way of saying it.
func TestStateDir(t *testing.T) {
	system := t.TempDir() // stands for /var/lib/mailhelp, existing
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "missing")
	account := func() (string, error) { return "/home/acct", nil }
	noAccount := func() (string, error) { return "", errors.New("unknown user") }
	tests := []struct {
		name    string
		env     map[string]string
		system  string
		account func() (string, error)
		want    string
	}{
		{"systemd StateDirectory=", map[string]string{"STATE_DIRECTORY": "/var/lib/mailhelp", "XDG_STATE_HOME": "/x", "HOME": "/h"}, system, account, "/var/lib/mailhelp"},
		{"systemd, several directories: the first", map[string]string{"STATE_DIRECTORY": "/var/lib/mailhelp:/var/lib/other"}, missing, account, "/var/lib/mailhelp"},
		{"XDG_STATE_HOME", map[string]string{"XDG_STATE_HOME": "/home/u/state", "HOME": "/home/u"}, system, account, "/home/u/state/mailhelp"},
		{"relative XDG_STATE_HOME is ignored", map[string]string{"XDG_STATE_HOME": "state", "HOME": "/home/u"}, missing, account, "/home/u/.local/state/mailhelp"},
		{"the image: /var/lib/mailhelp exists", map[string]string{"HOME": "/home/nonroot"}, system, account, system},
		{"a file named like the system directory is not one", map[string]string{"HOME": "/home/u"}, notDir, account, "/home/u/.local/state/mailhelp"},
		{"a user", map[string]string{"HOME": "/home/u"}, missing, account, "/home/u/.local/state/mailhelp"},
		{"no HOME: the account's home", map[string]string{}, missing, account, "/home/acct/.local/state/mailhelp"},
	}
	if runtime.GOOS == "windows" {
		t.Skip("Unix paths")
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := stateDir(func(k string) string { return tc.env[k] }, tc.system, tc.account)
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	if got, err := stateDir(func(string) string { return "" }, missing, noAccount); !errors.Is(err, errNoStateDir) {
		t.Errorf("nothing known: got %q, %v", got, err)
	}
}

// stateConfig is a configuration with checks on and no audit.file.
func stateConfig(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "mailhelp.yaml")
	if err := os.WriteFile(path, []byte("domains:\n  - domain: domaine.com\n    host: bm.domaine.com\ncheck:\n  enabled: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestDefaultTrailInStateDirectory: with no audit.file, a check is
// recorded in the state directory (created, 0700, on the way), nothing
// is written in the current directory, and `mailhelp audit` finds the
// trail the same way.
func TestDefaultTrailInStateDirectory(t *testing.T) {
	cfg := stateConfig(t)
	tests := []struct {
		name string
		env  func(base string) map[string]string
		dir  func(base string) string
	}{
		{"STATE_DIRECTORY", func(b string) map[string]string {
			return map[string]string{"STATE_DIRECTORY": filepath.Join(b, "state"), "HOME": filepath.Join(b, "home")}
		}, func(b string) string { return filepath.Join(b, "state") }},
		{"STATE_DIRECTORY with two entries", func(b string) map[string]string {
			return map[string]string{"STATE_DIRECTORY": filepath.Join(b, "one") + ":" + filepath.Join(b, "two")}
		}, func(b string) string { return filepath.Join(b, "one") }},
		{"XDG_STATE_HOME", func(b string) map[string]string {
			return map[string]string{"XDG_STATE_HOME": filepath.Join(b, "xdg"), "HOME": filepath.Join(b, "home")}
		}, func(b string) string { return filepath.Join(b, "xdg", "mailhelp") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			env := tc.env(base)
			env["MAILHELP_CONFIG"] = cfg
			cwd := t.TempDir()
			t.Chdir(cwd)
			// A host that is not configured: refused by the dial policy,
			// without dialing, and recorded.
			code, out, errOut := run(t, nil, env, "check", "--host", "elsewhere.example")
			if code != exitFail {
				t.Fatalf("check: exit %d\n%s\n%s", code, out, errOut)
			}
			dir := tc.dir(base)
			fi, err := os.Stat(filepath.Join(dir, "mailhelp-audit.jsonl"))
			if err != nil {
				t.Fatalf("no trail in the state directory: %v", err)
			}
			if fi.Size() == 0 {
				t.Error("empty trail")
			}
			if di, err := os.Stat(dir); err != nil || di.Mode().Perm() != 0o700 {
				t.Errorf("state directory: %v, %v", di.Mode(), err)
			}
			if entries, _ := os.ReadDir(cwd); len(entries) != 0 {
				t.Errorf("written in the current directory: %v", entries)
			}
			code, out, errOut = run(t, nil, env, "audit", "--action", "check")
			if code != exitOK || !strings.Contains(out, "elsewhere.example") || !strings.Contains(out, "refused:not_allowed") {
				t.Errorf("audit: exit %d\n%s\n%s", code, out, errOut)
			}
		})
	}
}

// TestAuditCmdDefaultTrail: `mailhelp audit` with nothing recorded yet
// says where it looked and how to name another trail; with the trail off
// it says so; --file still wins.
func TestAuditCmdDefaultTrail(t *testing.T) {
	state := t.TempDir()
	env := map[string]string{"MAILHELP_CONFIG": stateConfig(t), "STATE_DIRECTORY": state}
	code, _, errOut := run(t, nil, env, "audit")
	if code != exitFail || !strings.Contains(errOut, filepath.Join(state, "mailhelp-audit.jsonl")) || !strings.Contains(errOut, "--file") {
		t.Errorf("no trail yet: exit %d: %s", code, errOut)
	}
	if entries, _ := os.ReadDir(state); len(entries) != 0 {
		t.Errorf("reading created %v", entries)
	}

	off := filepath.Join(t.TempDir(), "off.yaml")
	if err := os.WriteFile(off, []byte("domains:\n  - {domain: domaine.com, host: bm.domaine.com}\naudit:\n  file: \"off\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, nil, map[string]string{"MAILHELP_CONFIG": off, "STATE_DIRECTORY": state}, "audit")
	if code != exitFail || !strings.Contains(errOut, "audit trail off") {
		t.Errorf("trail off: exit %d: %s", code, errOut)
	}

	file := filepath.Join(t.TempDir(), "other.jsonl")
	line := `{"time":"2026-11-25T10:00:00Z","platform":"cli","user":"cli","action":"check","target":"bm.domaine.com","result":"ok"}` + "\n"
	if err := os.WriteFile(file, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, nil, env, "audit", "--file", file); code != exitOK || !strings.Contains(out, "bm.domaine.com") {
		t.Errorf("--file: exit %d: %s %s", code, out, errOut)
	}
}

// TestReloadKeepsDefaultTrail: a configuration without audit.file reloads
// (its trail is the running one, in the state directory), and the reload
// is recorded there.
func TestReloadKeepsDefaultTrail(t *testing.T) {
	state := t.TempDir()
	cfg := stateConfig(t)
	hup := make(chan struct{}, 1)
	_, logs, stop := startServe(t, map[string]string{"MAILHELP_CONFIG": cfg, "STATE_DIRECTORY": state}, hup)
	defer stop()
	if err := os.WriteFile(cfg, []byte("domains:\n  - domain: domaine.com\n    host: mail.domaine.com\ncheck:\n  enabled: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hup <- struct{}{}
	waitLog(t, logs, `"msg":"configuration reloaded"`)
	if strings.Contains(logs.String(), "reload refused") {
		t.Fatalf("refused:\n%s", logs.String())
	}
	data, err := os.ReadFile(filepath.Join(state, "mailhelp-audit.jsonl"))
	if err != nil || !strings.Contains(string(data), `"action":"reload","result":"applied"`) {
		t.Errorf("trail: %v\n%s", err, data)
	}
}
