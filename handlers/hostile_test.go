package handlers

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/render"
	"github.com/mailhelp/mailhelp/probe"
)

// hostilePeers is a real probe.Checker whose endpoints are redirected to
// loopback servers that misbehave: each of the domain's endpoints gets
// the port of peers[protocol], the alternatives a closed port.
type hostilePeers struct {
	c     *probe.Checker
	peers map[probe.Protocol]int
	shut  int
}

func (h hostilePeers) Check(ctx context.Context, t probe.Target, creds *probe.Credentials) (*probe.Report, error) {
	var eps []probe.Endpoint
	seen := map[probe.Protocol]bool{}
	for _, e := range t.Endpoints {
		if e.Protocol == probe.SMTP && !e.Submission {
			continue
		}
		e.Host = "hostile.test"
		if seen[e.Protocol] {
			e.Port = h.shut
		} else {
			e.Port = h.peers[e.Protocol]
		}
		seen[e.Protocol] = true
		eps = append(eps, e)
	}
	return h.c.Check(ctx, probe.Target{Host: "hostile.test", Endpoints: eps}, creds)
}

// tarpit accepts connections and never says a word.
func tarpit(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { time.Sleep(3 * time.Second); c.Close() }()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

// closedPort is a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

// TestDiagnosisHostilePeers: a server that accepts and never answers is
// explained in terms of the problem (the check's budget bounds it).
func TestDiagnosisHostilePeers(t *testing.T) {
	pit, shut := tarpit(t), closedPort(t)
	checker := probe.New(probe.Options{
		Policy: &probe.Policy{Allowed: []string{"hostile.test"}, Ports: []int{pit, shut},
			Resolver: probe.PinnedResolver{Hosts: map[string]netip.Addr{"hostile.test": netip.MustParseAddr("127.0.0.1")}}},
		Budget: 2 * time.Second, StepTimeout: 300 * time.Millisecond,
	})
	tests := []struct {
		name, ask string
		peers     map[probe.Protocol]int
		want      string
	}{
		{"cannot_connect, the IMAP server never greets", "cannot connect, alice@domaine.com",
			map[probe.Protocol]int{probe.IMAP: pit, probe.SMTP: shut},
			"of hostile.test does not answer from here, and neither does its alternative"},
		{"cannot_send, the SMTP server never greets", "I can't send from alice@domaine.com",
			map[probe.Protocol]int{probe.IMAP: shut, probe.SMTP: pit},
			"No outgoing port of hostile.test works"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newCheckRouter(t, hostilePeers{c: checker, peers: tc.peers, shut: shut}, nil)
			reply := r.Serve(context.Background(), &bot.Request{Text: tc.ask, Platform: "test", ForceLang: "en"})
			if text := render.Text(reply); reply.Check == nil || !strings.Contains(text, tc.want) {
				t.Errorf("lacks %q:\n%s", tc.want, text)
			}
		})
	}
}
