package verify

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"net/url"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/knowledge"
)

func TestCheckRefusesBadInput(t *testing.T) {
	c := New(Options{Resolver: hangingResolver{}})
	for _, tc := range []struct {
		name    string
		d       knowledge.Domain
		address string
		is      error
	}{
		{"bad domain", knowledge.Domain{Name: "not a domain", Host: "mail.domaine.test"}, "", knowledge.ErrInvalidDomain},
		{"not an address", testDomain, "postmaster", ErrAddress},
		{"another domain", testDomain, "jean@elsewhere.test", ErrAddress},
		{"header injection", testDomain, "jean@domaine.test\r\nX: y", ErrAddress},
	} {
		if _, err := c.Check(t.Context(), tc.d, tc.address); !errors.Is(err, tc.is) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.is)
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.Check(ctx, testDomain, ""); !errors.Is(err, context.Canceled) {
		t.Errorf("done context: %v", err)
	}
}

func TestCheckAliasAddress(t *testing.T) {
	d := testDomain
	d.Aliases = []string{"paris.domaine.test"}
	got, err := checkAddress(d, "domaine.test", "Jean@Paris.Domaine.Test")
	if err != nil || got != "Jean@paris.domaine.test" {
		t.Errorf("checkAddress = %q, %v", got, err)
	}
	// A sub-address is asked about as its login, without the tag.
	if got, err := checkAddress(d, "domaine.test", "bob+news@domaine.test"); err != nil || got != "bob@domaine.test" {
		t.Errorf("sub-address: %q, %v", got, err)
	}
}

// hangingResolver never answers until its context is done, and not even
// then for SRV records.
type hangingResolver struct{}

func (hangingResolver) LookupSRV(ctx context.Context, _, _, _ string) (string, []*net.SRV, error) {
	select {} // ignores its context
}

func (hangingResolver) LookupNetIP(ctx context.Context, _, _ string) ([]netip.Addr, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestHangingResolverBoundedByBudget(t *testing.T) {
	c := New(Options{Resolver: hangingResolver{}, Budget: 500 * time.Millisecond})
	t0 := time.Now()
	rep, err := c.Check(t.Context(), testDomain, "")
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(t0); d > 1500*time.Millisecond {
		t.Errorf("Check took %s", d)
	}
	if rep.Verdict != discovery.VerdictFail {
		t.Errorf("verdict %s", rep.Verdict)
	}
	for _, s := range rep.Sources {
		if s.Status != discovery.StatusFailed || s.Problems[0].Code != discovery.CodeFetchFailed || s.Problems[0].Detail != budgetDetail {
			t.Errorf("%s: %+v", s.Where, s)
		}
	}
}

func TestDialOnlyWebNames(t *testing.T) {
	c := New(Options{Resolver: hangingResolver{}, HTTPSPort: 8443, HTTPPort: 8080})
	hosts := &pinnedHosts{names: map[string]*pinned{}}
	for _, n := range webNames("domaine.test") {
		p := &pinned{done: make(chan struct{}), addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1")}}
		close(p.done)
		hosts.names[n] = p
	}
	w := newWebClient(c, hosts)
	defer w.close()
	if w.transport.Proxy != nil || w.client.Jar != nil || w.transport.MaxResponseHeaderBytes != 16<<10 {
		t.Error("the transport uses a proxy, cookies or unbounded headers")
	}
	for _, addr := range []string{"www.elsewhere.test:8443", "127.0.0.1:8443", "domaine.test:22", "autoconfig.domaine.test:443"} {
		if _, err := w.dial(t.Context(), "tcp", addr); !errors.Is(err, errNotAllowed) {
			t.Errorf("dial %s: %v, want refused", addr, err)
		}
	}
	for raw, want := range map[string]bool{
		"https://autoconfig.domaine.test:8443/x":   true,
		"https://DOMAINE.test.:8443/x":             true,
		"http://autodiscover.domaine.test:8080/x":  true,
		"https://autoconfig.domaine.test/x":        false, // 443, not the HTTPS port
		"https://autoconfig.domaine.test:8080/x":   false,
		"https://www.domaine.test:8443/x":          false,
		"https://u:p@autoconfig.domaine.test:8443": false,
		"ftp://autoconfig.domaine.test:8443/x":     false,
		"https://127.0.0.1:8443/x":                 false,
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := w.allowed(u); got != want {
			t.Errorf("allowed(%s) = %v, want %v", raw, got, want)
		}
	}
}

func TestNoProxyFromEnvironment(t *testing.T) {
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:1")
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:1")
	l := newLab(t, testDomain)
	rep, err := New(l.options()).Check(t.Context(), testDomain, "")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Verdict != discovery.VerdictOK {
		t.Errorf("verdict %s:\n%s", rep.Verdict, dump(rep))
	}
}

func TestAddressAskedAbout(t *testing.T) {
	l := newLab(t, testDomain)
	asked := make(chan string, 4)
	l.serveHTTPS(adPath, autodiscoverFunc(t, func(address string) []byte {
		asked <- address
		return discovery.Autodiscover(discovery.For(testDomain), address)
	}))
	rep, err := New(l.options()).Check(t.Context(), testDomain, "jean@domaine.test")
	if err != nil {
		t.Fatal(err)
	}
	if got := <-asked; got != "jean@domaine.test" {
		t.Errorf("Autodiscover asked about %q", got)
	}
	if rep.Verdict != discovery.VerdictOK {
		t.Errorf("verdict %s:\n%s", rep.Verdict, dump(rep))
	}
}
