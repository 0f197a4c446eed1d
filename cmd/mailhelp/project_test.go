package main

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// apacheLicenseSHA256 is the SHA-256 of the Apache License 2.0 as the
// Apache Software Foundation distributes it (the text many Go modules
// ship as LICENSE, appendix included: prometheus/client_golang, procfs…).
const apacheLicenseSHA256 = "c71d239df91726fc519c6eb72d318ec65820627232b2f796219e87dcf35d0ab4"

// TestProjectDocuments: the repository carries the full Apache-2.0
// text, a security policy saying how to report privately and what is in
// scope, and a contributing guide with the test command, golden files
// and how to add a language or a device guide.
func TestProjectDocuments(t *testing.T) {
	sum := sha256.Sum256(repoFile(t, "LICENSE"))
	if got := hex.EncodeToString(sum[:]); got != apacheLicenseSHA256 {
		t.Errorf("LICENSE is not the Apache License 2.0 text (sha256 %s)", got)
	}
	docs := map[string][]string{
		"SECURITY.md": {"privately", "Report a vulnerability", "security/advisories/new",
			"dial policy", "web side", "chat adapters", "audit trail", "## Out of scope"},
		"CONTRIBUTING.md": {"./scripts/test.sh", "-update", "README.md#adding-a-language", "## Adding a device guide",
			"knowledge/guide_<id>.go", "locales/guide-<id>.<lang>.toml", "Apache License 2.0"},
		"README.md": {"### Adding a language"}, // CONTRIBUTING.md links there
	}
	for name, wants := range docs {
		text := string(repoFile(t, name))
		for _, w := range wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q", name, w)
			}
		}
	}
}
