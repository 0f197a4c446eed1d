package slackbot

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/mailhelp/mailhelp/internal/testbot"
)

// recordingTransport answers every request 200 "ok" and records its
// URL: nothing leaves the machine.
type recordingTransport struct {
	mu   sync.Mutex
	urls []string
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.urls = append(rt.urls, req.URL.String())
	rt.mu.Unlock()
	return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("ok")), Header: http.Header{}, Request: req}, nil
}

func (rt *recordingTransport) sent() []string {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]string(nil), rt.urls...)
}

// TestResponseURLOnlyToSlack: answers through response_url go to
// https://hooks.slack.com, or to the host of the configured API URL (a
// test server), and nowhere else, whatever the form of the URL.
func TestResponseURLOnlyToSlack(t *testing.T) {
	const api = "http://127.0.0.1:4567/api"
	tests := []struct {
		url     string
		allowed bool
	}{
		{"https://hooks.slack.com/commands/T1/123/abc", true},
		{"https://hooks.slack.com/actions/T1/123/abc", true},
		{"https://HOOKS.slack.com/commands/T1/1/x", true},
		{"https://hooks.slack.com:443/commands/T1/1/x", true},
		{"http://127.0.0.1:4567/response/x", true}, // SLACK_API_URL's host
		{"http://hooks.slack.com/commands/T1/1/x", false},
		{"https://hooks.slack.com:8443/commands/T1/1/x", false},
		{"https://hooks.slack.com.evil.example/commands", false},
		{"https://evil.example/hooks.slack.com/commands", false},
		{"https://hooks.slack.com@evil.example/commands", false},
		{"https://user:pw@hooks.slack.com/commands", false},
		{"https://evil.example/?u=https://hooks.slack.com/", false},
		{"https://xhooks.slack.com/commands", false},
		{"https://slack.com/api/chat.postMessage", false},
		{"https://hooks.slack.com./commands", false},
		{"//hooks.slack.com/commands", false},
		{"hooks.slack.com/commands", false},
		{"https:hooks.slack.com/commands", false},
		{"https://hooks.slack.com\\@evil.example/", false},
		{"https://[::1]/commands", false},
		{"http://127.0.0.1:4568/response/x", false},  // another port
		{"https://127.0.0.1:4567/response/x", false}, // another scheme
		{"http://localhost:4567/response/x", false},
		{"http://169.254.169.254/latest/meta-data/", false},
		{"file:///etc/passwd", false},
		{"javascript:alert(1)", false},
	}
	r, cat := testRouter(t, nil)
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			rt := &recordingTransport{}
			a, err := New(Config{BotToken: "xoxb-test", SigningSecret: secret, APIURL: api},
				Options{Router: r, Translator: cat, Logger: testbot.Quiet(), HTTPClient: &http.Client{Transport: rt}})
			if err != nil {
				t.Fatal(err)
			}
			msg := Message{Text: "hello", Blocks: []slack.Block{section("hello")}}
			_, err = a.post(context.Background(), conversation{channel: "C1", user: "U1", responseURL: tc.url, ephemeral: true}, msg)
			sent := rt.sent()
			if tc.allowed && (err != nil || len(sent) != 1) {
				t.Errorf("refused: err %v, sent %v", err, sent)
			}
			if !tc.allowed && (err == nil || len(sent) != 0) {
				t.Errorf("allowed: err %v, sent %v", err, sent)
			}
		})
	}
}

// TestHTTPModeCommandToForeignResponseURL: a signed slash command whose
// response_url points elsewhere (a leaked signing secret, a bug) sends
// nothing there; the refusal is logged.
func TestHTTPModeCommandToForeignResponseURL(t *testing.T) {
	f := newFakeSlack(t)
	var hits atomic.Int64
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer elsewhere.Close()
	var logs testbot.LogBuffer
	a, _ := startRun(t, f, Config{SigningSecret: secret}, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	waitFor(t, "identified", a.Connected)
	h := a.HTTPHandler()
	for i, target := range []string{elsewhere.URL + "/response/x1", "http://" + strings.Replace(elsewhere.Listener.Addr().String(), "127.0.0.1", "localhost", 1) + "/x2"} {
		body := url.Values{"channel_id": {"C1"}, "user_id": {"U1"}, "command": {"/mailhelp"}, "text": {"help"},
			"response_url": {target}, "trigger_id": {"t" + string(rune('0'+i))}}.Encode()
		stamp, sig := sign(body, time.Now(), secret)
		req := httptest.NewRequest("POST", "/slack/commands", strings.NewReader(body))
		req.Header.Set("X-Slack-Request-Timestamp", stamp)
		req.Header.Set("X-Slack-Signature", sig)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("command: %d", rec.Code)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(logs.String(), "response_url refused") < 2 {
		if hits.Load() > 0 {
			t.Fatal("an answer went to a response_url outside Slack")
		}
		if time.Now().After(deadline) {
			t.Fatalf("no refusal logged:\n%s", logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if hits.Load() > 0 {
		t.Fatal("an answer went to a response_url outside Slack")
	}
	if strings.Contains(logs.String(), "/response/x1") {
		t.Errorf("the log holds the URL (it carries a token):\n%s", logs.String())
	}
}
