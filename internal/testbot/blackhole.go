package testbot

import (
	"net"
	"sync"
	"testing"
)

// BlackholeDNS listens for DNS on UDP and TCP at one loopback port and
// never answers: a live check resolving through it (check.dns) takes
// its whole budget. It returns the address; the test's end closes it.
func BlackholeDNS(t testing.TB) string {
	t.Helper()
	tl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ul, err := net.ListenPacket("udp", tl.Addr().String())
	if err != nil {
		tl.Close()
		t.Fatal(err)
	}
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for {
			c, err := tl.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		tl.Close()
		ul.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	return tl.Addr().String()
}
