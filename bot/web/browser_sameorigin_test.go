package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserChecksWithoutJavaScript: with scripts off, the chat's forms
// post, and a live check runs from an answer's button and from a check
// answer's language switch.
func TestBrowserChecksWithoutJavaScript(t *testing.T) {
	p := &countingProber{stubProber: stubProber{rep: okReport}}
	f := newFixture(t, p, nil)
	srv := httptest.NewServer(f.handler)
	defer srv.Close()
	ctx := browserContext(t, 1100, 1400)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/?lang=en"),
		chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.SendKeys(chromedp.CSS("#q"), "configure BlackBerry for alice@domaine.com"),
		chromedp.Click(chromedp.CSS("#send")),
		chromedp.WaitVisible(chromedp.CSS("#conversation .answer ol.steps")),
	); err != nil {
		t.Fatalf("ask without JavaScript: %v", err)
	}
	if path := must(t, ctx, chromedp.Evaluate[string](`location.pathname`)); path != "/ask" {
		t.Errorf("the answer is at %q: the script ran, or the form did not post", path)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#conversation .answer button[data-kind="check"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#conversation .answer[data-intent="check"]`)),
	); err != nil {
		t.Fatalf("live check without JavaScript: %v", err)
	}
	if res := must(t, ctx, chromedp.Text(chromedp.CSS(`#conversation .answer[data-intent="check"] h2.title`))); !strings.Contains(res, "everything your device needs works") {
		t.Errorf("check result = %q", res)
	}
	if n := p.n.Load(); n != 1 {
		t.Errorf("%d checks ran, want 1", n)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#conversation .answer button.lang[data-lang="de"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#conversation .answer[data-intent="check"][lang="de"]`)),
	); err != nil {
		t.Fatalf("the check's language switch without JavaScript: %v", err)
	}
	if n := p.n.Load(); n != 2 {
		t.Errorf("%d checks ran, want 2", n)
	}
}

// TestBrowserCrossSiteRefused: a visitor of this site who opens another
// site's page that loads a check as an image and posts a check form
// starts nothing; the refusal offers the check, which runs once the
// visitor presses its button here. The links of a page asked by an
// encoded-slash path stay on this site as the browser reads them.
func TestBrowserCrossSiteRefused(t *testing.T) {
	p := &countingProber{stubProber: stubProber{rep: okReport}}
	f := newFixture(t, p, nil)
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ask" {
			mu.Lock()
			seen = append(seen, r.Method+" "+r.Header.Get("Sec-Fetch-Site"))
			mu.Unlock()
		}
		f.handler.ServeHTTP(w, r)
	}))
	defer srv.Close()
	// Another site: localhost is not 127.0.0.1's site.
	target := srv.URL + "/ask?q=" + url.QueryEscape("check alice@domaine.com")
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>prizes</title>
<form id="f" method="post" action="` + srv.URL + `/ask"><input name="q" value="check alice@domaine.com"><input name="lang" value="en"><input name="token" value="guessed"></form>
<img src="` + target + `" onerror="document.getElementById('f').submit()" onload="document.getElementById('f').submit()">`))
	}))
	defer evil.Close()
	evilURL := strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)

	ctx := browserContext(t, 1100, 1400)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/?lang=en"), // the visitor has this site's cookies
		chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.Navigate(evilURL),
		chromedp.WaitVisible(chromedp.CSS(`#conversation .offer button[data-kind="check"]`)),
	); err != nil {
		t.Fatalf("the other site's page: %v", err)
	}
	mu.Lock()
	got := strings.Join(seen, ", ")
	mu.Unlock()
	if got != "GET cross-site, POST cross-site" {
		t.Errorf("requests to /ask: %s", got)
	}
	if n := p.n.Load(); n != 0 {
		t.Fatalf("%d checks ran from another site", n)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#conversation .offer button[data-kind="check"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#conversation .answer[data-intent="check"]`)),
	); err != nil {
		t.Fatalf("the offer, accepted: %v", err)
	}
	if n := p.n.Load(); n != 1 {
		t.Errorf("%d checks ran once the visitor asked here, want 1", n)
	}

	host := strings.TrimPrefix(srv.URL, "http://")
	for _, path := range []string{"/%2Fevil.com", "/%2F%2Fevil.com", "/%5Cevil.com", "/%2F%5Cevil.com", "/%2F%09%2Fevil.com"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		hosts := must(t, ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("a[href], form[action]")).map(e => new URL(e.href || e.action).host).join(" ")`))
		for _, h := range strings.Fields(hosts) {
			if h != host {
				t.Errorf("%s: a link to %s", path, h)
			}
		}
		if hosts == "" {
			t.Errorf("%s: no link", path)
		}
	}
}
