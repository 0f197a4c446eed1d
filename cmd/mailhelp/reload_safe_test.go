package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/app"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/locales"
)

var testCatalog = sync.OnceValues(locales.Load)

// testReloader is a reloader of the configuration file at path, over an
// app built from it, that lets the file settle for a millisecond.
func testReloader(t *testing.T, path string) (*reloader, *app.App) {
	t.Helper()
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard,
		Getenv: func(k string) string { return map[string]string{"MAILHELP_CONFIG": path}[k] }}
	cat, err := testCatalog()
	if err != nil {
		t.Fatal(err)
	}
	a, err := m.newApp("", app.Options{Logger: slog.New(slog.DiscardHandler), Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	return &reloader{m: m, app: a, settle: time.Millisecond}, a
}

// summary is what a configuration serves, in one comparable line.
func summary(c *config.Config) string {
	var doms []string
	for _, d := range c.Directory.Domains() {
		doms = append(doms, d.Name+"="+d.Host+"/"+d.Support+"/"+d.Language)
	}
	sort.Strings(doms)
	return fmt.Sprintf("%v any=%v audit=%s url=%s", doms, c.Check.AllowAnyHost, c.Audit.File, c.Web.PublicURL)
}

func safeV1(dir string) string {
	return "domains:\n  - domain: domaine.com\n    host: bm.domaine.com\ncheck:\n  enabled: false\naudit:\n  file: " +
		filepath.Join(dir, "audit.jsonl") + "\n"
}

// safeV2 changes every part of safeV1, the audit file last.
func safeV2(dir string) string {
	return "# the new configuration\ndomains:\n  - domain: domaine.com\n    host: mail.domaine.com\n    support: support@domaine.com\n" +
		"  - domain: exemple.fr\n    host: mail.exemple.fr\n    language: fr\ncheck:\n  enabled: false\n  allow_any_host: true\n" +
		"web:\n  public_url: https://help.domaine.com\naudit:\n  file: " + filepath.Join(dir, "audit.jsonl") + "\n  keep: 3\n"
}

// auditFirst is safeV2 with its audit section first, so that a cut
// after it can be a configuration of its own.
func auditFirst(dir string) string {
	v2 := safeV2(dir)
	i := strings.LastIndex(v2, "audit:")
	return v2[i:] + v2[:i]
}

// TestReloadCutAtEveryOffset: the new file cut at every byte offset is
// refused unless it ends after a complete "key: value" line; what is
// applied never moves the audit trail, and nothing is created beside it.
func TestReloadCutAtEveryOffset(t *testing.T) {
	for name, doc := range map[string]func(string) string{"audit last": safeV2, "audit first": auditFirst} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "mailhelp.yaml")
			v1, v2 := safeV1(dir), doc(dir)
			if err := os.WriteFile(path, []byte(v1), 0o644); err != nil {
				t.Fatal(err)
			}
			r, a := testReloader(t, path)
			running := summary(a.Config())
			applied := 0
			for k := 1; k < len(v2); k++ {
				cut := v2[:k]
				if err := os.WriteFile(path, []byte(cut), 0o644); err != nil {
					t.Fatal(err)
				}
				_, err := r.reload(context.Background(), "test")
				if err != nil {
					if got := summary(a.Config()); got != running {
						t.Fatalf("cut at %d refused (%v) yet %s is running", k, err, got)
					}
					continue
				}
				applied++
				lines := strings.Split(strings.TrimSuffix(cut, "\n"), "\n")
				if last := strings.TrimSpace(lines[len(lines)-1]); !strings.HasSuffix(cut, "\n") || strings.HasSuffix(last, ":") {
					t.Errorf("cut at %d (…%q) applied: %s", k, cut[max(0, k-30):], summary(a.Config()))
				}
				if a.Config().Audit.File != filepath.Join(dir, "audit.jsonl") {
					t.Fatalf("cut at %d moved the audit trail to %q", k, a.Config().Audit.File)
				}
				if err := os.WriteFile(path, []byte(v1), 0o644); err != nil {
					t.Fatal(err)
				}
				if _, err := r.reload(context.Background(), "test"); err != nil {
					t.Fatalf("back to the first configuration: %v", err)
				}
			}
			t.Logf("%d of %d cuts applied, each after a complete line", applied, len(v2)-1)
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if e.Name() != "audit.jsonl" && e.Name() != "mailhelp.yaml" {
					t.Errorf("a reload created %s", e.Name())
				}
			}
			if err := os.WriteFile(path, []byte(v2), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := r.reload(context.Background(), "test"); err != nil {
				t.Fatalf("the whole file: %v", err)
			}
		})
	}
}

// TestReloadSlowWriter: while a slow writer rewrites the file in place,
// reloads keep running; each one serves either the old configuration or
// the whole new one, never a part of it.
func TestReloadSlowWriter(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mailhelp.yaml")
	v1, v2 := safeV1(dir), safeV2(dir)
	if err := os.WriteFile(path, []byte(v1), 0o644); err != nil {
		t.Fatal(err)
	}
	r, a := testReloader(t, path)
	old := summary(a.Config())
	whole, err := config.Parse([]byte(v2))
	if err != nil {
		t.Fatal(err)
	}
	want := summary(whole)
	// The writer stops in the middle of every line, for longer than the
	// reloader's settle time: a reload may find the file settled, but
	// then it is cut in a line, whatever the scheduler does.
	var pieces []string
	from, start := 0, 0
	for _, line := range strings.SplitAfter(v2, "\n") {
		mid := start + len(line)/2
		if line != "" && mid > from {
			pieces = append(pieces, v2[from:mid])
			from = mid
		}
		start += len(line)
	}
	pieces = append(pieces, v2[from:])
	done := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			done <- err
			return
		}
		for _, p := range pieces {
			if _, err := f.WriteString(p); err != nil {
				done <- err
				return
			}
			time.Sleep(3 * time.Millisecond)
		}
		done <- f.Close()
	}()
	reloads, finished := 0, false
	for !finished {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			finished = true
		default:
		}
		_, _ = r.reload(context.Background(), "test")
		reloads++
		if got := summary(a.Config()); got != old && got != want {
			t.Fatalf("reload %d applied part of the file: %s", reloads, got)
		}
	}
	t.Logf("%d reloads while the file was written", reloads)
	if _, err := r.reload(context.Background(), "test"); err != nil {
		t.Fatalf("the finished file: %v", err)
	}
	if got := summary(a.Config()); got != want {
		t.Errorf("after the writer: %s, want %s", got, want)
	}
}

// TestReloadWaitsForTheFileToSettle: a writer that adds whole lines, each
// leaving a valid configuration, is waited for until the file stops
// changing; one that never stops is refused within the reload's budget.
func TestReloadWaitsForTheFileToSettle(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mailhelp.yaml")
	// The audit section first: its first seven lines are a configuration
	// that could be applied on its own (the same trail, one domain).
	v2 := auditFirst(dir)
	lines := strings.SplitAfter(v2, "\n")
	first := strings.Join(lines[:7], "")
	if _, err := config.Parse([]byte(first)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(safeV1(dir)), 0o644); err != nil {
		t.Fatal(err)
	}
	r, a := testReloader(t, path)
	if err := os.WriteFile(path, []byte(first), 0o644); err != nil {
		t.Fatal(err)
	}
	next := 7
	r.wait = func(ctx context.Context, d time.Duration) error {
		// Each settle period, the writer adds a line, until it is done.
		if next < len(lines) {
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				return err
			}
			_, _ = f.WriteString(lines[next])
			_ = f.Close()
			next++
		}
		return nil
	}
	if _, err := r.reload(context.Background(), "test"); err != nil {
		t.Fatalf("the settled file: %v", err)
	}
	whole, _ := config.Parse([]byte(v2))
	if got, want := summary(a.Config()), summary(whole); got != want {
		t.Fatalf("applied %s, want the whole file %s", got, want)
	}

	// A file that never stops changing.
	running := summary(a.Config())
	waits := 0
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r.wait = func(ctx context.Context, d time.Duration) error {
		if waits++; waits > 20 {
			cancel()
			return ctx.Err()
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return err
		}
		_, _ = fmt.Fprintf(f, "# %d\n", waits)
		return f.Close()
	}
	if _, err := r.reload(ctx, "test"); err == nil || !strings.Contains(err.Error(), "did not stay unchanged") {
		t.Errorf("a file that keeps changing: %v", err)
	}
	if got := summary(a.Config()); got != running {
		t.Errorf("after a refused reload: %s", got)
	}
}
