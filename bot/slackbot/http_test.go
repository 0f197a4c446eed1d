package slackbot

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/internal/testbot"
)

const secret = "8f742231b10e8888abcd99yyyzzz85a5"

func sign(body string, ts time.Time, key string) (string, string) {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte("v0:" + stamp + ":" + body))
	return stamp, "v0=" + hex.EncodeToString(mac.Sum(nil))
}

func httpBot(t *testing.T, f *fakeSlack) http.Handler {
	t.Helper()
	a, stop := runHTTPMode(t, f, slowProber{})
	t.Cleanup(stop)
	return a.HTTPHandler()
}

// runHTTPMode runs an adapter in HTTP mode against the fake Slack until
// it has identified itself; stop ends Run and waits for it.
func runHTTPMode(t *testing.T, f *fakeSlack, prober slowProber) (*Adapter, func()) {
	t.Helper()
	r, cat := testRouter(t, prober)
	a, err := New(Config{BotToken: "xoxb-test", SigningSecret: secret, APIURL: f.srv.URL + "/api/"},
		Options{Router: r, Translator: cat, ChannelBurst: 1000, Logger: testbot.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = a.Run(ctx); close(done) }()
	for deadline := time.Now().Add(5 * time.Second); !a.Connected(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the adapter did not identify itself")
		}
	}
	return a, func() { cancel(); <-done }
}

func TestHTTPSignatures(t *testing.T) {
	f := newFakeSlack(t)
	h := httpBot(t, f)
	event := `{"token":"x","team_id":"T1","type":"event_callback","event_id":"EvH1","event":{"type":"app_mention","user":"U1","text":"<@UBOT> help","ts":"1.1","channel":"C1"}}`
	now := time.Now()
	tests := []struct {
		name   string
		body   string
		signed string // the body that was signed
		at     time.Time
		key    string
		status int
	}{
		{"valid", event, event, now, secret, 200},
		{"wrong secret", event, event, now, "not-the-secret", 401},
		{"tampered body", strings.Replace(event, "help", "check evil.example", 1), event, now, secret, 401},
		{"stale timestamp", event, event, now.Add(-6 * time.Minute), secret, 401},
		{"future timestamp", event, event, now.Add(6 * time.Minute), secret, 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stamp, sig := sign(tc.signed, tc.at, tc.key)
			req := httptest.NewRequest("POST", "/slack/events", strings.NewReader(tc.body))
			req.Header.Set("X-Slack-Request-Timestamp", stamp)
			req.Header.Set("X-Slack-Signature", sig)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Errorf("status %d, want %d", rec.Code, tc.status)
			}
		})
	}
	// Only the valid request had an effect, and only once.
	f.waitCalls("chat.postMessage", 1)
	time.Sleep(100 * time.Millisecond)
	if n := len(f.callsOf("chat.postMessage")); n != 1 {
		t.Errorf("%d posts", n)
	}

	req := httptest.NewRequest("POST", "/slack/events", strings.NewReader(event))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 401 {
		t.Errorf("unsigned: %d", rec.Code)
	}
	big := strings.Repeat("x", maxHTTPBody+1)
	stamp, sig := sign(big, now, secret)
	req = httptest.NewRequest("POST", "/slack/events", strings.NewReader(big))
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", sig)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 413 {
		t.Errorf("oversized: %d", rec.Code)
	}
}

func TestHTTPChallengeCommandAndButton(t *testing.T) {
	f := newFakeSlack(t)
	h := httpBot(t, f)
	do := func(path, body string) *httptest.ResponseRecorder {
		stamp, sig := sign(body, time.Now(), secret)
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		req.Header.Set("X-Slack-Request-Timestamp", stamp)
		req.Header.Set("X-Slack-Signature", sig)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	rec := do("/slack/events", `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)
	if rec.Code != 200 || rec.Body.String() != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("challenge: %d %q", rec.Code, rec.Body.String())
	}
	form := url.Values{"team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {"U1"}, "command": {"/mailhelp"},
		"text": {"quel port pour le serveur sortant ?"}, "response_url": {f.srv.URL + "/response/h1"}, "trigger_id": {"h1"}}
	if rec := do("/slack/commands", form.Encode()); rec.Code != 200 {
		t.Errorf("command: %d", rec.Code)
	}
	p := f.waitCalls("response_url", 1)[0]
	if p.JSON["response_type"] != "ephemeral" || !strings.Contains(blocksText(t, p), "Serveur sortant") {
		t.Errorf("command answer: %v %s", p.JSON["response_type"], blocksText(t, p))
	}
	payload := `{"type":"block_actions","trigger_id":"h2","user":{"id":"U1"},"channel":{"id":"C1"},"container":{"type":"message","message_ts":"1.5","is_ephemeral":true},"message":{"ts":"1.5"},"response_url":"` + f.srv.URL + `/response/h2","actions":[{"action_id":"mailhelp_lang","block_id":"mailhelp_actions","value":"{\"p\":\"help\",\"l\":\"fr\"}","type":"button"}]}`
	if rec := do("/slack/interactivity", url.Values{"payload": {payload}}.Encode()); rec.Code != 200 {
		t.Errorf("interactivity: %d", rec.Code)
	}
	p = f.waitCalls("response_url", 2)[1]
	if p.JSON["replace_original"] != true || p.JSON["response_type"] != "ephemeral" || !strings.Contains(blocksText(t, p), "mailhelp configure") {
		t.Errorf("button answer: %v %v %s", p.JSON["replace_original"], p.JSON["response_type"], blocksText(t, p))
	}
}

// TestHTTPDrainsOnShutdown: an answer under way when Run's context ends
// (a live check) is finished and posted before Run returns; a request
// after that is refused with 503 for Slack to retry.
func TestHTTPDrainsOnShutdown(t *testing.T) {
	f := newFakeSlack(t)
	a, stop := runHTTPMode(t, f, slowProber{Pause: 300 * time.Millisecond})
	h := a.HTTPHandler()
	command := func(trigger string) int {
		body := url.Values{"channel_id": {"C1"}, "user_id": {"U1"}, "command": {"/mailhelp"}, "text": {"check alice@domaine.com"},
			"response_url": {f.srv.URL + "/response/" + trigger}, "trigger_id": {trigger}}.Encode()
		stamp, sig := sign(body, time.Now(), secret)
		req := httptest.NewRequest("POST", "/slack/commands", strings.NewReader(body))
		req.Header.Set("X-Slack-Request-Timestamp", stamp)
		req.Header.Set("X-Slack-Signature", sig)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	if code := command("d1"); code != 200 {
		t.Fatalf("command: %d", code)
	}
	f.waitCalls("response_url", 1) // "checking…"
	stop()
	posts := f.callsOf("response_url")
	if len(posts) != 2 || !strings.Contains(blocksText(t, posts[1]), "everything your device needs works") {
		t.Fatalf("the check under way was not finished before Run returned: %d posts", len(posts))
	}
	if code := command("d2"); code != 503 {
		t.Errorf("after shutdown: %d, want 503", code)
	}
}
