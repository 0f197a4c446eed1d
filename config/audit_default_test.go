package config

import "testing"

// TestAuditFileDefault: audit.file unset stays empty — "the state
// directory's trail", which the program reading the environment resolves
// — while a path or "off" is kept as written; the built-in configuration
// leaves it unset.
func TestAuditFileDefault(t *testing.T) {
	base := "domains:\n  - {domain: domaine.com, host: bm.domaine.com}\n"
	tests := []struct{ yaml, want string }{
		{base, ""},
		{base + "audit:\n  max_mb: 20\n", ""},
		{base + "audit:\n  file: /srv/mailhelp/trail.jsonl\n", "/srv/mailhelp/trail.jsonl"},
		{base + "audit:\n  file: trail.jsonl\n", "trail.jsonl"},
		{base + "audit:\n  file: \"off\"\n", "off"},
	}
	for _, tc := range tests {
		cfg, err := Parse([]byte(tc.yaml))
		if err != nil {
			t.Fatalf("%q: %v", tc.yaml, err)
		}
		if cfg.Audit.File != tc.want {
			t.Errorf("%q: audit.file %q, want %q", tc.yaml, cfg.Audit.File, tc.want)
		}
	}
	cfg, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Audit.File != "" || DefaultAuditName != "mailhelp-audit.jsonl" {
		t.Errorf("built-in: audit.file %q, name %q", cfg.Audit.File, DefaultAuditName)
	}
}
