package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/internal/golden"
)

func TestDiscoveryRecords(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "mailhelp.yaml")
	yaml := "domains:\n  - domain: domaine.com\n    aliases: [paris.domaine.com]\n    host: bm.domaine.com\n" +
		"web: {public_url: \"https://mailhelp.domaine.com/help\"}\naudit: {file: \"off\"}\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, nil, nil, "discovery", "records", "--config", cfg, "domaine.com")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden.Assert(t, "discovery_records.txt", out)
	if !strings.Contains(out, "autoconfig.paris.domaine.com.") || !strings.Contains(out, "CNAME mailhelp.domaine.com.") {
		t.Errorf("records:\n%s", out)
	}
	// The built-in configuration has no public URL: the names are
	// commented out, with what to set.
	code, out, _ = run(t, nil, nil, "discovery", "records", "DOMAINE.COM")
	if code != exitOK || !strings.Contains(out, "; set web.public_url") || !strings.Contains(out, "_imaps._tcp.domaine.com.") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestDiscoveryUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"discovery"}, exitUsage, "Usage: mailhelp discovery records"},
		{[]string{"discovery", "publish"}, exitUsage, `unknown subcommand "publish"`},
		{[]string{"discovery", "records"}, exitUsage, "Usage"},
		{[]string{"discovery", "records", "a.com", "b.com"}, exitUsage, "Usage"},
		{[]string{"discovery", "records", "nowhere.example"}, exitUsage, "not a configured domain"},
		{[]string{"discovery", "check"}, exitUsage, "Usage"},
		{[]string{"discovery", "check", "two words"}, exitUsage, "Usage"},
		{[]string{"discovery", "check", "--format", "xml", "domaine.com"}, exitUsage, "unknown format"},
		{[]string{"discovery", "check", "--lang", "xx", "domaine.com"}, exitUsage, "unknown language"},
		{[]string{"discovery", "check", "nowhere.example"}, exitUsage, "not a configured domain"},
		{[]string{"discovery", "check", "eve@nowhere.example"}, exitUsage, "not a configured domain"},
	}
	for _, tc := range tests {
		code, _, errOut := run(t, nil, nil, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.err) {
			t.Errorf("%v: exit %d, stderr %q; want %d, %q", tc.args, code, errOut, tc.code, tc.err)
		}
	}
	if code, out, _ := run(t, nil, nil, "discovery", "--help"); code != exitOK || !strings.Contains(out, "discovery check") {
		t.Errorf("help: %d %q", code, out)
	}
}
