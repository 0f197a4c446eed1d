package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// chatAPIs answers Slack's chat.postMessage and Discord's message posts,
// recording them; channel "CFAIL" fails on Slack.
type chatAPIs struct {
	mu    sync.Mutex
	posts []string // "slack C1 <blocks>" / "discord D1 <body>"
	srv   *httptest.Server
}

func newChatAPIs(t *testing.T) *chatAPIs {
	c := &chatAPIs{}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/slack/api/chat.postMessage":
			_ = r.ParseForm()
			if r.Form.Get("channel") == "CFAIL" {
				_, _ = w.Write([]byte(`{"ok":false,"error":"channel_not_found"}`))
				return
			}
			c.add("slack " + r.Form.Get("channel") + " " + r.Form.Get("blocks"))
			_, _ = w.Write([]byte(`{"ok":true,"channel":"C1","ts":"1.1"}`))
		case strings.HasPrefix(r.URL.Path, "/discord/api/v9/channels/"):
			b, _ := io.ReadAll(r.Body)
			c.add("discord " + strings.Split(r.URL.Path, "/")[5] + " " + string(b))
			_ = json.NewEncoder(w).Encode(map[string]any{"id": "9", "channel_id": "D1"})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *chatAPIs) add(s string) {
	c.mu.Lock()
	c.posts = append(c.posts, s)
	c.mu.Unlock()
}

func (c *chatAPIs) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.posts...)
}

func TestAnnounceCLI(t *testing.T) {
	apis := newChatAPIs(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "mailhelp.yaml")
	trail := filepath.Join(dir, "audit.jsonl")
	_ = os.WriteFile(cfg, []byte("domains:\n  - domain: domaine.com\n    host: bm.domaine.com\n    language: fr\ncheck:\n  enabled: false\naudit:\n  file: "+trail+"\n"), 0o644)
	env := map[string]string{"MAILHELP_CONFIG": cfg, "SLACK_BOT_TOKEN": "xoxb-t", "SLACK_API_URL": apis.srv.URL + "/slack/api",
		"DISCORD_BOT_TOKEN": "t", "DISCORD_API_URL": apis.srv.URL + "/discord/api"}
	args := []string{"announce", "--domain", "domaine.com", "--slack-channel", "C1", "--discord-channel", "D1"}

	// Declined: nothing is posted.
	code, out, _ := run(t, strings.NewReader("n\n"), env, args...)
	if code != exitOK || !strings.Contains(out, "Réglages de messagerie pour domaine.com") || !strings.Contains(out, "Nothing posted.") || len(apis.all()) != 0 {
		t.Fatalf("declined: %d %s %v", code, out, apis.all())
	}
	// Confirmed: the card goes to both, in the domain's language.
	code, out, errOut := run(t, strings.NewReader("y\n"), env, args...)
	if code != exitOK || !strings.Contains(out, "Posted to Slack channel C1.") || !strings.Contains(out, "Posted to Discord channel D1.") {
		t.Fatalf("confirmed: %d %s %s", code, out, errOut)
	}
	posts := apis.all()
	if len(posts) != 2 || !strings.Contains(posts[0], "Réglages de messagerie") || !strings.Contains(posts[1], `"parse":[]`) {
		t.Errorf("posts: %v", posts)
	}
	// A Slack channel that fails: reported, Discord still posted, exit 1.
	code, _, errOut = run(t, nil, env, "announce", "--yes", "--domain", "domaine.com", "--slack-channel", "CFAIL", "--discord-channel", "D1")
	if code != exitFail || !strings.Contains(errOut, "channel_not_found") || len(apis.all()) != 3 {
		t.Errorf("failure: %d %s %v", code, errOut, apis.all())
	}
	_, log, _ := run(t, nil, env, "audit", "--action", "announce", "--json")
	if strings.Count(log, `"result":"posted"`) != 3 || strings.Count(log, `"result":"failed"`) != 1 {
		t.Errorf("audit:\n%s", log)
	}
	for _, bad := range [][]string{{"announce", "--domain", "domaine.com"}, {"announce", "--slack-channel", "C1"}} {
		if code, _, _ := run(t, nil, env, bad...); code != exitUsage {
			t.Errorf("%v: exit %d", bad, code)
		}
	}
	if code, _, _ := run(t, nil, map[string]string{"MAILHELP_CONFIG": cfg}, args...); code != exitUsage {
		t.Errorf("without tokens: exit %d", code)
	}
}
