package verify

import (
	"cmp"
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/knowledge"
)

// checkSRV looks up every service of discovery.Services concurrently and
// compares each with the record the domain should publish.
func (r *run) checkSRV(ctx context.Context) []result {
	want := discovery.Records(r.expected)
	out := make([]result, len(want))
	var wg sync.WaitGroup
	for i, rec := range want {
		wg.Go(func() { out[i] = r.srv(ctx, rec) })
	}
	wg.Wait()
	return out
}

// srv checks one service.
func (r *run) srv(ctx context.Context, want discovery.Record) result {
	name := want.Service + "." + r.domain
	res := newResult(discovery.KindSRV, name)
	field := string(want.Protocol)
	offered := want.Target != "."
	lctx, cancel := context.WithTimeout(ctx, r.c.opts.FetchTimeout)
	defer cancel()
	recs, err := lookupSRV(lctx, r.c.opts.Resolver, name)
	switch {
	case err != nil && notFound(err):
		res.src.Status = discovery.StatusMissing
		if offered {
			res.add(discovery.Problem{Code: discovery.CodeMissing, Field: field, Want: recordString(want.Target, want.Port),
				Against: discovery.AgainstConfigured, Detail: "no SRV record"})
		}
		return res
	case err != nil && len(recs) == 0:
		res.failed(discovery.Problem{Code: discovery.CodeFetchFailed, Field: cmp.Or(field, "document"), Detail: dnsDetail(err, ctx)})
		return res
	case err != nil:
		// Some records were dropped for names that are not host names.
		res.read = true
		res.add(discovery.Problem{Code: discovery.CodeInvalid, Field: cmp.Or(field, "document"), Detail: "DNS: " + err.Error()})
	}
	res.read = true
	got := preferred(recs, want)
	if got == nil {
		return res
	}
	gotTarget := strings.ToLower(strings.TrimSuffix(got.Target, "."))
	if gotTarget == "" {
		// The root: the service is decidedly not offered (RFC 2782).
		if offered {
			res.src.Status = discovery.StatusMissing
			res.add(discovery.Problem{Code: discovery.CodeMissing, Field: field, Want: recordString(want.Target, want.Port),
				Got: ".", Against: discovery.AgainstConfigured, Detail: "the record says the service is not offered"})
		}
		return res
	}
	if want.Protocol == "" {
		// POP3, which mailhelp does not offer: publishing it is the
		// domain's choice.
		return res
	}
	res.src.Found = &discovery.Settings{Domain: r.domain}
	sv := discovery.Server{Protocol: want.Protocol, Host: gotTarget, Port: int(got.Port), Security: want.Security}
	if want.Protocol == knowledge.IMAP {
		res.src.Found.Incoming = []discovery.Server{sv}
	} else {
		res.src.Found.Outgoing = []discovery.Server{sv}
	}
	if wantTarget := strings.ToLower(strings.TrimSuffix(want.Target, ".")); gotTarget != wantTarget {
		res.add(discovery.Problem{Code: discovery.CodeMismatchHost, Field: field, Want: wantTarget, Got: gotTarget,
			Against: discovery.AgainstConfigured})
	}
	if int(got.Port) != want.Port {
		res.add(discovery.Problem{Code: discovery.CodeMismatchPort, Field: field, Want: strconv.Itoa(want.Port),
			Got: strconv.Itoa(int(got.Port)), Against: discovery.AgainstConfigured})
	}
	return res
}

// preferred is the record clients use first: among those of the lowest
// priority, the one matching want if any, else the first by name and
// port (weights are a random choice, which a report must not be).
func preferred(recs []*net.SRV, want discovery.Record) *net.SRV {
	var best []*net.SRV
	for _, s := range recs {
		switch {
		case s == nil:
		case len(best) == 0 || s.Priority < best[0].Priority:
			best = []*net.SRV{s}
		case s.Priority == best[0].Priority:
			best = append(best, s)
		}
	}
	if len(best) == 0 {
		return nil
	}
	for _, s := range best {
		if strings.EqualFold(strings.TrimSuffix(s.Target, "."), strings.TrimSuffix(want.Target, ".")) && int(s.Port) == want.Port {
			return s
		}
	}
	slices.SortFunc(best, func(a, b *net.SRV) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Target), strings.ToLower(b.Target)), cmp.Compare(a.Port, b.Port))
	})
	return best[0]
}

// recordString shows an SRV record's target and port.
func recordString(target string, port int) string {
	if target == "." {
		return "."
	}
	return fmt.Sprintf("%s:%d", strings.TrimSuffix(target, "."), port)
}
