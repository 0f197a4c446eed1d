package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/internal/testredis"
)

// TestServeWithStore runs mailhelp serve with $MAILHELP_REDIS_URL: ready
// while the store answers; when it is stopped, still answering and
// ready, /readyz saying it is degraded and /metrics that the store is
// down; not degraded once it is back. The URL's password is never
// logged.
func TestServeWithStore(t *testing.T) {
	rs := testredis.Start(t)
	// Redis takes any password while it has none set (with a warning).
	withPassword := strings.Replace(rs.URL(), "redis://", "redis://:s3cret@", 1)
	outR, outW := io.Pipe()
	var errOut lockedBuilder
	env := map[string]string{"MAILHELP_CONFIG": offlineConfig, "MAILHELP_REDIS_URL": withPassword}
	m := &Main{Stdin: strings.NewReader(""), Stdout: outW, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, []string{"serve", "--listen", "127.0.0.1:0"}) }()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	url := strings.TrimSpace(strings.TrimPrefix(line, "mailhelp is serving on "))
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	waitReady := func(degraded bool, what string) string {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			code, body := get("readyz")
			if code == 200 && strings.Contains(body, `"degraded"`) == degraded {
				return body
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: /readyz answered %d: %s", what, code, body)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitReady(false, "store up")
	if _, body := get("metrics"); !strings.Contains(body, "\nmailhelp_store_up 1\n") {
		t.Errorf("metrics with the store up:\n%.2000s", body)
	}
	rs.Stop()
	body := waitReady(true, "store stopped")
	if !strings.Contains(body, "shared store") {
		t.Errorf("readyz with the store down: %s", body)
	}
	if code, page := get("fr/blackberry10?address=alice%40domaine.com"); code != 200 || !strings.Contains(page, "Configurer BlackBerry 10") {
		t.Errorf("an answer with the store down: %d %.300s", code, page)
	}
	if _, body := get("metrics"); !strings.Contains(body, "\nmailhelp_store_up 0\n") {
		t.Errorf("metrics with the store down:\n%.2000s", body)
	}
	rs.Restart(t)
	waitReady(false, "store back")
	stop()
	select {
	case <-done:
	case <-time.After(25 * time.Second):
		t.Fatal("serve did not stop")
	}
	if logs := errOut.String(); strings.Contains(logs, "s3cret") {
		t.Errorf("the logs hold the store's password:\n%s", logs)
	}
}
