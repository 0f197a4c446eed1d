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
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("Chromium is missing (%v): ./scripts/test.sh installs Debian's chromium package", err)
	}
	f := newFixture(t, stubProber{rep: okReport}, nil)
	srv := httptest.NewServer(f.handler)
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1100, 1400),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

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
