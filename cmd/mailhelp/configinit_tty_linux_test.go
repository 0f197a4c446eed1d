package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/mailhelp/mailhelp/internal/golden"
)

// openPTY opens a pseudo-terminal: what is written to master is typed
// on slave, a real terminal.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { master.Close() })
	if err := unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(master.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { slave.Close() })
	return master, slave
}

// TestIsTerminal: a terminal is one; a pipe, a file and /dev/null (a
// character device too) are not.
func TestIsTerminal(t *testing.T) {
	_, slave := openPTY(t)
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for name, tc := range map[string]struct {
		r    io.Reader
		want bool
	}{"terminal": {slave, true}, "/dev/null": {null, false}, "pipe": {r, false}, "file": {file, false}, "reader": {strings.NewReader(""), false}} {
		if got := isTerminal(tc.r); got != tc.want {
			t.Errorf("%s: isTerminal = %v", name, got)
		}
	}
}

// TestConfigInitAsksOnTerminal: on a terminal, config init asks for what
// no flag gave, offers defaults (Enter takes them), asks again after a
// wrong answer, and writes the same file as the flags would.
func TestConfigInitAsksOnTerminal(t *testing.T) {
	master, slave := openPTY(t)
	// domain, host, webmail (default), support (wrong, then right),
	// language (default).
	if _, err := master.WriteString("example.org\nmail.example.org\n\ncall Bob\nhelpdesk@example.org\n\n"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "mailhelp.yaml")
	var stdout, stderr bytes.Buffer
	m := &Main{Stdin: slave, Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
	if code := m.Run(context.Background(), []string{"config", "init", "--output", out}); code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, filepath.Join("config-init", "example.yaml"), string(data))
	for _, want := range []string{
		"Mail domain, the part after @ in users' addresses (e.g. example.org): ",
		"Webmail address [https://mail.example.org]: ",
		`  "call Bob" is neither an address like helpdesk@example.org nor a web page` + "\n" + "Support address",
		"Default answer language (en, de, es, fr) [en]: ",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("the questions lack %q:\n%s", want, stderr.String())
		}
	}
}

// TestConfigInitTerminalEOF: input ending (Ctrl-D) before every answer
// is given writes nothing and names the missing answer.
func TestConfigInitTerminalEOF(t *testing.T) {
	master, slave := openPTY(t)
	if _, err := master.WriteString("example.org\n\x04"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "mailhelp.yaml")
	var stdout, stderr bytes.Buffer
	m := &Main{Stdin: slave, Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
	code := m.Run(context.Background(), []string{"config", "init", "--output", out, "--lang", "fr"})
	if code != exitUsage || !strings.Contains(stderr.String(), "no answer for --host (end of input)") {
		t.Errorf("exit %d\n%s", code, stderr.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a file was written: %v", err)
	}
}
