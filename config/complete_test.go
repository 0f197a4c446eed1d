package config

import (
	"errors"
	"strings"
	"testing"
)

const completeDoc = `# a configuration
default_language: en
domains:
  - domain: domaine.com
    host: bm.domaine.com
  - domain: exemple.fr
    host: mail.exemple.fr
    imap:
      port: 993
check:
  allow_any_host: true
  hosts:
    bm.domaine.com: 10.0.0.5
audit:
  file: /var/lib/mailhelp/audit.jsonl
admins:
  slack:
    users: [U1]
announce:
  channels:
    C1: [fr, en]
`

// TestCompleteAtEveryOffset: a file cut anywhere is refused unless the
// cut falls right after a complete "key: value" line; cut in a line, or
// after a key whose value has not come, it is refused.
func TestCompleteAtEveryOffset(t *testing.T) {
	if err := Complete([]byte(completeDoc)); err != nil {
		t.Fatalf("the whole document: %v", err)
	}
	if _, err := Parse([]byte(completeDoc)); err != nil {
		t.Fatalf("the whole document does not parse: %v", err)
	}
	accepted := 0
	for k := 1; k < len(completeDoc); k++ {
		cut := completeDoc[:k]
		err := Complete([]byte(cut))
		lines := strings.Split(strings.TrimRight(cut, "\n"), "\n")
		last := strings.TrimSpace(lines[len(lines)-1])
		endsLine := strings.HasSuffix(cut, "\n")
		bareKey := strings.HasSuffix(last, ":")
		switch {
		case (!endsLine || bareKey) && err == nil:
			t.Errorf("cut at %d (%q) is taken as complete", k, cut[max(0, k-20):])
		case endsLine && !bareKey && err != nil:
			t.Errorf("cut at %d after a complete line is refused: %v", k, err)
		case err != nil:
			var ce *Error
			if !errors.As(err, &ce) || len(ce.Problems) == 0 || ce.Problems[0].Line == 0 {
				t.Errorf("cut at %d: %v, want a located *Error", k, err)
			}
		default:
			accepted++
		}
	}
	if accepted == 0 {
		t.Error("no cut accepted at all")
	}
}

func TestCompleteRefusals(t *testing.T) {
	for name, doc := range map[string]string{
		"no final newline":   "domains:\n  - domain: domaine.com\n    host: bm.domaine.com",
		"a key with nothing": "domains:\n  - domain: domaine.com\n    host: bm.domaine.com\ncheck:\n",
		"an empty item":      "domains:\n  - domain: domaine.com\n    host: bm.domaine.com\n  -\n",
		"a comment after":    "domains:\n  - domain: domaine.com\n    host: bm.domaine.com\ncheck:\n  # allow_any_host: true\n",
		"an open block":      "domains:\n  - domain: domaine.com\n    host: bm.domaine.com\nweb:\n  public_url: >\n",
	} {
		if err := Complete([]byte(doc)); err == nil {
			t.Errorf("%s: taken as complete", name)
		}
	}
	for name, doc := range map[string]string{
		"empty (Parse says why)": "",
		"explicit null":          "domains:\n  - domain: domaine.com\n    host: bm.domaine.com\nadmins: ~\n",
		"empty flow map":         "domains:\n  - domain: domaine.com\n    host: bm.domaine.com\nadmins: {}\n",
		"trailing comments":      "domains:\n  - domain: domaine.com\n    host: bm.domaine.com\n# end\n\n",
		"quoted empty string":    "domains:\n  - domain: domaine.com\n    host: bm.domaine.com\n    support: \"\"\n",
		"the default":            string(defaultYAML),
	} {
		if err := Complete([]byte(doc)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
