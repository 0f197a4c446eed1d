package web

import (
	"net/http"
	"net/netip"
	"strings"
)

// clientID identifies the sender for rate limits: the client's IP. It is
// the TCP peer's, unless the peer is one of Options.TrustedProxies: then
// it is the rightmost hop of X-Forwarded-For (or, without that header,
// of Forwarded) that is not a trusted proxy. Anyone else's headers are
// ignored, since anyone can send them.
func (s *Server) clientID(r *http.Request) string {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	client := peer.Addr().WithZone("").Unmap()
	if !s.trusted(client) {
		return client.String()
	}
	hops := forwardedFor(r.Header)
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parseHop(hops[i])
		if !ok {
			// Not an address ("unknown", an obfuscated name, garbage):
			// the last hop read is the nearest one known.
			break
		}
		client = hop
		if !s.trusted(hop) {
			break
		}
	}
	return client.String()
}

// trusted reports whether a is one of the trusted proxies.
func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.opts.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// forwardedFor lists the hops a request went through, the nearest last:
// X-Forwarded-For's, or when there is none, Forwarded's "for=" values.
// Every line of the header counts, in order. A proxy that writes
// Forwarded only must drop the client's X-Forwarded-For.
func forwardedFor(h http.Header) []string {
	var hops []string
	if xff := h.Values("X-Forwarded-For"); len(xff) > 0 {
		for _, line := range xff {
			for _, hop := range strings.Split(line, ",") {
				hops = append(hops, strings.TrimSpace(hop))
			}
		}
		return hops
	}
	for _, line := range h.Values("Forwarded") {
		for _, elem := range strings.Split(line, ",") {
			hop := "" // an element without for= is a hop we cannot name
			for _, pair := range strings.Split(elem, ";") {
				k, v, ok := strings.Cut(strings.TrimSpace(pair), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "for") {
					hop = strings.Trim(strings.TrimSpace(v), `"`)
				}
			}
			hops = append(hops, hop)
		}
	}
	return hops
}

// parseHop reads one hop: an IPv4 or IPv6 address, with or without a
// port ("198.51.100.1:4711", "[2001:db8::1]:4711").
func parseHop(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil && ap.Addr().Zone() == "" {
		return ap.Addr().Unmap(), true
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		if a, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil && a.Is6() && a.Zone() == "" {
			return a.Unmap(), true
		}
	}
	return netip.Addr{}, false
}
