package web_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's Chromium, installed by scripts/test.sh.
const chromiumPath = "/usr/bin/chromium"

// TestBrowser drives a real headless Chromium through the web chat, a
// language switch, a permalink and the "copy settings" button, and keeps
// a screenshot in testdata/artifacts/.
func TestBrowser(t *testing.T) {
	f := newFixture(t, stubProber{rep: okReport}, nil)
	srv := httptest.NewServer(f.handler)
	defer srv.Close()
	ctx := browserContext(t, 1100, 1400)

	// The web chat: ask, see the steps appear without a page load.
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/?lang=en"),
		chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.SendKeys(chromedp.CSS("#q"), "configure BlackBerry for alice@domaine.com"),
		chromedp.Click(chromedp.CSS("#send")),
		chromedp.WaitVisible(chromedp.CSS("#conversation .answer ol.steps")),
	)
	if err != nil {
		t.Fatalf("web chat: %v", err)
	}
	steps := must(t, ctx, chromedp.Text(chromedp.CSS("#conversation .answer ol.steps")))
	if !strings.Contains(steps, "“Email Accounts”") || !strings.Contains(steps, "bm.domaine.com") {
		t.Errorf("steps = %q", steps)
	}
	shot(t, ctx, "chat_en.png")

	// Run the live check from the answer's button: its result joins the
	// conversation.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#conversation .answer button[data-kind="check"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#conversation .answer[data-intent="check"]`)),
	); err != nil {
		t.Fatalf("live check from the chat: %v", err)
	}
	if res := must(t, ctx, chromedp.Text(chromedp.CSS(`#conversation .answer[data-intent="check"] h2.title`))); !strings.Contains(res, "everything your device needs works") {
		t.Errorf("check result = %q", res)
	}

	// Switch to French: the page itself changes language.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#lang-fr")),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="fr"]`)),
	); err != nil {
		t.Fatalf("switch to French: %v", err)
	}
	if title := must(t, ctx, chromedp.Text(chromedp.CSS("h1"))); !strings.Contains(title, "messagerie") {
		t.Errorf("h1 in French = %q", title)
	}

	// A permalink, as pasted in a ticket: copy its settings.
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name}, Setting: browser.PermissionSettingGranted, Origin: srv.URL,
		}); err != nil {
			t.Fatalf("grant %s: %v", name, err)
		}
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/fr/blackberry10?address=alice%40domaine.com"),
		chromedp.WaitVisible(chromedp.CSS("article.answer")),
		chromedp.Click(chromedp.CSS("button.copy")),
		chromedp.WaitVisible(chromedp.CSS("button.copy.copied")),
	); err != nil {
		t.Fatalf("permalink: %v", err)
	}
	title := must(t, ctx, chromedp.Text(chromedp.CSS("h2.title")))
	button := must(t, ctx, chromedp.Text(chromedp.CSS("button.copy.copied")))
	if title != "Configurer BlackBerry 10 pour alice@domaine.com" || button != "Copié" {
		t.Errorf("title %q, button %q", title, button)
	}
	clip := must(t, ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	if !strings.Contains(clip, "Serveur: bm.domaine.com") || !strings.Contains(clip, "Port: 993") {
		t.Errorf("clipboard = %q", clip)
	}
	shot(t, ctx, "permalink_fr.png")
}

// browserContext starts a headless Chromium with a window of w×h.
func browserContext(t *testing.T, w, h int) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("Chromium is missing (%v): ./scripts/test.sh installs Debian's chromium package", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(w, h),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestBrowserFollowsThePerson checks, in a real Chromium, what a
// non-technical person meets: a placeholder is never in a value box nor
// copied, the answer's own language switch, the progress shown while a
// check runs, and a new guide on a phone-size screen.
func TestBrowserFollowsThePerson(t *testing.T) {
	f := newFixture(t, stubProber{rep: okReport, pause: 1500 * time.Millisecond}, nil)
	srv := httptest.NewServer(f.handler)
	defer srv.Close()
	ctx := browserContext(t, 1100, 1400)
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name}, Setting: browser.PermissionSettingGranted, Origin: srv.URL,
		}); err != nil {
			t.Fatalf("grant %s: %v", name, err)
		}
	}

	// Placeholders: no address, so the username and password are
	// instructions, shown apart and never copied.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/en/thunderbird?domain=domaine.com"),
		chromedp.WaitVisible(chromedp.CSS("article.answer")),
		chromedp.Click(chromedp.CSS("article.answer button.copy")),
		chromedp.WaitVisible(chromedp.CSS("button.copy.copied")),
	); err != nil {
		t.Fatalf("placeholders: %v", err)
	}
	codes := must(t, ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("article.answer code")).map(c => c.textContent).join("|")`))
	placeholders := must(t, ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("article.answer em.placeholder")).map(c => c.textContent).join("|")`))
	clip := must(t, ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	if strings.Contains(codes, "your usual mail password") || strings.Contains(codes, "your full address") {
		t.Errorf("a placeholder is in a value box: %q", codes)
	}
	if !strings.Contains(placeholders, "your usual mail password") {
		t.Errorf("the password instruction is not shown as one: %q", placeholders)
	}
	if strings.Contains(clip, "password") || !strings.Contains(clip, "bm.domaine.com") {
		t.Errorf("copied %q", clip)
	}

	// The chat: while the check runs, progress; then the answer, with its
	// own language switch.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/?lang=en"),
		chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.SendKeys(chromedp.CSS("#q"), "check alice@domaine.com"),
		chromedp.Click(chromedp.CSS("#send")),
		chromedp.WaitVisible(chromedp.CSS("#conversation .exchange.pending .progress")),
	); err != nil {
		t.Fatalf("progress: %v", err)
	}
	if p := must(t, ctx, chromedp.Text(chromedp.CSS("#conversation .progress"))); !strings.Contains(p, "live check") {
		t.Errorf("progress = %q", p)
	}
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS(`#conversation .answer[data-intent="check"]`)),
		chromedp.WaitNotPresent(chromedp.CSS("#conversation .exchange.pending")),
		chromedp.Click(chromedp.CSS(`#conversation .answer button.lang[data-lang="de"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#conversation .answer[lang="de"]`)),
	); err != nil {
		t.Fatalf("check and language switch: %v", err)
	}
	if res := must(t, ctx, chromedp.Text(chromedp.CSS(`#conversation .answer[lang="de"] h2.title`))); !strings.Contains(res, "bm.domaine.com") {
		t.Errorf("German result = %q", res)
	}
	if btn := must(t, ctx, chromedp.Text(chromedp.CSS(`#conversation .answer[data-intent="check"] button.copy`))); btn != "Copy results" {
		t.Errorf("the results' copy button says %q", btn)
	}

	// A new guide on a phone: nothing wider than the screen.
	phone := browserContext(t, 500, 900)
	if err := chromedp.Do(phone,
		// Chromium's window is never narrower than 500 px: emulate the
		// phone's viewport instead.
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(srv.URL+"/en/ios?address=alice%40domaine.com"),
		chromedp.WaitVisible(chromedp.CSS("article.answer ol.steps")),
	); err != nil {
		t.Fatalf("phone: %v", err)
	}
	if w := must(t, phone, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`)); w > 0 {
		t.Errorf("the page is %d px wider than a 390 px screen", w)
	}
	if n := must(t, phone, chromedp.Evaluate[int](`document.querySelectorAll("article.answer ol.steps > li").length`)); n < 6 {
		t.Errorf("the iPhone guide has %d steps", n)
	}
	shot(t, phone, "guide_ios_phone.png")
}

func must[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// shot keeps a full-page screenshot (PNG: quality 100) as a test artifact.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png := must(t, ctx, chromedp.FullScreenshot(100))
	dir := filepath.Join("testdata", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(png))
}
