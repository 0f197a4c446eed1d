package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnnounceRefusedWithoutAuditTrail: an announcement whose audit
// trail cannot be opened is refused before anything is shown or posted.
func TestAnnounceRefusedWithoutAuditTrail(t *testing.T) {
	apis := newChatAPIs(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "mailhelp.yaml")
	trail := filepath.Join(dir, "missing", "audit.jsonl")
	_ = os.WriteFile(cfg, []byte("domains:\n  - {domain: domaine.com, host: bm.domaine.com}\ncheck:\n  enabled: false\naudit:\n  file: "+trail+"\n"), 0o644)
	env := map[string]string{"MAILHELP_CONFIG": cfg, "SLACK_BOT_TOKEN": "xoxb-t", "SLACK_API_URL": apis.srv.URL + "/slack/api"}
	code, out, errOut := run(t, strings.NewReader("y\n"), env, "announce", "--domain", "domaine.com", "--slack-channel", "C1")
	if code != exitFail || len(apis.all()) != 0 || !strings.Contains(errOut, "audit") || strings.Contains(out, "Post this?") {
		t.Errorf("exit %d, posts %v\nstdout:\n%s\nstderr:\n%s", code, apis.all(), out, errOut)
	}
}

// TestAnnouncePostNotRecorded: when the trail opens but the record of a
// post cannot be written, the post is reported with its record on stderr
// (to be kept by hand) and the exit status is 1.
func TestAnnouncePostNotRecorded(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("needs /dev/full")
	}
	apis := newChatAPIs(t)
	cfg := filepath.Join(t.TempDir(), "mailhelp.yaml")
	_ = os.WriteFile(cfg, []byte("domains:\n  - {domain: domaine.com, host: bm.domaine.com}\ncheck:\n  enabled: false\naudit:\n  file: /dev/full\n"), 0o644)
	env := map[string]string{"MAILHELP_CONFIG": cfg, "SLACK_BOT_TOKEN": "xoxb-t", "SLACK_API_URL": apis.srv.URL + "/slack/api"}
	code, out, errOut := run(t, nil, env, "announce", "--yes", "--domain", "domaine.com", "--slack-channel", "C1")
	if code != exitFail || len(apis.all()) != 1 || !strings.Contains(out, "Posted to Slack channel C1.") ||
		!strings.Contains(errOut, `"action":"announce","target":"domaine.com","channel":"C1","result":"posted"`) {
		t.Errorf("exit %d, posts %d\nstdout:\n%s\nstderr:\n%s", code, len(apis.all()), out, errOut)
	}
}
