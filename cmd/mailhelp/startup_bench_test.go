package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkStartup runs whole one-shot commands of the binary the Docker
// image ships (scripts/build.sh: static, stripped), each run alternating
// with a Go hello-world built the same way, and reports the command's
// mean wall time (ns/op) and, less sensitive to a shared machine, the
// medians of its wall time (p50-ms), of its CPU time, user and system
// (cpu-p50-ms), of the hello-world's wall time (hello-p50-ms), and the
// ratio of the two wall times (x-hello). Nothing is asserted about
// times.
//
//	go test ./cmd/mailhelp -run XXX -bench BenchmarkStartup -count 5
//
// The commands need no network: ask answers from the built-in
// configuration, check is refused by the dial policy before it dials,
// config check validates the built-in configuration's file.
func BenchmarkStartup(b *testing.B) {
	if testing.Short() {
		b.Skip("builds the binary")
	}
	dir := b.TempDir()
	bin := filepath.Join(dir, "mailhelp")
	if out, err := exec.Command("bash", filepath.Join("..", "..", "scripts", "build.sh"), bin).CombinedOutput(); err != nil {
		b.Fatalf("scripts/build.sh: %v\n%s", err, out)
	}
	hello := buildHello(b, dir)
	defaultConfig, err := filepath.Abs(filepath.Join("..", "..", "config", "default.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	// A home of its own: the audit trail of the built-in configuration
	// goes in its state directory.
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + filepath.Join(dir, "home")}
	commands := []struct {
		name string
		args []string
		exit int
	}{
		{"ask", []string{"ask", "which ports"}, exitOK},
		{"check", []string{"check", "--host", "127.0.0.1"}, exitFail},
		{"config-check", []string{"config", "check", defaultConfig}, exitOK},
		{"version", []string{"version"}, exitOK},
	}
	for _, c := range commands {
		b.Run(c.name, func(b *testing.B) {
			var hellos, walls, cpus []time.Duration
			b.ResetTimer()
			for range b.N {
				b.StopTimer() // ns/op is the command's alone
				w, _ := runOnce(b, env, hello, nil, exitOK)
				hellos = append(hellos, w)
				b.StartTimer()
				w, c := runOnce(b, env, bin, c.args, c.exit)
				walls = append(walls, w)
				cpus = append(cpus, c)
			}
			b.ReportMetric(median(walls), "p50-ms")
			b.ReportMetric(median(cpus), "cpu-p50-ms")
			b.ReportMetric(median(hellos), "hello-p50-ms")
			b.ReportMetric(median(walls)/median(hellos), "x-hello")
		})
	}
}

// median is the middle of ds, in milliseconds.
func median(ds []time.Duration) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	return float64(s[len(s)/2].Microseconds()) / 1e3
}

// runOnce runs bin with args and returns its wall and CPU times, failing
// on another exit code than exit.
func runOnce(b *testing.B, env []string, bin string, args []string, exit int) (wall, cpu time.Duration) {
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	start := time.Now()
	err := cmd.Run()
	wall = time.Since(start)
	if code := cmd.ProcessState.ExitCode(); code != exit {
		b.Fatalf("%s %q: exit %d (%v), want %d", filepath.Base(bin), args, code, err, exit)
	}
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// buildHello builds a Go hello-world as scripts/build.sh builds
// mailhelp: static, stripped, reproducible paths.
func buildHello(b *testing.B, dir string) string {
	src := filepath.Join(dir, "hello")
	if err := os.MkdirAll(src, 0o755); err != nil {
		b.Fatal(err)
	}
	files := map[string]string{
		"go.mod":  "module hello\n\ngo 1.26\n",
		"main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello, world\") }\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	bin := filepath.Join(dir, "hello-world")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, ".")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOWORK=off", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building a hello-world: %v\n%s", err, out)
	}
	return bin
}

// BenchmarkAskInProcess is what `mailhelp ask "which ports"` does once
// the process has started, run in this one: loading the built-in
// configuration, building the application, parsing what the answer
// needs, answering. Its allocations are the command's; what the process
// does once for all (the discovery of the languages) is counted once.
func BenchmarkAskInProcess(b *testing.B) {
	env := map[string]string{"HOME": b.TempDir()}
	b.ReportAllocs()
	for b.Loop() {
		m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return env[k] }}
		if code := m.Run(context.Background(), []string{"ask", "which ports"}); code != exitOK {
			b.Fatalf("exit %d", code)
		}
	}
}
