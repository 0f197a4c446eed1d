package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/mailhelp/mailhelp/app"
	"github.com/mailhelp/mailhelp/bot/web"
	"github.com/mailhelp/mailhelp/internal/buildinfo"
)

// TestVersionCommand: `mailhelp version` prints the build information's
// line; anything after it is a usage error.
func TestVersionCommand(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stdout string
	}{
		{[]string{"version"}, exitOK, buildinfo.Get().String() + "\n"},
		{[]string{"version", "-h"}, exitOK, "Usage: mailhelp version\n"},
		{[]string{"version", "extra"}, exitUsage, ""},
	}
	for _, tc := range tests {
		code, out, _ := run(t, nil, nil, tc.args...)
		if code != tc.code || out != tc.stdout {
			t.Errorf("%v: exit %d, %q; want %d, %q", tc.args, code, out, tc.code, tc.stdout)
		}
	}
}

// TestServeMetricsBuildInfo: a running serve's /metrics names its build.
func TestServeMetricsBuildInfo(t *testing.T) {
	base, _, stop := startServe(t, map[string]string{"MAILHELP_CONFIG": offlineConfig}, nil)
	defer stop()
	resp, err := http.Get(base + "metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	in := buildinfo.Get()
	if !strings.Contains(string(body), "mailhelp_build_info{") || !strings.Contains(string(body), `version="`+in.Version+`"`) ||
		!strings.Contains(string(body), `goversion="`+in.GoVersion+`"`) {
		t.Errorf("no build info for %+v in /metrics:\n%.2000s", in, body)
	}
	if web.Build.Version != in.Version {
		t.Errorf("web.Build = %+v", web.Build)
	}
}

// TestDiscordUserAgent: the Discord session built from the environment
// sends mailhelp's User-Agent, in the form Discord asks of bots, on its
// REST calls (the real discordgo client against a loopback server).
func TestDiscordUserAgent(t *testing.T) {
	var mu sync.Mutex
	var agents []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.Method+" "+r.URL.Path+" "+r.Header.Get("User-Agent"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"111","username":"mailhelp","bot":true}`)
	}))
	defer srv.Close()
	env := map[string]string{"MAILHELP_CONFIG": offlineConfig, "DISCORD_BOT_TOKEN": "test-token", "DISCORD_APP_ID": "111",
		"DISCORD_API_URL": srv.URL + "/api"}
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return env[k] }}
	a, err := m.newApp("", app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := m.newDiscord(a, m.logger(), web.NewMetrics())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Session.User("@me"); err != nil {
		t.Fatal(err)
	}
	want := "GET /api/v9/users/@me " + buildinfo.Get().DiscordUserAgent()
	mu.Lock()
	defer mu.Unlock()
	if len(agents) != 1 || agents[0] != want {
		t.Errorf("requests %q, want %q", agents, want)
	}
}
