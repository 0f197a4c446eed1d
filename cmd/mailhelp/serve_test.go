package main

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestServe runs mailhelp serve as a newcomer would, asks through the
// printed URL, then stops it as SIGTERM would.
func TestServe(t *testing.T) {
	outR, outW := io.Pipe()
	var errOut lockedBuilder
	m := &Main{Stdin: strings.NewReader(""), Stdout: outW, Stderr: &errOut,
		Getenv: func(k string) string { return map[string]string{"MAILHELP_CONFIG": offlineConfig}[k] }}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, []string{"serve", "--listen", "127.0.0.1:0"}) }()

	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	url := strings.TrimSpace(strings.TrimPrefix(line, "mailhelp is serving on "))
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("printed %q", line)
	}
	resp, err := http.Get(url + "fr/blackberry10?address=alice%40domaine.com")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Configurer BlackBerry 10 pour alice@domaine.com") {
		t.Errorf("%d %.300s", resp.StatusCode, body)
	}

	stop()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d; stderr:\n%s", code, errOut.String())
		}
	case <-time.After(25 * time.Second):
		t.Fatal("serve did not stop")
	}
	logs := errOut.String()
	if !strings.Contains(logs, `"msg":"stopped"`) || !strings.Contains(logs, `"route":"GET /{lang}/{client}"`) {
		t.Errorf("logs:\n%s", logs)
	}
	if strings.Contains(logs, "alice") {
		t.Errorf("the logs hold an address:\n%s", logs)
	}
}

// lockedBuilder collects what the server writes from several goroutines.
type lockedBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuilder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuilder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeSlackHTTPMode starts serve with Slack's HTTP mode against a
// minimal Web API (auth.test) and answers Slack's URL verification
// through the web listener.
func TestServeSlackHTTPMode(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true,"user_id":"UBOT","bot_id":"BBOT"}`))
	}))
	defer api.Close()
	const secret = "test-signing-secret"
	env := map[string]string{"MAILHELP_CONFIG": offlineConfig, "SLACK_BOT_TOKEN": "xoxb-test",
		"SLACK_SIGNING_SECRET": secret, "SLACK_API_URL": api.URL + "/api"}
	outR, outW := io.Pipe()
	var errOut lockedBuilder
	m := &Main{Stdin: strings.NewReader(""), Stdout: outW, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, []string{"serve", "--listen", "127.0.0.1:0"}) }()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("%v; stderr:\n%s", err, errOut.String())
	}
	base := strings.TrimSpace(strings.TrimPrefix(line, "mailhelp is serving on "))

	body := `{"token":"x","challenge":"abc123","type":"url_verification"}`
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + stamp + ":" + body))
	req, _ := http.NewRequest("POST", base+"slack/events", strings.NewReader(body))
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(got) != "abc123" {
		t.Errorf("challenge: %d %q", resp.StatusCode, got)
	}
	stop()
	if code := <-done; code != exitOK {
		t.Errorf("exit %d:\n%s", code, errOut.String())
	}
	if strings.Contains(errOut.String(), "xoxb-test") || strings.Contains(errOut.String(), secret) {
		t.Errorf("a secret reached the logs:\n%s", errOut.String())
	}
}

func TestServeSlackNeedsAMode(t *testing.T) {
	env := map[string]string{"MAILHELP_CONFIG": offlineConfig, "SLACK_BOT_TOKEN": "xoxb-test"}
	var out, errOut strings.Builder
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
	if code := m.Run(context.Background(), []string{"serve", "--listen", "127.0.0.1:0"}); code != exitFail ||
		!strings.Contains(errOut.String(), "SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)") {
		t.Errorf("exit %d, stderr %s", code, errOut.String())
	}
}

func TestServeDiscordNeedsAppID(t *testing.T) {
	env := map[string]string{"MAILHELP_CONFIG": offlineConfig, "DISCORD_BOT_TOKEN": "token"}
	var out, errOut strings.Builder
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
	if code := m.Run(context.Background(), []string{"serve", "--listen", "127.0.0.1:0"}); code != exitFail ||
		!strings.Contains(errOut.String(), "DISCORD_APP_ID") || strings.Contains(errOut.String(), `"token"`) {
		t.Errorf("exit %d, stderr %s", code, errOut.String())
	}
}
