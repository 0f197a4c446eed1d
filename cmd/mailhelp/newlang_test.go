package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewLanguageIsFilesOnly copies the repository, adds
// locales/active.it.toml (the English file with some strings changed)
// and nothing else, rebuilds, and asks in Italian: the new language
// answers with its own strings and is named among the languages, with
// no Go change.
func TestNewLanguageIsFilesOnly(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("git", "-C", root, "ls-files", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	dst := t.TempDir()
	for _, name := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		data, err := os.ReadFile(filepath.Join(root, name))
		if os.IsNotExist(err) {
			continue // deleted in the work tree
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	en, err := os.ReadFile(filepath.Join(root, "locales", "active.en.toml"))
	if err != nil {
		t.Fatal(err)
	}
	it := strings.NewReplacer(
		`"lang.name" = "English"`, `"lang.name" = "Italiano"`,
		`"lang.discord_locales" = "en-US en-GB"`, `"lang.discord_locales" = "it"`,
		`"help.title" = "mailhelp sets up mail on your phone or computer"`, `"help.title" = "mailhelp configura la posta sul telefono o sul computer"`,
	).Replace(string(en))
	if it == string(en) || !strings.Contains(it, "Italiano") || !strings.Contains(it, "configura la posta") {
		t.Fatal("the English file no longer has the strings this test changes")
	}
	if err := os.WriteFile(filepath.Join(dst, "locales", "active.it.toml"), []byte(it), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "mailhelp")
	build := exec.Command("go", "build", "-o", bin, "./cmd/mailhelp")
	build.Dir = dst
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ask := exec.Command(bin, "ask", "--lang", "it", "help")
	ask.Env = append(os.Environ(), "MAILHELP_CONFIG=")
	got, err := ask.CombinedOutput()
	if err != nil {
		t.Fatalf("ask --lang it: %v\n%s", err, got)
	}
	for _, want := range []string{"mailhelp configura la posta sul telefono o sul computer", "English, Deutsch, Español, Français, Italiano"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("the Italian answer lacks %q:\n%s", want, got)
		}
	}
}
