package web

import (
	"bytes"
	"context"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/discovery/publish"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/locales"
	"github.com/mailhelp/mailhelp/probe"
)

// The pages used to be html/template templates; testdata/pages.tmpl is
// them as they were. These tests check that html.go writes the same
// bytes for every kind of page, and that no string gets out of its text
// node or attribute value.

var parseReference = sync.OnceValues(func() (*template.Template, error) {
	return template.New("").Funcs(template.FuncMap{"contains": strings.Contains}).ParseFiles("testdata/pages.tmpl")
})

// sameAsTemplate fails when got is not what the reference template name
// writes for p.
func sameAsTemplate(t testing.TB, what, name string, p *page, got string) {
	t.Helper()
	tmpl, err := parseReference()
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	if err := tmpl.ExecuteTemplate(&want, name, p); err != nil {
		t.Fatal(err)
	}
	if got != want.String() {
		w, i := want.String(), 0
		for i < len(got) && i < len(w) && got[i] == w[i] {
			i++
		}
		t.Errorf("%s: %s differs from the template at byte %d:\ngot  …%.200q\nwant …%.200q", what, name, i, got[max(0, i-60):], w[max(0, i-60):])
	}
}

func written(p *page, name string) string {
	var b bytes.Buffer
	p.write(&b, name)
	return b.String()
}

// fixedProber answers every check as healthy.
type fixedProber struct{}

func (fixedProber) Check(_ context.Context, tg probe.Target, _ *probe.Credentials) (*probe.Report, error) {
	return &probe.Report{Host: tg.Host, Verdict: probe.StatusOK, Started: time.Date(2026, 11, 30, 9, 30, 0, 0, time.UTC),
		Endpoints: []probe.EndpointReport{{Endpoint: probe.Endpoint{Protocol: probe.IMAP, Port: 993, Security: probe.ImplicitTLS}, Status: probe.StatusOK}}}, nil
}

// pagesServer is a server whose every page is checked against the
// reference templates.
func pagesServer(t *testing.T, publicURL string) (*Server, *locales.Catalog, *int) {
	t.Helper()
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse([]byte("default_language: en\ndomains:\n  - {domain: domaine.com, host: bm.domaine.com, webmail: https://bm.domaine.com, support: support@domaine.com, language: fr}\n"))
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	r := bot.NewRouter(bot.RouterOptions{Translator: cat, Parser: cat.Parser(), DefaultLang: "en",
		DomainLang: handlers.DomainLang(cfg.Directory), Logger: quiet, PublicURL: publicURL,
		Memory: bot.NewLocalMemory(time.Minute, 100, nil)})
	handlers.Register(r, handlers.Deps{Directory: cfg.Directory, Translator: cat, Prober: fixedProber{}})
	s, err := New(Options{Router: r, Translator: cat, DefaultLang: "en", PublicURL: publicURL, Logger: quiet,
		Discovery: publish.New(publish.Options{Translator: cat, Logger: quiet, Settings: func() publish.Settings {
			return publish.Settings{Directory: cfg.Directory, DefaultLang: "en", PublicURL: publicURL}
		}})})
	if err != nil {
		t.Fatal(err)
	}
	n := new(int)
	s.rendered = func(name string, p *page, got string) {
		*n++
		sameAsTemplate(t, "page", name, p, got)
	}
	return s, cat, n
}

var tokenValue = regexp.MustCompile(`name="token" value="([^"]+)"`)

// TestPagesSameAsTemplate: every kind of page — chat, answers to
// questions, offers and results of checks, chat fragments, permalinks of
// each client in each language by address and by domain, missing pages —
// is the bytes the templates wrote.
func TestPagesSameAsTemplate(t *testing.T) {
	for _, public := range []string{"", "https://help.domaine.com"} {
		s, cat, n := pagesServer(t, public)
		do := func(method, target, body string, cookies []*http.Cookie) *httptest.ResponseRecorder {
			req := httptest.NewRequest(method, target, strings.NewReader(body))
			req.Host = "127.0.0.1:8080" // loopback: iPhone answers offer their profile
			if method == http.MethodPost {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Sec-Fetch-Site", "same-origin")
			}
			for _, c := range cookies {
				req.AddCookie(c)
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			return rec
		}
		var targets []string
		for _, lang := range cat.Languages() {
			targets = append(targets, "/?lang="+lang, "/nowhere?lang="+lang, "/"+lang+"/nodevice?address=alice@domaine.com",
				"/"+lang+"/blackberry10?address=not-an-address", "/"+lang+"/blackberry10?domain=unknown.example")
			for _, c := range s.opts.Router.Clients() {
				for _, q := range []string{"?address=alice%40domaine.com", "?address=bob@other.example", "?domain=domaine.com", ""} {
					targets = append(targets, "/"+lang+"/"+string(c.ID)+q)
				}
			}
		}
		for _, q := range []string{"help", "configure iPhone for alice@domaine.com", "check alice@domaine.com",
			"Comment configurer mon BlackBerry pour alice@domaine.com ?", "my mail does not arrive on alice@domaine.com",
			"ports", "<script>alert(1)</script> \"'&+", strings.Repeat("x", 5000), "discovery domaine.com"} {
			for _, extra := range []string{"", "&partial=1", "&lang=fr&force=1", "&lang=de"} {
				targets = append(targets, "/ask?q="+url.QueryEscape(q)+extra)
			}
		}
		targets = append(targets, "/xx/blackberry10?address=alice@domaine.com", "/en/iphone?address=alice@domaine.com&x=%22%3E%3Cscript%3E",
			`/\evil.example/x`, "//evil.example/%0a", "/check/000000000000000000000000")
		for _, target := range targets {
			do(http.MethodGet, target, "", nil)
		}
		// Checks run from the site's own forms: the answer, its fragment,
		// and its result page.
		rec := do(http.MethodGet, "/", "", nil)
		m := tokenValue.FindStringSubmatch(rec.Body.String())
		if m == nil {
			t.Fatal("no token on the chat page")
		}
		cookies := rec.Result().Cookies()
		for _, partial := range []string{"0", "1"} {
			form := url.Values{"q": {"check alice@domaine.com"}, "token": {html.UnescapeString(m[1])}, "partial": {partial}}
			rec := do(http.MethodPost, "/ask", form.Encode(), cookies)
			if id := regexp.MustCompile(`/check/([0-9a-f]{24})`).FindStringSubmatch(rec.Body.String()); id != nil {
				do(http.MethodGet, "/check/"+id[1], "", nil)
			} else {
				t.Errorf("no check result link in %.300q", rec.Body.String())
			}
		}
		if *n < 200 {
			t.Errorf("only %d pages rendered", *n)
		}
	}
}

// hostilePage is a page with s in every string, and link in every link.
func hostilePage(s, link string) *page {
	ui := map[string]string{}
	for k := range uiIDs {
		ui[k] = s
	}
	f := []bot.Field{{Label: s, Value: s, Hint: s}, {Label: s, Value: s, Placeholder: true}, {Label: s}}
	reply := &bot.Reply{Intent: bot.Intent(s), Lang: s, Code: s, Title: s, Intro: s,
		Steps:    []bot.Step{{Text: s, Fields: f}, {Text: s}},
		Settings: []bot.SettingGroup{{Title: s, Fields: f}, {Title: s, Fields: f, Folded: true}},
		Notes:    []bot.Note{{Severity: bot.Severity(s), Text: s}},
		Links:    []bot.Link{{Label: s, URL: link}, {Label: s, URL: "https://x.example/?q=" + s}},
		Actions:  []bot.Action{{Kind: bot.ActionKind(s), Label: s, Phrase: s}}}
	answer := &answerView{Reply: reply, UI: ui, SettingsText: s, Permalink: link, TicketURL: link, PermalinkLabel: s,
		Question: s, Langs: []bot.LangChoice{{Lang: s, Name: s}}, Token: s,
		Profile: &profileView{URL: link, QR: "<svg></svg>", Signed: len(s)%2 == 0}}
	return &page{Lang: s, OtherLangs: []langLink{{Lang: s, Name: s, URL: link}}, UI: ui, Question: s, Answer: answer,
		Examples: []bot.Action{{Phrase: s, Label: s}}, Token: s,
		Confirm:  &confirmView{Question: s, Lang: s, Label: s, Token: s, Text: s, Force: len(s)%2 == 1},
		NotFound: &notFoundView{Message: s, Clients: []clientLink{{Name: s, URL: link}}}}
}

// variants are the kinds of page a page struct can make.
func variants(p *page) map[string]*page {
	nf, chat, answer, confirm := *p, *p, *p, *p
	chat.NotFound, chat.Chat = nil, true
	answer.NotFound, answer.Confirm = nil, nil
	confirm.NotFound, confirm.Answer, confirm.Chat = nil, nil, true
	return map[string]*page{"notfound": &nf, "chat": &chat, "answer": &answer, "confirm": &confirm}
}

// hostile are strings that try every way out of a text node, an
// attribute or a URL, and the odd bytes html/template treats specially.
var hostile = []string{
	"", "plain", `<script>alert(1)</script>`, `" onmouseover="alert(1)`, `' autofocus onfocus='x`,
	"a&b&amp;c", "1+1", "nul\x00byte", "bad\xffutf8\xc3", "\ufdd0\ufffe nonchars", "é ü ß 中文 🙂",
	"javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "vbscript:x", "data:text/html,<b>",
	"https://example.com/a?b=1&c=2#f", "HTTP://EXAMPLE.COM/<>\"'", "mailto:alice@domaine.com?subject=a b",
	"/fr/blackberry10/ticket?address=alice%40domaine.com", "%zz%4", "%41%", "/x?y=%3Cz%3E", "//evil.example/x",
	"https://dömain.example/ä ö?q=ü", "a\tb\nc\rd", "]]><!--", "</title><script>", "</textarea>", "{{.Token}}",
}

// TestHostilePagesSameAsTemplate: pages whose every string is hostile
// are escaped as the templates escaped them.
func TestHostilePagesSameAsTemplate(t *testing.T) {
	for _, s := range hostile {
		for _, link := range []string{s, "/fr/x/ticket?address=" + s, "https://x.example/" + s} {
			for kind, p := range variants(hostilePage(s, link)) {
				sameAsTemplate(t, kind+" "+s, "layout", p, written(p, "layout"))
				sameAsTemplate(t, kind+" "+s, "partial", p, written(p, "partial"))
			}
		}
	}
}

// FuzzPageHTML: whatever the strings of a page, html.go writes what the
// templates wrote, and each string stays text: the page has no element
// nor attribute of its own, and every link's scheme is safe.
func FuzzPageHTML(f *testing.F) {
	for _, h := range hostile {
		f.Add(h, "/fr/x/ticket?address="+h)
	}
	f.Fuzz(func(t *testing.T, s, link string) {
		for kind, p := range variants(hostilePage(s, link)) {
			got := written(p, "layout")
			sameAsTemplate(t, kind, "layout", p, got)
			sameAsTemplate(t, kind, "partial", p, written(p, "partial"))
			if t.Failed() {
				return
			}
			doc, err := html.Parse(strings.NewReader(got))
			if err != nil {
				t.Fatal(err)
			}
			for n := range doc.Descendants() {
				if n.Type != html.ElementNode {
					continue
				}
				if !pageElements[n.Data] {
					t.Fatalf("%s: element %q made of %q", kind, n.Data, s)
				}
				for _, a := range n.Attr {
					if !pageAttributes[a.Key] {
						t.Fatalf("%s: attribute %q made of %q", kind, a.Key, s)
					}
					if a.Key == "href" && !isSafeURL(a.Val) {
						t.Fatalf("%s: href %q", kind, a.Val)
					}
				}
			}
		}
	})
}

// pageElements and pageAttributes are the ones the pages are made of.
var pageElements, pageAttributes = set("html head meta title link script body header a nav main article p h1 h2 h3 " +
	"section figure svg figcaption ol li dl dt dd em code span table tbody tr th td button ul details summary " +
	"div form input label"), set("lang charset name content rel href src defer data-copied data-copy-failed " +
	"data-working class aria-label id hreflang data-intent data-copy action method value type data-kind data-lang " +
	"scope aria-live for maxlength autocomplete required placeholder")

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
