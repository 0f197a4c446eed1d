package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const reloadV1 = "domains:\n  - domain: domaine.com\n    host: bm.domaine.com\ncheck:\n  enabled: false\n"
const reloadV2 = "domains:\n  - domain: domaine.com\n    host: mail.domaine.com\ncheck:\n  enabled: false\n"
const reloadBroken = "domains:\n  - domain: domaine.com\n    hots: typo\n"

// startServe runs serve on cfgPath and returns its URL and a stop func.
func startServe(t *testing.T, env map[string]string, hup chan struct{}) (string, *lockedBuilder, func()) {
	t.Helper()
	outR, outW := io.Pipe()
	errOut := &lockedBuilder{}
	m := &Main{Stdin: strings.NewReader(""), Stdout: outW, Stderr: errOut, Getenv: func(k string) string { return env[k] }, HUP: hup}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, []string{"serve", "--listen", "127.0.0.1:0"}) }()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("%v: %s", err, errOut.String())
	}
	return strings.TrimSpace(strings.TrimPrefix(line, "mailhelp is serving on ")), errOut, func() {
		stop()
		if code := <-done; code != exitOK {
			t.Errorf("serve exit %d", code)
		}
	}
}

func askHost(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Post(base+"api/v1/ask", "application/json", strings.NewReader(`{"text":"configure Thunderbird for alice@domaine.com"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	switch {
	case strings.Contains(string(b), "mail.domaine.com"):
		return "mail.domaine.com"
	case strings.Contains(string(b), "bm.domaine.com"):
		return "bm.domaine.com"
	}
	return "?"
}

func TestReloadOnSIGHUP(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mailhelp.yaml")
	_ = os.WriteFile(path, []byte(reloadV1), 0o644)
	hup := make(chan struct{}, 1)
	base, logs, stop := startServe(t, map[string]string{"MAILHELP_CONFIG": path}, hup)
	defer stop()
	if got := askHost(t, base); got != "bm.domaine.com" {
		t.Fatalf("before: %s", got)
	}
	// A broken file: the running configuration stays.
	_ = os.WriteFile(path, []byte(reloadBroken), 0o644)
	hup <- struct{}{}
	waitLog(t, logs, "reload refused")
	if got := askHost(t, base); got != "bm.domaine.com" {
		t.Errorf("after a broken reload: %s", got)
	}
	// A good one applies, with what changed in the log.
	_ = os.WriteFile(path, []byte(reloadV2), 0o644)
	hup <- struct{}{}
	waitLog(t, logs, `"msg":"configuration reloaded"`)
	if got := askHost(t, base); got != "mail.domaine.com" {
		t.Errorf("after a good reload: %s", got)
	}
	if !strings.Contains(logs.String(), `"field":"host","old":"bm.domaine.com","new":"mail.domaine.com"`) {
		t.Errorf("no change logged:\n%s", logs.String())
	}
}

func TestAdminReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mailhelp.yaml")
	_ = os.WriteFile(path, []byte(reloadV1), 0o644)
	base, _, stop := startServe(t, map[string]string{"MAILHELP_CONFIG": path, "MAILHELP_ADMIN_TOKEN": "s3cret"}, nil)
	defer stop()
	post := func(token string) (int, map[string]any) {
		req, _ := http.NewRequest("POST", base+"admin/reload", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&v)
		return resp.StatusCode, v
	}
	if code, _ := post(""); code != 401 {
		t.Errorf("no token: %d", code)
	}
	if code, _ := post("wrong"); code != 401 {
		t.Errorf("wrong token: %d", code)
	}
	_ = os.WriteFile(path, []byte(reloadBroken), 0o644)
	code, v := post("s3cret")
	if b, _ := json.Marshal(v); code != 422 || !strings.Contains(string(b), "line 3") || !strings.Contains(string(b), "hots") {
		t.Errorf("broken: %d %s", code, b)
	}
	_ = os.WriteFile(path, []byte(reloadV2), 0o644)
	code, v = post("s3cret")
	if b, _ := json.Marshal(v); code != 200 || !strings.Contains(string(b), `"New":"mail.domaine.com"`) {
		t.Errorf("good: %d %s", code, b)
	}
	if got := askHost(t, base); got != "mail.domaine.com" {
		t.Errorf("after reload: %s", got)
	}
}

func TestAdminReloadOffWithoutToken(t *testing.T) {
	base, _, stop := startServe(t, map[string]string{"MAILHELP_CONFIG": offlineConfig}, nil)
	defer stop()
	resp, err := http.Post(base+"admin/reload", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == 200 {
		t.Error("reload open without an admin token")
	}
}

func waitLog(t *testing.T, logs *lockedBuilder, sub string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), sub) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q in logs:\n%s", sub, logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
