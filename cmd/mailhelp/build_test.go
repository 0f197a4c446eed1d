package main

import (
	"bufio"
	"context"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDockerBuild builds the binary with scripts/build.sh, the step the
// Dockerfile runs, and checks what the image relies on: a static binary
// (the distroless base has no libc), that serves and answers its own
// healthcheck. No Docker engine is needed; the Dockerfile is checked to
// use exactly this script.
func TestDockerBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	df, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"RUN ./scripts/build.sh /out/mailhelp", "FROM gcr.io/distroless/static-debian12:nonroot",
		"USER nonroot", "EXPOSE 8080", `CMD ["/mailhelp", "healthcheck"`, `CMD ["serve", "--listen", "0.0.0.0:8080"]`} {
		if !strings.Contains(string(df), want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}

	bin := filepath.Join(t.TempDir(), "mailhelp")
	build := exec.Command("bash", filepath.Join("..", "..", "scripts", "build.sh"), bin)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("scripts/build.sh: %v\n%s", err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary needs a dynamic loader; the distroless static image has none")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary links %v", libs)
	}
	f.Close()

	if out, err := exec.Command(bin, "version").Output(); err != nil || !strings.HasPrefix(string(out), "mailhelp ") {
		t.Errorf("version: %v %q", err, out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	serve := exec.CommandContext(ctx, bin, "serve", "--listen", "127.0.0.1:0")
	serve.Env = append(os.Environ(), "MAILHELP_CONFIG="+offlineConfig)
	stdout, _ := serve.StdoutPipe()
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	url := strings.TrimSpace(strings.TrimPrefix(line, "mailhelp is serving on ")) + "healthz"
	if out, err := exec.Command(bin, "healthcheck", "--url", url).CombinedOutput(); err != nil {
		t.Errorf("healthcheck of a running serve: %v %s", err, out)
	}
	_ = serve.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- serve.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve did not stop cleanly: %v", err)
		}
	case <-time.After(25 * time.Second):
		t.Fatal("serve did not stop on SIGINT")
	}
	if err := exec.Command(bin, "healthcheck", "--url", url).Run(); err == nil {
		t.Error("healthcheck passed with nothing serving")
	}
}
