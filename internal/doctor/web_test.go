package doctor

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mailhelp/mailhelp/bot/slackbot"
	"github.com/mailhelp/mailhelp/bot/web"
	"github.com/mailhelp/mailhelp/internal/testbot"
)

// mailhelpServer runs mailhelp's real web side on loopback, started with
// web.public_url publicURL ("" for its own address), with Slack's HTTP
// mode mounted when secret is set; it returns the server's address.
func mailhelpServer(t *testing.T, tls bool, publicURL, secret string) *httptest.Server {
	t.Helper()
	router, cat := testbot.Router(t, nil)
	srv := httptest.NewUnstartedServer(nil)
	scheme := "http://"
	if tls {
		scheme = "https://"
	}
	if publicURL == "" {
		publicURL = scheme + srv.Listener.Addr().String()
	}
	mounts := map[string]http.Handler{}
	if secret != "" {
		slk, err := slackbot.New(slackbot.Config{BotToken: "xoxb-good", SigningSecret: secret, APIURL: "http://127.0.0.1:1/api/"},
			slackbot.Options{Router: router, Translator: cat, Logger: testbot.Quiet()})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/slack/events", "/slack/commands", "/slack/interactivity"} {
			mounts["POST "+p] = slk.HTTPHandler()
		}
	}
	h, err := web.New(web.Options{Router: router, Translator: cat, Logger: testbot.Quiet(), PublicURL: publicURL, Mounts: mounts})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv
}

// webOnly is a setup with no chat platform and web.public_url set.
func webOnly(t *testing.T, publicURL string) *setup {
	s := newSetup(t, "domains:\n  - domain: example.org\n    host: mail.example.org\nweb:\n  public_url: "+publicURL+"\n")
	s.o.Env = Env{}
	s.o.Version = web.InstanceVersion()
	return s
}

func TestPublicURL(t *testing.T) {
	other := func(body string, status int) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	closed := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		return "http://" + addr
	}
	tests := []struct {
		name   string
		url    func() string
		change func(s *setup)
		want   expect
	}{
		{"serves this instance", func() string { return mailhelpServer(t, false, "", "").URL }, nil,
			expect{"web_public_url", "", StatusOK, []string{"serving this instance"}}},
		{"another instance", func() string { return mailhelpServer(t, false, "https://other.example.com", "").URL }, nil,
			expect{"web_public_url", "", StatusFail, []string{`"https://other.example.com"`, "another instance"}}},
		{"another build", func() string { return mailhelpServer(t, false, "", "").URL }, func(s *setup) { s.o.Version = "v9.9.9 fff" },
			expect{"web_public_url", "", StatusWarn, []string{"while this mailhelp is v9.9.9 fff", "restart"}}},
		{"an older mailhelp", func() string { return other(`{"status":"ok"}`, 200) }, nil,
			expect{"web_public_url", "", StatusWarn, []string{"older one"}}},
		{"something else", func() string { return other(`<html>It works!</html>`, 200) }, nil,
			expect{"web_public_url", "", StatusFail, []string{"something other than mailhelp", "reverse proxy"}}},
		{"not found", func() string { return other("no", 404) }, nil,
			expect{"web_public_url", "", StatusFail, []string{"HTTP 404"}}},
		{"nothing listens", closed, nil,
			expect{"web_public_url", "", StatusFail, []string{"cannot be reached", "connection was refused", "127.0.0.1:8080"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := tc.url()
			s := webOnly(t, u)
			if tc.change != nil {
				tc.change(s)
			}
			tc.want.subject = u
			tc.want.in(t, s.run(t))
		})
	}
	t.Run("not set", func(t *testing.T) {
		s := newSetup(t, "")
		s.o.Env = Env{}
		expect{"web_public_url", "", StatusWarn, []string{"not set"}}.in(t, s.run(t))
	})
}

func TestIsPlainHTTP(t *testing.T) {
	for u, want := range map[string]bool{
		"http://help.example.com": true, "https://help.example.com": false,
		"http://127.0.0.1:8080": false, "http://localhost:8080": false, "http://[::1]:8080": false,
	} {
		if got := isPlainHTTP(u); got != want {
			t.Errorf("isPlainHTTP(%q) = %v, want %v", u, got, want)
		}
	}
}

// TestSlackHTTPMode: in HTTP mode doctor posts a signed url_verification
// to web.public_url's /slack/events, as Slack does, and the real Slack
// adapter mounted on the real web side must echo its challenge.
func TestSlackHTTPMode(t *testing.T) {
	redirect := httptest.NewTLSServer(http.RedirectHandler("https://elsewhere.example.com/slack/events", http.StatusMovedPermanently))
	t.Cleanup(redirect.Close)
	tests := []struct {
		name     string
		server   func() *httptest.Server // nil: no server
		url      string                  // when server is nil
		secret   string
		want     expect
		blocking bool
	}{
		{"same signing secret", func() *httptest.Server { return mailhelpServer(t, true, "", "s3cret-signing") }, "", "s3cret-signing",
			expect{"slack_http", "", StatusOK, []string{"signed url_verification", "/slack/interactivity"}}, false},
		{"another signing secret", func() *httptest.Server { return mailhelpServer(t, true, "", "s3cret-signing") }, "", "0ther-secret",
			expect{"slack_http", "", StatusFail, []string{"refused the signature", "App Credentials"}}, true},
		{"Slack endpoints not served", func() *httptest.Server { return mailhelpServer(t, true, "", "") }, "", "s3cret-signing",
			expect{"slack_http", "", StatusFail, []string{"is not served (HTTP", "SLACK_SIGNING_SECRET"}}, true},
		{"a redirect", func() *httptest.Server { return redirect }, "", "s3cret-signing",
			expect{"slack_http", "", StatusFail, []string{"redirects (HTTP 301 to https://elsewhere.example.com", "follows no redirect"}}, true},
		{"plain http", nil, "http://help.example.com", "s3cret-signing",
			expect{"slack_http", "", StatusFail, []string{"https://", "reverse proxy"}}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := tc.url
			var srv *httptest.Server
			if tc.server != nil {
				srv = tc.server()
				u = srv.URL
			}
			s := webOnly(t, u)
			if srv != nil {
				s.o.HTTPClient = srv.Client() // trusts the test server's certificate
			}
			s.o.Env = Env{SlackBotToken: "xoxb-good", SlackSigningSecret: tc.secret, SlackAPIURL: s.slack.url()}
			r := s.run(t)
			tc.want.in(t, r)
			expect{"slack_token", "", StatusOK, nil}.in(t, r)
		})
	}
	t.Run("no public URL", func(t *testing.T) {
		s := newSetup(t, "")
		s.o.Env = Env{SlackBotToken: "xoxb-good", SlackSigningSecret: "s3cret-signing", SlackAPIURL: s.slack.url()}
		expect{"slack_http", "", StatusFail, []string{"needs web.public_url"}}.in(t, s.run(t))
	})
}
