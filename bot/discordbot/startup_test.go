package discordbot

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// runBot runs b.Run in the background and returns its result channel;
// the bot is stopped when the test ends.
func runBot(t *testing.T, b *Bot) <-chan error {
	t.Helper()
	b.Adapter.opts.StartBackoff = time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done, finished := make(chan error, 1), make(chan struct{})
	go func() { done <- b.Run(ctx); close(finished) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-finished:
		case <-time.After(20 * time.Second):
			t.Error("Run did not return after its context ended")
		}
	})
	return done
}

// TestStartRetriesWhileDiscordIsDown: GET /gateway/bot failing (cut
// connections, 5xx, 429) and a gateway refusing connections at start-up
// are tried again with backoff; the bot is not ready meanwhile, then
// connects, registers /mailhelp and answers.
func TestStartRetriesWhileDiscordIsDown(t *testing.T) {
	f := newFakeDiscord(t)
	f.gatewayBotScript = []int{0, 503, 500, 429, 503, 0}
	f.gatewayDown = 2
	b, err := New(Config{Token: "test-token", AppID: "APP", APIURL: f.srv.URL + "/api"}, testOptions(t, 0))
	if err != nil {
		t.Fatal(err)
	}
	done := runBot(t, b)
	deadline := time.Now().Add(20 * time.Second)
	for {
		f.mu.Lock()
		calls := f.gatewayBotCalls
		f.mu.Unlock()
		if calls >= 3 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("Run gave up on a transient failure: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /gateway/bot called %d times", calls)
		}
	}
	if b.Connected() {
		t.Error("ready while Discord fails")
	}
	select {
	case <-f.ready:
	case err := <-done:
		t.Fatalf("Run gave up on a transient failure: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("never connected once Discord was back")
	}
	f.waitCalls("PUT", "/applications/APP/commands", 1)
	waitFor(t, "connected", b.Connected)
	f.dispatch("MESSAGE_CREATE", messageCreate("M1", "D1", "", "U1", "help", false))
	f.waitCalls("POST", "/messages", 1)
}

// TestStartStopsOnRejectedToken: a token Discord rejects (401, or close
// code 4004 from the gateway) is not retried: Run returns with a message
// that says so.
func TestStartStopsOnRejectedToken(t *testing.T) {
	t.Run("401", func(t *testing.T) {
		f := newFakeDiscord(t)
		f.rejectToken = true
		b, err := New(Config{Token: "test-token", AppID: "APP", APIURL: f.srv.URL + "/api"}, testOptions(t, 0))
		if err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-runBot(t, b):
			if !errors.Is(err, ErrTokenRejected) || !strings.Contains(err.Error(), "401") {
				t.Errorf("err = %v; want a rejected token named", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("Run kept trying with a rejected token")
		}
		f.mu.Lock()
		calls := f.gatewayBotCalls
		f.mu.Unlock()
		if calls != 1 {
			t.Errorf("GET /gateway/bot called %d times; a rejected token is not retried", calls)
		}
	})
	t.Run("close 4004", func(t *testing.T) {
		f := newFakeDiscord(t)
		f.closeCode = 4004
		b, err := New(Config{Token: "test-token", AppID: "APP", APIURL: f.srv.URL + "/api"}, testOptions(t, 0))
		if err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-runBot(t, b):
			if !errors.Is(err, ErrTokenRejected) || !strings.Contains(err.Error(), "4004") {
				t.Errorf("err = %v; want a rejected token named", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("Run kept trying with a rejected token")
		}
	})
}
