package verify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"
)

// Resolver looks up what a check needs from DNS; *net.Resolver
// implements it.
type Resolver interface {
	LookupSRV(ctx context.Context, service, proto, name string) (string, []*net.SRV, error)
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// webNames are the only names a check dials: the domain, and its
// autoconfig and autodiscover names.
func webNames(domain string) []string {
	return []string{domain, "autoconfig." + domain, "autodiscover." + domain}
}

// pinnedHosts are the web names' addresses, each looked up once: the
// HTTP client dials exactly these, so no later answer can swap in
// another address.
type pinnedHosts struct {
	names map[string]*pinned
}

type pinned struct {
	done  chan struct{}
	addrs []netip.Addr
	err   error
}

// resolveHosts starts looking up names concurrently, each within
// timeout and ctx.
func resolveHosts(ctx context.Context, r Resolver, timeout time.Duration, names []string) *pinnedHosts {
	h := &pinnedHosts{names: make(map[string]*pinned, len(names))}
	for _, n := range names {
		p := &pinned{done: make(chan struct{})}
		h.names[n] = p
		go func() {
			defer close(p.done)
			lctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			p.addrs, p.err = lookupIP(lctx, r, n)
		}()
	}
	return h
}

// errNotAllowed refuses a name that is not one of the web names.
var errNotAllowed = errors.New("not one of the domain's web names")

// addrs waits for name's addresses; name must be a web name.
func (h *pinnedHosts) addrs(ctx context.Context, name string) ([]netip.Addr, error) {
	p, ok := h.names[strings.ToLower(strings.TrimSuffix(name, "."))]
	if !ok {
		return nil, fmt.Errorf("%s: %w", name, errNotAllowed)
	}
	select {
	case <-p.done:
		return p.addrs, p.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// lookupIP resolves host, returning when ctx is done even if the
// resolver does not.
func lookupIP(ctx context.Context, r Resolver, host string) ([]netip.Addr, error) {
	type answer struct {
		addrs []netip.Addr
		err   error
	}
	ch := make(chan answer, 1)
	go func() {
		// Rooted, so that no search domain of the resolver's
		// configuration is tried.
		a, err := r.LookupNetIP(ctx, "ip", host+".")
		ch <- answer{a, err}
	}()
	select {
	case a := <-ch:
		if a.err != nil {
			return nil, fmt.Errorf("resolve %s: %w", host, a.err)
		}
		var out []netip.Addr
		for _, ip := range a.addrs {
			if ip.IsValid() {
				out = append(out, ip.Unmap())
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("resolve %s: %w", host, &net.DNSError{Err: "no address", Name: host, IsNotFound: true})
		}
		return out, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("resolve %s: %w", host, ctx.Err())
	}
}

// lookupSRV looks up the SRV records of name, returning when ctx is
// done even if the resolver does not.
func lookupSRV(ctx context.Context, r Resolver, name string) ([]*net.SRV, error) {
	type answer struct {
		recs []*net.SRV
		err  error
	}
	ch := make(chan answer, 1)
	go func() {
		_, recs, err := r.LookupSRV(ctx, "", "", name+".")
		ch <- answer{recs, err}
	}()
	select {
	case a := <-ch:
		return a.recs, a.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// notFound reports whether a DNS error says the name or record does not
// exist (NXDOMAIN, or no record of the type), as opposed to a failure.
func notFound(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && de.IsNotFound
}

// dnsDetail describes a DNS failure for a report.
func dnsDetail(err error, budget context.Context) string {
	if budgetSpent(budget) {
		return budgetDetail
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		if de.IsTimeout {
			return "DNS: timeout looking up " + de.Name
		}
		return "DNS: " + de.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "DNS: timeout"
	}
	return "DNS: " + err.Error()
}

// budgetSpent reports whether the check's budget is over: its context
// is done, or its deadline has passed — a child context may see the
// timeout before the budget's own context is marked done.
func budgetSpent(budget context.Context) bool {
	if budget.Err() != nil {
		return true
	}
	dl, ok := budget.Deadline()
	return ok && !time.Now().Before(dl)
}
