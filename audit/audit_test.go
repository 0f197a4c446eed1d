package audit

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func readAll(t *testing.T, path string) []Entry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Entry
	if _, err := Read(f, Filter{}, func(e Entry) error { out = append(out, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRecordAndRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l, err := Open(path, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			if err := l.Record(Entry{Platform: "slack", User: "U" + string(rune('A'+i%3)), Action: "check", Target: "bm.domaine.com", Result: "ok"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	l.Close()
	got := readAll(t, path)
	if len(got) != 50 {
		t.Fatalf("%d entries", len(got))
	}
	f, _ := os.Open(path)
	defer f.Close()
	n := 0
	_, _ = Read(f, Filter{User: "UA", Since: time.Now().Add(-time.Minute)}, func(Entry) error { n++; return nil })
	if n != 17 {
		t.Errorf("filter matched %d, want 17", n)
	}
	if err := l.Record(Entry{Action: "check"}); err == nil {
		t.Error("recorded on a closed log")
	}
}

func TestNothingRecordedNothingWritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l, err := Open(path, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("file created with nothing recorded: %v", err)
	}
}

func TestRotation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l, err := Open(path, 400, 2)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		if err := l.Record(Entry{Platform: "web", User: "192.0.2.1", Action: "check", Target: "bm.domaine.com", Result: "ok"}); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	for _, p := range []string{path, path + ".1", path + ".2"} {
		st, err := os.Stat(p)
		if err != nil || st.Size() > 400 {
			t.Errorf("%s: %v, %d bytes", p, err, st.Size())
		}
	}
	if _, err := os.Stat(path + ".3"); err == nil {
		t.Error("kept more than 2 old files")
	}
}

func TestTornLineIsSkipped(t *testing.T) {
	in := `{"time":"2026-11-25T10:00:00Z","platform":"cli","user":"cli","action":"check","result":"ok"}` + "\n" + `{"time":"2026-11-25T10:00:01Z","platf`
	n := 0
	skipped, err := Read(strings.NewReader(in), Filter{}, func(Entry) error { n++; return nil })
	if err != nil || n != 1 || skipped != 1 {
		t.Errorf("n=%d skipped=%d err=%v", n, skipped, err)
	}
}

// TestSurvivesKill records two entries in a child process, kills it with
// SIGKILL between actions, and finds both entries intact.
func TestSurvivesKill(t *testing.T) {
	if path := os.Getenv("MAILHELP_AUDIT_CHILD"); path != "" {
		l, err := Open(path, 0, 0)
		if err != nil {
			os.Exit(3)
		}
		_ = l.Record(Entry{Platform: "slack", User: "U1", Action: "announce", Target: "domaine.com", Channel: "C1", Result: "posted"})
		_ = l.Record(Entry{Platform: "cli", User: "cli", Action: "check", Target: "bm.domaine.com", Result: "fail"})
		os.Stdout.WriteString("recorded\n")
		time.Sleep(time.Minute) // killed here, between two actions
		os.Exit(0)
	}
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	cmd := exec.Command(os.Args[0], "-test.run=^TestSurvivesKill$")
	cmd.Env = append(os.Environ(), "MAILHELP_AUDIT_CHILD="+path)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if line != "recorded\n" {
		t.Fatalf("child said %q", line)
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	got := readAll(t, path)
	if len(got) != 2 || got[0].Action != "announce" || got[1].Result != "fail" {
		t.Errorf("after the kill: %+v", got)
	}
}
