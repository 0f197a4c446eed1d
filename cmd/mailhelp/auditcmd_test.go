package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuditSkipsHugeLine: a line over 1 MiB in the trail is skipped and
// counted like any unreadable line; the records after it are shown.
func TestAuditSkipsHugeLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	trail := `{"time":"2026-11-25T10:00:00Z","platform":"cli","user":"cli","action":"check","target":"bm.domaine.com","result":"ok"}` + "\n" +
		strings.Repeat("x", 2<<20) + "\n" +
		`{"time":"2026-11-25T10:00:01Z","platform":"web","user":"192.0.2.1","action":"check","target":"mail.exemple.fr","result":"fail"}` + "\n"
	if err := os.WriteFile(path, []byte(trail), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, nil, nil, "audit", "--file", path)
	if code != exitOK || !strings.Contains(out, "bm.domaine.com") || !strings.Contains(out, "mail.exemple.fr") ||
		!strings.Contains(errOut, "1 unreadable line(s) skipped") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// TestAuditShowsSummedRefusals: a record that sums refusals shows how
// many, and until when.
func TestAuditShowsSummedRefusals(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	trail := `{"time":"2026-11-25T10:00:00Z","platform":"web","user":"192.0.2.1","action":"check","target":"bm.domaine.com","result":"refused:rate_limited","count":17000,"until":"2026-11-25T10:00:14Z"}` + "\n"
	if err := os.WriteFile(path, []byte(trail), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, nil, nil, "audit", "--file", path)
	if code != exitOK || !strings.Contains(out, "refused:rate_limited ×17000 until 2026-11-25T10:00:14Z") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}
