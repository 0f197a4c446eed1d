package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/internal/golden"
)

// exampleInitArgs are the answers deploy/mailhelp.example.yaml was
// written with (see TestDeployExampleIsConfigInit).
var exampleInitArgs = []string{"--domain", "example.org", "--host", "mail.example.org", "--support", "helpdesk@example.org"}

// TestConfigInitGolden: the starter file for given answers is the golden
// one, passes `mailhelp config check`, and reads back with the values
// given (YAML quoting where a value needs it).
func TestConfigInitGolden(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		domain  string
		webmail string
		support string
		lang    string
	}{
		{"example", exampleInitArgs, "example.org", "https://mail.example.org", "helpdesk@example.org", "en"},
		{"french_idn", []string{"--domain", "Société.FR", "--host", "bm.société.fr.", "--webmail", "https://webmail.société.fr/sogo",
			"--support", "https://aide.société.fr/messagerie", "--lang", "fr"},
			"société.fr", "https://webmail.société.fr/sogo", "https://aide.société.fr/messagerie", "fr"},
		{"quoted", []string{"--domain", "example.net", "--host", "mail.example.net", "--support", "#it@example.net", "--lang", "de"},
			"example.net", "https://mail.example.net", "#it@example.net", "de"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "mailhelp.yaml")
			code, stdout, stderr := run(t, nil, nil, append([]string{"config", "init", "--output", out}, tc.args...)...)
			if code != exitOK || !strings.Contains(stdout, "wrote "+out) {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, filepath.Join("config-init", tc.name+".yaml"), string(data))
			if code, stdout, _ := run(t, nil, nil, "config", "check", out); code != exitOK || stdout != out+": ok\n" {
				t.Errorf("config check: exit %d: %s", code, stdout)
			}
			cfg, err := config.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			d, ok := cfg.Directory.Lookup(tc.domain)
			if !ok {
				t.Fatalf("domain %s not configured: %v", tc.domain, cfg.Directory.Domains())
			}
			if d.Support != tc.support || d.Webmail != tc.webmail || cfg.DefaultLanguage != tc.lang {
				t.Errorf("read back: support %q, webmail %q, language %q", d.Support, d.Webmail, cfg.DefaultLanguage)
			}
			if cfg.Audit.File != "" {
				t.Errorf("audit.file %q: the starter file should leave it to the state directory", cfg.Audit.File)
			}
		})
	}
}

// TestConfigInitRefusals: config init never overwrites a file without
// --force, never asks where nobody can answer (it names the missing
// flags instead), and refuses values the configuration would.
func TestConfigInitRefusals(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		exists    bool
		code      int
		stderr    string
		unchanged bool
	}{
		{"exists", exampleInitArgs, true, exitFail, "exists; --force overwrites it", true},
		{"missing flags, stdin not a terminal", []string{"--domain", "example.org"}, false, exitUsage,
			"missing --host, --support (standard input is not a terminal to ask for them)", false},
		{"nothing given", nil, false, exitUsage, "missing --domain, --host, --support", false},
		{"bad domain", []string{"--domain", "example", "--host", "mail.example.org", "--support", "a@example.org"}, false, exitUsage,
			`--domain: "example" is not a domain name`, false},
		{"bad host", []string{"--domain", "example.org", "--host", "https://mail.example.org", "--support", "a@example.org"}, false, exitUsage,
			`--host: "https://mail.example.org" is not a domain name`, false},
		{"bad webmail", []string{"--domain", "example.org", "--host", "mail.example.org", "--webmail", "mail.example.org", "--support", "a@example.org"}, false, exitUsage,
			`--webmail: "mail.example.org" is not a web address`, false},
		{"bad support", []string{"--domain", "example.org", "--host", "mail.example.org", "--support", "call Bob"}, false, exitUsage,
			`--support: "call Bob" is neither an address`, false},
		{"bad language", []string{"--domain", "example.org", "--host", "mail.example.org", "--support", "a@example.org", "--lang", "it"}, false, exitUsage,
			`--lang: "it" is not one of en, de, es, fr`, false},
		{"stray argument", append([]string{"extra"}, exampleInitArgs...), false, exitUsage, "Usage: mailhelp config init", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "mailhelp.yaml")
			if tc.exists {
				if err := os.WriteFile(out, []byte("mine\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			code, _, stderr := run(t, nil, nil, append([]string{"config", "init", "--output", out}, tc.args...)...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			data, err := os.ReadFile(out)
			switch {
			case tc.unchanged && string(data) != "mine\n":
				t.Errorf("the existing file was changed: %q", data)
			case !tc.exists && !os.IsNotExist(err):
				t.Errorf("a file was written: %v", err)
			}
		})
	}
}

// TestConfigInitForceAndStdout: --force replaces a file whole; --output -
// writes the file to standard output and nothing to disk.
func TestConfigInitForceAndStdout(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "mailhelp.yaml")
	if err := os.WriteFile(out, []byte("mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, nil, nil, append([]string{"config", "init", "--force", "--output", out}, exampleInitArgs...)...); code != exitOK {
		t.Fatalf("--force: exit %d: %s", code, stderr)
	}
	data, _ := os.ReadFile(out)
	golden.Assert(t, filepath.Join("config-init", "example.yaml"), string(data))
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}

	var stdout string
	t.Run("stdout", func(t *testing.T) {
		t.Chdir(t.TempDir())
		code, out, stderr := run(t, nil, nil, append([]string{"config", "init", "--output", "-"}, exampleInitArgs...)...)
		if code != exitOK || stderr != "" {
			t.Fatalf("--output -: exit %d: %s", code, stderr)
		}
		if entries, _ := os.ReadDir("."); len(entries) != 0 {
			t.Errorf("--output - wrote %v", entries)
		}
		stdout = out
	})
	golden.Assert(t, filepath.Join("config-init", "example.yaml"), stdout)
}
