package slackbot

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/internal/testbot"
)

// startRun runs an adapter built by New against f and returns Run's
// result channel; the adapter is stopped when the test ends.
func startRun(t *testing.T, f *fakeSlack, cfg Config, opts Options) (*Adapter, <-chan error) {
	t.Helper()
	r, cat := testRouter(t, slowProber{})
	opts.Router, opts.Translator = r, cat
	if opts.Logger == nil {
		opts.Logger = testbot.Quiet()
	}
	opts.ChannelBurst = 1000
	if opts.StartBackoff == 0 {
		opts.StartBackoff = time.Millisecond
	}
	cfg.BotToken, cfg.APIURL = "xoxb-test", f.srv.URL+"/api"
	a, err := New(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done, finished := make(chan error, 1), make(chan struct{})
	go func() { done <- a.Run(ctx); close(finished) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-finished:
		case <-time.After(20 * time.Second):
			t.Error("Run did not return after its context ended")
		}
	})
	return a, done
}

// waitAuthCalls waits until auth.test has been called n times, failing
// if Run returns first.
func waitAuthCalls(t *testing.T, f *fakeSlack, done <-chan error, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		f.mu.Lock()
		calls := f.authCalls
		f.mu.Unlock()
		if calls >= n {
			return
		}
		select {
		case err := <-done:
			t.Fatalf("Run gave up after %d auth.test calls: %v", calls, err)
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("auth.test called %d times, want %d", calls, n)
		}
	}
}

// TestStartRetriesWhileSlackIsDown: a Slack that cannot be reached, or
// answers 5xx, 429 or an internal error at start-up, is tried again with
// backoff; the adapter says it is not ready meanwhile, then connects and
// answers.
func TestStartRetriesWhileSlackIsDown(t *testing.T) {
	f := newFakeSlack(t)
	f.authScript = []string{"drop", "503", "429", "internal_error", "503", "drop"}
	a, done := startRun(t, f, Config{AppToken: "xapp-test"}, Options{})
	waitAuthCalls(t, f, done, 3)
	if a.Connected() {
		t.Error("ready while auth.test fails")
	}
	select {
	case <-f.connected:
	case err := <-done:
		t.Fatalf("Run gave up on a transient failure: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("never connected once Slack was back")
	}
	waitFor(t, "connected", a.Connected)
	f.send(mentionEnvelope("env-1", "Ev1", "U1", "C1", "1.1", "<@UBOT> help"))
	f.waitCalls("chat.postMessage", 1)
	f.mu.Lock()
	calls := f.authCalls
	f.mu.Unlock()
	if calls != 7 {
		t.Errorf("auth.test called %d times, want 7 (6 failures, then success)", calls)
	}
}

// TestHTTPModeStartRetries: in HTTP mode, Slack's requests are answered
// 503 (Slack retries them) while auth.test fails, and served once it
// works.
func TestHTTPModeStartRetries(t *testing.T) {
	f := newFakeSlack(t)
	f.authScript = []string{"503", "503", "503", "503"}
	a, done := startRun(t, f, Config{SigningSecret: secret}, Options{})
	h := a.HTTPHandler()
	event := `{"token":"x","team_id":"T1","type":"event_callback","event_id":"EvS1","event":{"type":"app_mention","user":"U1","text":"<@UBOT> help","ts":"1.1","channel":"C1"}}`
	deliver := func() int {
		stamp, sig := sign(event, time.Now(), secret)
		req := httptest.NewRequest("POST", "/slack/events", strings.NewReader(event))
		req.Header.Set("X-Slack-Request-Timestamp", stamp)
		req.Header.Set("X-Slack-Signature", sig)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	waitAuthCalls(t, f, done, 2)
	if a.Connected() {
		t.Error("ready while auth.test fails")
	}
	if code := deliver(); code != http.StatusServiceUnavailable {
		t.Errorf("an event before the bot is identified: %d, want 503", code)
	}
	for deadline := time.Now().Add(30 * time.Second); !a.Connected(); time.Sleep(5 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("Run gave up on a transient failure: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("never ready once Slack was back")
		}
	}
	if code := deliver(); code != http.StatusOK {
		t.Errorf("an event once identified: %d", code)
	}
	f.waitCalls("chat.postMessage", 1)
}

// TestStartStopsOnRejectedToken: a token Slack rejects is not retried:
// Run returns at once with a message that says so.
func TestStartStopsOnRejectedToken(t *testing.T) {
	for _, code := range []string{"invalid_auth", "not_authed"} {
		t.Run("bot token "+code, func(t *testing.T) {
			f := newFakeSlack(t)
			f.authScript = []string{code}
			_, done := startRun(t, f, Config{AppToken: "xapp-test"}, Options{})
			select {
			case err := <-done:
				if !errors.Is(err, ErrTokenRejected) || !strings.Contains(err.Error(), "rejected") || !strings.Contains(err.Error(), code) {
					t.Errorf("err = %v; want a rejected token named", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("Run kept trying with a rejected token")
			}
			f.mu.Lock()
			calls := f.authCalls
			f.mu.Unlock()
			if calls != 1 {
				t.Errorf("auth.test called %d times; a rejected token is not retried", calls)
			}
		})
	}
	t.Run("app token", func(t *testing.T) {
		f := newFakeSlack(t)
		f.appTokenRejected.Store(true)
		_, done := startRun(t, f, Config{AppToken: "xapp-test"}, Options{})
		select {
		case err := <-done:
			if !errors.Is(err, ErrTokenRejected) || !strings.Contains(err.Error(), "rejected") || !strings.Contains(err.Error(), "invalid_auth") {
				t.Errorf("err = %v; want a rejected token named", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("Run kept trying with a rejected app-level token")
		}
	})
}
