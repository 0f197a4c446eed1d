package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"
)

// idLocalizer renders a message as its ID and sorted data, so tests see
// exactly what a handler asked for.
type idLocalizer struct{ lang string }

func (l idLocalizer) Lang() string { return l.lang }
func (l idLocalizer) Text(id string, data map[string]any) string {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(l.lang + ":" + id)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%v", k, data[k])
	}
	return b.String()
}
func (l idLocalizer) Plural(id string, n int, data map[string]any) string {
	return fmt.Sprintf("%s count=%d", l.Text(id, data), n)
}

type idTranslator struct{}

func (idTranslator) For(lang string) Localizer { return idLocalizer{lang} }
func (idTranslator) Languages() Languages      { return Languages{"en", "fr"} }

// wordParser is a parser for the router's tests: the first word is the
// intent ("check", "help", else configure), "comment" or "français"
// make the text French, and a form is taken as it is.
type wordParser struct{}

func (wordParser) Parse(text string) Parsed {
	p := Parsed{Intent: IntentConfigure}
	switch strings.SplitN(text, " ", 2)[0] {
	case "check":
		p.Intent = IntentCheck
	case "help":
		p.Intent = IntentHelp
	}
	if strings.Contains(text, "comment") || strings.Contains(text, "français") {
		p.Lang = "fr"
	}
	return p
}

func (wordParser) Form(f Form) (Parsed, error) {
	if f.Target == "bad" {
		return Parsed{Intent: f.Intent}, &Error{Kind: KindInvalidInput, Code: CodeBadTarget, MsgID: "error.bad_target"}
	}
	return Parsed{Intent: f.Intent, Host: f.Target}, nil
}

func (wordParser) Clients() []ClientName { return nil }

// Continue carries the previous host over a text that names none.
func (w wordParser) Continue(text string, prev Context) Parsed {
	p := w.Parse(text)
	if p.Host == "" {
		p.Host, p.Continued = prev.Host, true
	}
	return p
}

func newTestRouter(t *testing.T, opts RouterOptions) (*Router, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	opts.Translator = idTranslator{}
	opts.Parser = wordParser{}
	opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	r := NewRouter(opts)
	echo := HandlerFunc(func(ctx context.Context, req *Request) (*Reply, error) {
		return &Reply{Title: req.Loc.Text("title", nil)}, nil
	})
	for _, i := range []Intent{IntentConfigure, IntentCheck, IntentPorts, IntentClients, IntentHelp, IntentUnknown} {
		r.Handle(i, echo)
	}
	return r, &logs
}

func TestRouterLanguage(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		force      string
		locale     string
		domainLang string
		def        string
		want       string
	}{
		{"detected from the text", "comment configurer mon blackberry", "", "", "", "en", "fr"},
		{"forced beats the text", "comment configurer mon blackberry", "en", "", "", "fr", "en"},
		{"explicit in the text beats the locale", "configure BlackBerry en français", "", "en-US", "", "en", "fr"},
		{"locale when the text is unclear", "bb10 alice@domaine.com", "", "fr-FR", "", "en", "fr"},
		{"domain language after the locale", "bb10 alice@domaine.com", "", "", "fr", "en", "fr"},
		{"default last", "bb10 alice@domaine.com", "", "", "", "fr", "fr"},
		{"unsupported forced language is ignored", "bb10", "de", "", "", "en", "en"},
		{"unsupported default becomes English", "bb10", "", "", "", "de", "en"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := newTestRouter(t, RouterOptions{
				DefaultLang: tc.def,
				DomainLang:  func(Parsed) string { return tc.domainLang },
			})
			reply := r.Serve(context.Background(), &Request{Text: tc.text, ForceLang: tc.force, LocaleHint: tc.locale})
			if reply.Lang != tc.want {
				t.Errorf("lang = %q, want %q", reply.Lang, tc.want)
			}
			if !strings.HasPrefix(reply.Title, tc.want+":") {
				t.Errorf("title %q was not localized in %q", reply.Title, tc.want)
			}
		})
	}
}

func TestRouterTooLong(t *testing.T) {
	r, _ := newTestRouter(t, RouterOptions{})
	text := strings.Repeat("check alice@domaine.com ", 50000)
	reply := r.Serve(context.Background(), &Request{Text: text})
	if reply.Code != "too_long" {
		t.Fatalf("code = %q, want too_long", reply.Code)
	}
	if want := fmt.Sprintf("count=%d", len(text)); !strings.Contains(reply.Title, want) {
		t.Errorf("title %q does not give the size (%s)", reply.Title, want)
	}
	// An adapter that cut the text says how big it was.
	reply = r.Serve(context.Background(), &Request{Text: "check", Size: 1 << 30})
	if reply.Code != "too_long" || !strings.Contains(reply.Title, "count=1073741824") {
		t.Errorf("with Size: code = %q, title = %q", reply.Code, reply.Title)
	}
}

func TestRouterErrors(t *testing.T) {
	tests := []struct {
		name     string
		handler  Handler
		wantCode string
		wantLog  string
	}{
		{"panic is recovered", HandlerFunc(func(context.Context, *Request) (*Reply, error) {
			panic("boom")
		}), "internal", "handler panic"},
		{"plain error is internal and logged", HandlerFunc(func(context.Context, *Request) (*Reply, error) {
			return nil, errors.New("disk on fire")
		}), "internal", "disk on fire"},
		{"user error is shown, not logged", HandlerFunc(func(context.Context, *Request) (*Reply, error) {
			return nil, &Error{Kind: KindNotFound, Code: "no_such_client", MsgID: "error.no_such_client"}
		}), "no_such_client", ""},
		{"nil reply is internal", HandlerFunc(func(context.Context, *Request) (*Reply, error) {
			return nil, nil
		}), "internal", "no reply"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, logs := newTestRouter(t, RouterOptions{})
			r.Handle(IntentHelp, tc.handler)
			const secret = "help zorglub-alice-secret"
			reply := r.Serve(context.Background(), &Request{Text: secret})
			if reply.Code != tc.wantCode {
				t.Errorf("code = %q, want %q", reply.Code, tc.wantCode)
			}
			if tc.wantLog != "" && !strings.Contains(logs.String(), tc.wantLog) {
				t.Errorf("log %q lacks %q", logs.String(), tc.wantLog)
			}
			if tc.wantLog == "" && logs.Len() > 0 {
				t.Errorf("unexpected log: %s", logs.String())
			}
			if strings.Contains(logs.String(), "zorglub") {
				t.Errorf("the log holds the message text: %s", logs.String())
			}
		})
	}
}

func TestRouterPlan(t *testing.T) {
	r, _ := newTestRouter(t, RouterOptions{})
	r.Route(IntentCheck, Route{Handler: HandlerFunc(func(ctx context.Context, req *Request) (*Reply, error) {
		return &Reply{Title: "checked " + req.Parsed.Host}, nil
	}), Slow: func(p Parsed) bool { return true }})
	tests := []struct {
		name     string
		req      *Request
		intent   Intent
		slow     bool
		lang     string
		wantCode string
	}{
		{"a slow intent", &Request{Text: "check x", LocaleHint: "fr-CA"}, IntentCheck, true, "fr", ""},
		{"a quick intent", &Request{Text: "help"}, IntentHelp, false, "en", ""},
		{"a form is not parsed", &Request{Text: "help", Form: &Form{Intent: IntentCheck, Target: "bm.domaine.com"}}, IntentCheck, true, "en", ""},
		{"a bad form is refused, and not slow", &Request{Form: &Form{Intent: IntentCheck, Target: "bad"}}, IntentCheck, false, "en", CodeBadTarget},
		{"too long is refused, and not slow", &Request{Text: "check x", Size: MaxTextBytes + 1}, IntentCheck, false, "en", CodeTooLong},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plan := r.Plan(context.Background(), tc.req)
			if plan.Intent() != tc.intent || plan.Slow != tc.slow || plan.Lang() != tc.lang {
				t.Errorf("plan = %s slow=%v lang=%s; want %s slow=%v lang=%s", plan.Intent(), plan.Slow, plan.Lang(), tc.intent, tc.slow, tc.lang)
			}
			if reply := plan.Answer(context.Background()); reply.Code != tc.wantCode {
				t.Errorf("code = %q, want %q", reply.Code, tc.wantCode)
			}
		})
	}
}

func TestRouterPermalink(t *testing.T) {
	r, _ := newTestRouter(t, RouterOptions{PublicURL: "https://help.example/"})
	r.Handle(IntentConfigure, HandlerFunc(func(ctx context.Context, req *Request) (*Reply, error) {
		return &Reply{About: About{Client: "blackberry10", Address: "alice+tag@domaine.com"}}, nil
	}))
	reply := r.Serve(context.Background(), &Request{Text: "configure bb10 alice+tag@domaine.com", ForceLang: "fr"})
	if len(reply.Links) != 1 || reply.Links[0].URL != "https://help.example/fr/blackberry10?address=alice%2Btag%40domaine.com" {
		t.Errorf("links = %+v", reply.Links)
	}
	// No client, no permalink.
	if reply := r.Serve(context.Background(), &Request{Text: "help"}); len(reply.Links) != 0 {
		t.Errorf("help links = %+v", reply.Links)
	}
}

func TestSwitch(t *testing.T) {
	a, _ := newTestRouter(t, RouterOptions{DefaultLang: "en"})
	b, _ := newTestRouter(t, RouterOptions{DefaultLang: "fr"})
	s := NewSwitch(a)
	if got := s.Serve(context.Background(), &Request{Text: "bb10"}).Lang; got != "en" {
		t.Errorf("before: %s", got)
	}
	s.Replace(b)
	if got := s.Serve(context.Background(), &Request{Text: "bb10"}).Lang; got != "fr" {
		t.Errorf("after: %s", got)
	}
}

// TestRouterMemory: a follow-up in the same conversation from the same
// user is read with the previous request; another user, another
// conversation, or an expired context is not.
func TestRouterMemory(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	mem := NewLocalMemory(30*time.Minute, 100, func() time.Time { return now })
	r, _ := newTestRouter(t, RouterOptions{Memory: mem})
	ask := func(text, conv, user string) *Request {
		req := &Request{Text: text, Platform: "slack", Conversation: conv, UserID: user}
		r.Plan(context.Background(), req).Answer(context.Background())
		return req
	}
	ask("configure", "T1", "U1") // remembered with an empty host
	first := &Request{Form: &Form{Intent: IntentConfigure, Target: "bm.domaine.com"}, Platform: "slack", Conversation: "T1", UserID: "U1"}
	r.Plan(context.Background(), first).Answer(context.Background())
	if got := ask("configure again", "T1", "U1").Parsed; got.Host != "bm.domaine.com" || !got.Continued {
		t.Errorf("same user and conversation: %+v", got)
	}
	if got := ask("configure again", "T1", "U2").Parsed; got.Host != "" {
		t.Errorf("another user saw the context: %+v", got)
	}
	if got := ask("configure again", "T2", "U1").Parsed; got.Host != "" {
		t.Errorf("another conversation saw the context: %+v", got)
	}
	if got := ask("configure again", "", "U1").Parsed; got.Host != "" {
		t.Errorf("no conversation saw the context: %+v", got)
	}
	now = now.Add(31 * time.Minute)
	if got := ask("configure again", "T1", "U1").Parsed; got.Host != "" {
		t.Errorf("an expired context was used: %+v", got)
	}
}

func TestLocalMemoryIsBounded(t *testing.T) {
	m := NewLocalMemory(time.Hour, 3, nil)
	for i := range 10 {
		m.Remember(context.Background(), fmt.Sprint("k", i), Context{Host: fmt.Sprint(i)})
		m.Remember(context.Background(), "hot", Context{Host: "hot"}) // written again and again: kept
	}
	if m.Len() != 3 {
		t.Errorf("%d contexts kept, want 3", m.Len())
	}
	if c, ok := m.Recall(context.Background(), "hot"); !ok || c.Host != "hot" {
		t.Error("the busiest conversation was forgotten")
	}
	if _, ok := m.Recall(context.Background(), "k0"); ok {
		t.Error("the oldest conversation was kept")
	}
	if len(m.order) > 2*3+16 {
		t.Errorf("the write log grew to %d", len(m.order))
	}
}

// TestProfileLink: a profile is offered only for an answer that has one,
// and only over HTTPS (or from this machine): over plain HTTP anyone on
// the way could swap the settings it installs.
func TestProfileLink(t *testing.T) {
	r := &Reply{Lang: "fr", About: About{Client: "ios", Address: "alice+x@domaine.com", Profile: true}}
	for base, want := range map[string]string{
		"https://help.domaine.com/":  "https://help.domaine.com/mobileconfig?address=alice%2Bx%40domaine.com&lang=fr",
		"http://127.0.0.1:8080":      "http://127.0.0.1:8080/mobileconfig?address=alice%2Bx%40domaine.com&lang=fr",
		"http://localhost:8080":      "http://localhost:8080/mobileconfig?address=alice%2Bx%40domaine.com&lang=fr",
		"http://help.domaine.com":    "",
		"http://10.0.0.5:8080":       "",
		"":                           "",
		"javascript:alert(1)//x.com": "",
	} {
		if got := ProfileLink(base, r); got != want {
			t.Errorf("ProfileLink(%q) = %q, want %q", base, got, want)
		}
	}
	noProfile := *r
	noProfile.About.Profile = false
	if got := ProfileLink("https://help.domaine.com", &noProfile); got != "" {
		t.Errorf("without a profile: %q", got)
	}
}
