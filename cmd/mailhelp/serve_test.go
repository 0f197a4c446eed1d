package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
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
