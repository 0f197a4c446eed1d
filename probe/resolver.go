package probe

import (
	"context"
	"net"
	"net/netip"
	"strings"
)

// PinnedResolver answers for pinned host names from its table and asks
// Next (net.DefaultResolver when nil) for the others: for a bot that
// cannot resolve internal names (split DNS).
type PinnedResolver struct {
	Hosts map[string]netip.Addr
	Next  Resolver
}

// LookupNetIP implements Resolver.
func (r PinnedResolver) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	if a, ok := r.Hosts[strings.ToLower(strings.TrimSuffix(host, "."))]; ok {
		return []netip.Addr{a}, nil
	}
	if r.Next != nil {
		return r.Next.LookupNetIP(ctx, network, host)
	}
	return net.DefaultResolver.LookupNetIP(ctx, network, host)
}
