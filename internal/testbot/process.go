package testbot

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// buildMailhelp builds the mailhelp binary once per test binary: with
// the race detector when the tests have it (the packages are then
// already compiled).
var buildMailhelp = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "mailhelp-bin-")
	if err != nil {
		return "", err
	}
	_, here, _, _ := runtime.Caller(0)
	bin := filepath.Join(dir, "mailhelp")
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, "./cmd/mailhelp")...)
	cmd.Dir = filepath.Join(filepath.Dir(here), "..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/mailhelp: %w\n%s", err, out)
	}
	return bin, nil
})

// Process is one `mailhelp serve` process, as deployed: what it needs
// comes from its environment.
type Process struct {
	Cmd *exec.Cmd
	// URL is its web side, as it printed it.
	URL string
	// Logs is what it wrote to stderr.
	Logs *LogBuffer
	// Done is closed when it has exited.
	Done chan struct{}
}

// StartServe starts `mailhelp serve --listen 127.0.0.1:0` with env added
// to the test's environment (less any Slack, Discord or mailhelp
// setting of the machine's, such as a real token) and its own state
// directory, and returns once it has printed its address. It is killed
// when the test ends; its log is shown when the test failed.
func StartServe(t testing.TB, env ...string) *Process {
	t.Helper()
	bin, err := buildMailhelp()
	if err != nil {
		t.Fatal(err)
	}
	p := &Process{Logs: &LogBuffer{}, Done: make(chan struct{})}
	p.Cmd = exec.Command(bin, "serve", "--listen", "127.0.0.1:0")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SLACK_") && !strings.HasPrefix(kv, "DISCORD_") && !strings.HasPrefix(kv, "MAILHELP_") &&
			!strings.HasPrefix(kv, "STATE_DIRECTORY=") {
			p.Cmd.Env = append(p.Cmd.Env, kv)
		}
	}
	p.Cmd.Env = append(append(p.Cmd.Env, "STATE_DIRECTORY="+t.TempDir()), env...)
	p.Cmd.Stderr = p.Logs
	stdout, err := p.Cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = p.Cmd.Wait(); close(p.Done) }()
	t.Cleanup(func() {
		_ = p.Cmd.Process.Kill()
		<-p.Done
		if t.Failed() {
			t.Logf("log of mailhelp serve (pid %d):\n%s", p.Cmd.Process.Pid, p.Logs.String())
		}
	})
	type result struct {
		line string
		err  error
	}
	printed := make(chan result, 1)
	go func() {
		line, err := bufio.NewReader(stdout).ReadString('\n')
		printed <- result{line, err}
	}()
	var line string
	select {
	case r := <-printed:
		if r.err != nil {
			t.Fatalf("mailhelp serve printed no address: %v\n%s", r.err, p.Logs.String())
		}
		line = r.line
	case <-time.After(30 * time.Second):
		t.Fatalf("mailhelp serve printed no address within 30 s:\n%s", p.Logs.String())
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	p.URL = strings.TrimSpace(strings.TrimPrefix(line, "mailhelp is serving on "))
	return p
}

// Ready is the status and body of the process's /readyz.
func (p *Process) Ready(t testing.TB) (int, string) {
	t.Helper()
	resp, err := http.Get(p.URL + "readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	return resp.StatusCode, string(body)
}
