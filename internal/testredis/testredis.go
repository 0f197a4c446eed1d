// Package testredis runs a private redis-server on loopback for tests:
// its own port, its own directory in the test's temporary directory, no
// persistence (--save "" --appendonly no), stopped when the test ends.
// A test may Stop it mid-test to simulate an outage and Restart it on
// the same port to test recovery.
//
// A redis-server already running on the machine (the system service on
// 6379) is never used. Start fails the test (it does not skip it) when
// redis-server is not installed: the test command installs it
// (scripts/test.sh, Debian package redis-server).
package testredis

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Host is the address the server listens on.
const Host = "127.0.0.1"

// startTimeout bounds how long Start and Restart wait for PING to be
// answered.
const startTimeout = 10 * time.Second

// Server is a running (or stopped) private redis-server.
type Server struct {
	// Addr is host:port.
	Addr string
	// Dir is the server's working directory.
	Dir string

	bin  string
	port int

	mu   sync.Mutex
	proc *process // nil when stopped
}

// process is one run of redis-server.
type process struct {
	cmd  *exec.Cmd
	done chan struct{}
	out  *lockedBuffer
}

// Start runs a redis-server for the duration of the test.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		bin = "/usr/bin/redis-server"
		if _, err2 := os.Stat(bin); err2 != nil {
			t.Fatalf("redis-server is missing (%v): install the Debian package redis-server (./scripts/test.sh does, as root)", err)
		}
	}
	s := &Server{bin: bin, Dir: t.TempDir(), port: freePort(t)}
	s.Addr = net.JoinHostPort(Host, strconv.Itoa(s.port))
	t.Cleanup(func() {
		if t.Failed() {
			s.mu.Lock()
			if s.proc != nil {
				t.Logf("redis-server output:\n%s", s.proc.out.String())
			}
			s.mu.Unlock()
		}
		s.Stop()
	})
	s.start(t)
	return s
}

// URL is the server's URL, database 0.
func (s *Server) URL() string { return "redis://" + s.Addr + "/0" }

// Stop kills the server at once, as a crash would; calls to it then
// fail (connection refused). Stopping a stopped server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	p := s.proc
	s.proc = nil
	s.mu.Unlock()
	if p == nil {
		return
	}
	_ = p.cmd.Process.Kill()
	<-p.done
}

// Restart starts the server again on the same port (stopping it first
// if it runs), with an empty database, and waits until it answers.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	s.start(t)
}

func (s *Server) start(t testing.TB) {
	t.Helper()
	out := &lockedBuffer{}
	cmd := exec.Command(s.bin,
		"--port", strconv.Itoa(s.port),
		"--bind", Host,
		"--save", "",
		"--appendonly", "no",
		"--dir", s.Dir,
		"--daemonize", "no",
		"--logfile", "",
		"--loglevel", "warning",
	)
	cmd.Dir = s.Dir
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	p := &process{cmd: cmd, done: make(chan struct{}), out: out}
	go func() { _ = cmd.Wait(); close(p.done) }()
	s.mu.Lock()
	s.proc = p
	s.mu.Unlock()
	deadline := time.Now().Add(startTimeout)
	for {
		err := ping(s.Addr)
		if err == nil {
			return
		}
		select {
		case <-p.done:
			t.Fatalf("redis-server exited at once:\n%s", out.String())
		default:
		}
		if time.Now().After(deadline) {
			s.Stop()
			t.Fatalf("redis-server on %s does not answer PING after %s: %v\n%s", s.Addr, startTimeout, err, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ping sends PING and expects +PONG, within a second.
func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "+PONG" {
		return fmt.Errorf("PING answered %q", strings.TrimSpace(line))
	}
	return nil
}

// freePort returns a port nothing listens on at the moment.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(Host, "0"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// lockedBuffer keeps the first MiB of a process's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 1<<20 {
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
