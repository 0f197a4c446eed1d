package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
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
		case r.URL.Path == "/slack/api/auth.test":
			_, _ = w.Write([]byte(`{"ok":true,"user_id":"UBOT","bot_id":"BBOT"}`))
		case r.URL.Path == "/slack/api/users.info":
			_, _ = w.Write([]byte(`{"ok":true,"user":{"id":"UADMIN","locale":"en-US"}}`))
		case strings.HasPrefix(r.URL.Path, "/response/"):
			b, _ := io.ReadAll(r.Body)
			c.add("response " + string(b))
			_, _ = w.Write([]byte(`{"ok":true}`))
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

// TestChangeAnnouncementAfterReload: a reload that changes a domain's
// server sends its admin a private preview of the change; Post publishes
// it in the configured channel.
func TestChangeAnnouncementAfterReload(t *testing.T) {
	apis := newChatAPIs(t)
	path := filepath.Join(t.TempDir(), "mailhelp.yaml")
	base := "check:\n  enabled: false\naudit:\n  file: off\nadmins:\n  slack: {users: [UADMIN]}\nannounce:\n  changes: {slack: CNEWS}\n"
	_ = os.WriteFile(path, []byte("domains:\n  - {domain: domaine.com, host: bm.domaine.com}\n"+base), 0o644)
	const secret = "signing"
	env := map[string]string{"MAILHELP_CONFIG": path, "SLACK_BOT_TOKEN": "xoxb-t", "SLACK_SIGNING_SECRET": secret,
		"SLACK_API_URL": apis.srv.URL + "/slack/api"}
	hup := make(chan struct{}, 1)
	url, _, stop := startServe(t, env, hup)
	defer stop()

	_ = os.WriteFile(path, []byte("domains:\n  - {domain: domaine.com, host: mail.domaine.com}\n"+base), 0o644)
	hup <- struct{}{}
	var preview string
	deadline := time.Now().Add(5 * time.Second)
	for preview == "" && time.Now().Before(deadline) {
		for _, p := range apis.all() {
			if strings.HasPrefix(p, "slack UADMIN ") {
				preview = p
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(preview, "bm.domaine.com → mail.domaine.com") || !strings.Contains(preview, "mailhelp_announce_post") {
		t.Fatalf("no preview to the admin: %v", apis.all())
	}
	i := strings.Index(preview, `"action_id":"mailhelp_announce_post"`)
	j := strings.Index(preview[i:], `"value":"`) + i + len(`"value":"`)
	id := preview[j : j+strings.Index(preview[j:], `"`)]

	payload := `{"type":"block_actions","trigger_id":"t1","user":{"id":"UADMIN"},"channel":{"id":"DADMIN"},"container":{"type":"message","message_ts":"1.1"},"message":{"ts":"1.1"},"response_url":"` +
		apis.srv.URL + `/response/1","actions":[{"action_id":"mailhelp_announce_post","block_id":"mailhelp_announce","value":"` + id + `","type":"button"}]}`
	body := "payload=" + strings.NewReplacer("%", "%25", "&", "%26", "+", "%2B", "=", "%3D").Replace(payload)
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + stamp + ":" + body))
	req, _ := http.NewRequest("POST", url+"slack/interactivity", strings.NewReader(body))
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("interactivity: %v %v", err, resp)
	}
	resp.Body.Close()
	deadline = time.Now().Add(5 * time.Second)
	for {
		var card string
		for _, p := range apis.all() {
			if strings.HasPrefix(p, "slack CNEWS ") {
				card = p
			}
		}
		if strings.Contains(card, "Mail settings changed for domaine.com") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the change card was not posted: %v", apis.all())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestRefusedReloadTellsAdmins: a broken file keeps the running
// configuration, its admins hear why in a direct message, and both the
// refused and the applied reloads are in the audit trail.
func TestRefusedReloadTellsAdmins(t *testing.T) {
	apis := newChatAPIs(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "mailhelp.yaml")
	trail := filepath.Join(dir, "audit.jsonl")
	base := "check:\n  enabled: false\naudit:\n  file: " + trail + "\nadmins:\n  slack: {users: [UADMIN]}\n"
	good := "domains:\n  - {domain: domaine.com, host: bm.domaine.com}\n" + base
	_ = os.WriteFile(path, []byte(good), 0o644)
	env := map[string]string{"MAILHELP_CONFIG": path, "SLACK_BOT_TOKEN": "xoxb-t", "SLACK_SIGNING_SECRET": "signing",
		"SLACK_API_URL": apis.srv.URL + "/slack/api"}
	hup := make(chan struct{}, 1)
	_, logs, stop := startServe(t, env, hup)
	defer stop()

	_ = os.WriteFile(path, []byte(reloadBroken+base), 0o644)
	hup <- struct{}{}
	var told string
	deadline := time.Now().Add(5 * time.Second)
	for told == "" && time.Now().Before(deadline) {
		for _, p := range apis.all() {
			if strings.HasPrefix(p, "slack UADMIN ") {
				told = p
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(told, "was refused") || !strings.Contains(told, "hots") {
		t.Fatalf("the admin was not told why: %v", apis.all())
	}
	_ = os.WriteFile(path, []byte(good), 0o644)
	hup <- struct{}{}
	waitLog(t, logs, `"msg":"configuration reloaded"`)
	b, err := os.ReadFile(trail)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"platform":"ops","user":"SIGHUP","action":"reload"`, `"result":"refused"`, `"result":"applied"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("audit lacks %s:\n%s", want, b)
		}
	}
}

// TestAnnounceCLIChannelLanguages: a channel configured with two
// languages gets one card in each, in order; --lang overrides it.
func TestAnnounceCLIChannelLanguages(t *testing.T) {
	apis := newChatAPIs(t)
	cfg := filepath.Join(t.TempDir(), "mailhelp.yaml")
	_ = os.WriteFile(cfg, []byte("domains:\n  - {domain: domaine.com, host: bm.domaine.com, language: fr}\ncheck:\n  enabled: false\n"+
		"audit:\n  file: off\nannounce:\n  channels: {CBOTH: [en, fr]}\n"), 0o644)
	env := map[string]string{"MAILHELP_CONFIG": cfg, "SLACK_BOT_TOKEN": "xoxb-t", "SLACK_API_URL": apis.srv.URL + "/slack/api"}
	code, out, errOut := run(t, nil, env, "announce", "--yes", "--domain", "domaine.com", "--slack-channel", "CBOTH")
	posts := apis.all()
	if code != exitOK || len(posts) != 2 || !strings.Contains(posts[0], "Mail settings for domaine.com") ||
		!strings.Contains(posts[1], "Réglages de messagerie pour domaine.com") {
		t.Fatalf("%d %s %s %v", code, out, errOut, posts)
	}
	if !strings.Contains(out, "Mail settings for domaine.com") || !strings.Contains(out, "Réglages de messagerie pour domaine.com") {
		t.Errorf("both cards are not shown before posting:\n%s", out)
	}
	code, _, _ = run(t, nil, env, "announce", "--yes", "--lang", "fr", "--domain", "domaine.com", "--slack-channel", "CBOTH")
	if posts = apis.all(); code != exitOK || len(posts) != 3 || !strings.Contains(posts[2], "Réglages de messagerie") {
		t.Errorf("--lang fr: %d %v", code, posts)
	}
}
