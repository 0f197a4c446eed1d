package main

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakePlatforms is a Slack Web API and a Discord REST API on loopback,
// each up or down: down, Slack answers 503 and Discord's GET
// /gateway/bot 503; rejecting, they refuse the token.
type fakePlatforms struct {
	slack, discord     *httptest.Server
	slackDown          atomic.Bool
	slackReject        atomic.Bool
	discordReject      atomic.Bool
	authCalls, gwCalls atomic.Int64
	responses          chan string // response_url bodies
}

func newFakePlatforms(t *testing.T) *fakePlatforms {
	f := &fakePlatforms{responses: make(chan string, 16)}
	f.slack = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/response/") {
			b, _ := io.ReadAll(r.Body)
			f.responses <- string(b)
			return
		}
		if r.URL.Path == "/api/auth.test" {
			f.authCalls.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		switch {
		case f.slackReject.Load():
			_, _ = w.Write([]byte(`{"ok":false,"error":"invalid_auth"}`))
		case f.slackDown.Load():
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			_, _ = w.Write([]byte(`{"ok":true,"user_id":"UBOT","bot_id":"BBOT"}`))
		}
	}))
	f.discord = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.gwCalls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		if f.discordReject.Load() {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"message":"401: Unauthorized","code":0}`))
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"message":"unavailable","code":0}`))
	}))
	t.Cleanup(func() { f.slack.Close(); f.discord.Close() })
	return f
}

const downSigningSecret = "test-signing-secret"

func (f *fakePlatforms) env() map[string]string {
	return map[string]string{"MAILHELP_CONFIG": offlineConfig,
		"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": downSigningSecret, "SLACK_API_URL": f.slack.URL + "/api",
		"DISCORD_BOT_TOKEN": "discord-token", "DISCORD_APP_ID": "APP", "DISCORD_API_URL": f.discord.URL + "/api"}
}

// servedDown is a running mailhelp serve.
type servedDown struct {
	base string
	stop context.CancelFunc // as SIGTERM
	done <-chan int         // the exit code
	logs *lockedBuilder
}

// startServe runs mailhelp serve with env; it is stopped when the test
// ends.
func startServeDown(t *testing.T, env map[string]string) servedDown {
	t.Helper()
	outR, outW := io.Pipe()
	errOut := &lockedBuilder{}
	m := &Main{Stdin: strings.NewReader(""), Stdout: outW, Stderr: errOut, Getenv: func(k string) string { return env[k] }}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, []string{"serve", "--listen", "127.0.0.1:0"}); _ = outW.Close() }()
	t.Cleanup(stop)
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed no URL: %v; stderr:\n%s", err, errOut.String())
	}
	return servedDown{base: strings.TrimSpace(strings.TrimPrefix(line, "mailhelp is serving on ")), stop: stop, done: done, logs: errOut}
}

// readyz is /readyz's status and reason.
func readyzOf(t *testing.T, base string) (int, string) {
	t.Helper()
	resp, err := http.Get(base + "readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Status, Reason string }
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body.Reason
}

// TestServeWhilePlatformsAreDown: with Slack's API and Discord's GET
// /gateway/bot failing at start-up, serve keeps serving the web side,
// /readyz names both adapters, and they keep trying; when Slack comes
// back it answers while Discord is still down, and /readyz names
// Discord alone. A stop signal still ends serve cleanly.
func TestServeWhilePlatformsAreDown(t *testing.T) {
	f := newFakePlatforms(t)
	f.slackDown.Store(true)
	s := startServeDown(t, f.env())
	base, done, logs := s.base, s.done, s.logs

	waitServeDown(t, done, logs, "both adapters tried twice", func() bool { return f.authCalls.Load() >= 2 && f.gwCalls.Load() >= 2 })
	resp, err := http.Get(base + "fr/blackberry10?address=alice%40domaine.com")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Configurer BlackBerry 10") {
		t.Errorf("the web side does not serve while the platforms are down: %d %.200s", resp.StatusCode, body)
	}
	if code, reason := readyzOf(t, base); code != 503 || !strings.Contains(reason, "slack") || !strings.Contains(reason, "discord") {
		t.Errorf("/readyz: %d %q; want 503 naming slack and discord", code, reason)
	}

	f.slackDown.Store(false)
	waitServeDown(t, done, logs, "Slack ready, Discord not", func() bool {
		code, reason := readyzOf(t, base)
		return code == 503 && strings.Contains(reason, "discord") && !strings.Contains(reason, "slack")
	})
	// Slack answers a slash command while Discord is down.
	form := url.Values{"channel_id": {"C1"}, "user_id": {"U1"}, "command": {"/mailhelp"}, "text": {"help"},
		"response_url": {f.slack.URL + "/response/c1"}, "trigger_id": {"c1"}}.Encode()
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(downSigningSecret))
	mac.Write([]byte("v0:" + stamp + ":" + form))
	req, _ := http.NewRequest("POST", base+"slack/commands", strings.NewReader(form))
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("slash command: %d", resp.StatusCode)
	}
	select {
	case got := <-f.responses:
		if !strings.Contains(got, "mailhelp") {
			t.Errorf("answer: %.300s", got)
		}
	case code := <-done:
		t.Fatalf("serve exited %d:\n%s", code, logs.String())
	case <-time.After(15 * time.Second):
		t.Fatal("Slack did not answer while Discord was down")
	}
	s.stop()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d after a stop signal:\n%s", code, logs.String())
		}
	case <-time.After(25 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// waitUntil polls cond until it holds, failing if serve exits first or
// the budget runs out.
func waitServeDown(t *testing.T, done <-chan int, logs *lockedBuilder, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		select {
		case code := <-done:
			t.Fatalf("serve exited %d before %s:\n%s", code, what, logs.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("never %s:\n%s", what, logs.String())
		}
	}
}

// TestServeStopsOnRejectedToken: a token the platform rejects stops
// serve with a message naming the variable to fix, without retrying.
func TestServeStopsOnRejectedToken(t *testing.T) {
	tests := []struct {
		name, want string
		reject     func(*fakePlatforms)
	}{
		{"slack", "SLACK_BOT_TOKEN", func(f *fakePlatforms) { f.slackReject.Store(true) }},
		{"discord", "DISCORD_BOT_TOKEN", func(f *fakePlatforms) { f.discordReject.Store(true) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakePlatforms(t)
			tc.reject(f)
			s := startServeDown(t, f.env())
			done, logs := s.done, s.logs
			select {
			case code := <-done:
				out := logs.String()
				if code != exitFail || !strings.Contains(out, "rejected") || !strings.Contains(out, tc.want) {
					t.Errorf("exit %d; want %d and a message naming %s:\n%s", code, exitFail, tc.want, out)
				}
				if strings.Contains(out, "xoxb-test") || strings.Contains(out, "discord-token") {
					t.Errorf("a token reached the logs:\n%s", out)
				}
			case <-time.After(30 * time.Second):
				t.Fatalf("serve kept running with a rejected token:\n%s", logs.String())
			}
		})
	}
}
