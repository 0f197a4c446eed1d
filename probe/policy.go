package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
)

// Resolver looks up the addresses of a host; *net.Resolver implements it.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Policy decides which hosts, addresses and ports the probe may dial. It
// is the one place these rules live.
type Policy struct {
	// Allowed are the host names the administrator configured. They are
	// dialed whatever they resolve to: on-premise servers often live on
	// private addresses. It must not change once the policy is in use
	// (it is indexed on first use).
	Allowed []string
	// AllowAnyHost lets users check hosts that are not configured. Such
	// hosts must resolve only to public unicast addresses.
	AllowAnyHost bool
	// Ports are the ports that may be dialed; empty means the five mail
	// ports (25, 143, 465, 587, 993).
	Ports []int
	// Resolver resolves host names; nil means net.DefaultResolver.
	Resolver Resolver

	// allowed indexes Allowed, lowercase without a final dot.
	indexOnce sync.Once
	allowed   map[string]bool
}

// ErrPolicy is wrapped by every refusal of the policy.
var ErrPolicy = errors.New("refused by the dial policy")

// PolicyError says why a host may not be checked.
type PolicyError struct {
	Host string
	// Code is stable: "not_allowed" (an unconfigured host while only
	// configured ones may be checked), "blocked_address" (it resolves to a
	// private, loopback, metadata… address), "bad_host" (not a host name),
	// "port" (not a mail port).
	Code   string
	Reason string
}

func (e *PolicyError) Error() string {
	return fmt.Sprintf("%v: %s: %s (%s)", ErrPolicy, e.Host, e.Code, e.Reason)
}

// Unwrap makes errors.Is(err, ErrPolicy) true.
func (e *PolicyError) Unwrap() error { return ErrPolicy }

var defaultPorts = []int{25, 143, 465, 587, 993}

// AllowPort reports whether port may be dialed.
func (p *Policy) AllowPort(port int) bool {
	if len(p.Ports) == 0 {
		return slices.Contains(defaultPorts, port)
	}
	return slices.Contains(p.Ports, port)
}

// configured reports whether host (lowercase, no final dot) is one the
// administrator named: a set lookup, as a provider configures tens of
// thousands of servers.
func (p *Policy) configured(host string) bool {
	p.indexOnce.Do(func() {
		p.allowed = make(map[string]bool, len(p.Allowed))
		for _, a := range p.Allowed {
			p.allowed[strings.ToLower(strings.TrimSuffix(a, "."))] = true
		}
	})
	return p.allowed[host]
}

// Resolve returns the addresses of host that the probe may dial, checked
// against the policy: the caller must dial exactly these, so no second
// lookup can swap in another address (DNS rebinding).
func (p *Policy) Resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if !validHost(host) {
		return nil, &PolicyError{Host: host, Code: "bad_host", Reason: "not a host name or IP address"}
	}
	configured := p.configured(host)
	if !configured && !p.AllowAnyHost {
		return nil, &PolicyError{Host: host, Code: "not_allowed", Reason: "only configured mail servers may be checked"}
	}
	var addrs []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{ip}
	} else {
		r := p.Resolver
		if r == nil {
			r = net.DefaultResolver
		}
		addrs, err = r.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, fmt.Errorf("resolve %s: %w", host, err)
		}
		if len(addrs) == 0 {
			return nil, fmt.Errorf("resolve %s: no address", host)
		}
	}
	if configured {
		return addrs, nil
	}
	for _, a := range addrs {
		if why := BlockedReason(a); why != "" {
			return nil, &PolicyError{Host: host, Code: "blocked_address",
				Reason: fmt.Sprintf("it resolves to %s, a %s address", a, why)}
		}
	}
	return addrs, nil
}

// validHost accepts DNS names of letters, digits, hyphens and dots, and
// IP literals; never a URL, a port or user information.
func validHost(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}
