// Package verify checks what a domain publishes for mail clients'
// self-configuration — the DNS SRV records of RFC 6186, Mozilla
// autoconfig and Outlook's Autodiscover — and whether it matches the
// configured settings (discovery.For) and, optionally, what the live
// check of the configured server found.
//
// It fetches URLs on an administrator's behalf, so it dials only the
// web names derived from the configured domain (the domain itself,
// autoconfig.<domain> and autodiscover.<domain>), each resolved once and
// dialed at exactly the addresses found (no DNS rebinding), on the HTTPS
// and HTTP ports only, verifying certificates, without proxy or cookies,
// following at most three redirects among those names, and reading
// bounded documents within a bounded time.
//
// Sources are judged as clients use them: every SRV service, and of the
// autoconfig and Autodiscover URLs the first that answers a valid
// document (clients move on past one that fails or answers garbage; the
// later ones are skipped). A kind of source fails the check when what
// clients use is invalid or differs from the settings, or when nothing
// of that kind can be read but something is there (a certificate error,
// a timeout, an invalid answer); it is a warning when it is not
// published at all (missing, or nothing listening) or only insecurely.
package verify

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/probe"
)

// Options configures a Checker. The zero value of each field means its
// default.
type Options struct {
	// Resolver looks up SRV records and the web names' addresses; nil
	// means net.DefaultResolver.
	Resolver Resolver
	// Roots verify HTTPS certificates; nil means the system roots.
	// Certificates are always verified.
	Roots *x509.CertPool
	// Budget bounds a whole check; default 15 s.
	Budget time.Duration
	// FetchTimeout bounds each fetch (DNS lookup, or HTTP request and
	// its body); default 5 s.
	FetchTimeout time.Duration
	// HTTPSPort and HTTPPort are the ports dialed for https:// and
	// http:// URLs; default 443 and 80. Only tests and labs set them.
	HTTPSPort, HTTPPort int
	// Live, when set, runs the live check of the configured server; it
	// runs once per Check, concurrently with the fetches, with the
	// check's context (a report that comes after the budget is ignored),
	// and published servers are compared with what it found.
	Live func(ctx context.Context, d knowledge.Domain) (*probe.Report, error)
	// Now returns the current time, for Report.Started; default time.Now.
	Now func() time.Time
}

// Checker checks what domains publish. It is safe for concurrent use.
type Checker struct {
	opts Options
}

// New returns a Checker; it does no I/O.
func New(opts Options) *Checker {
	if opts.Resolver == nil {
		opts.Resolver = net.DefaultResolver
	}
	if opts.Budget <= 0 {
		opts.Budget = 15 * time.Second
	}
	if opts.FetchTimeout <= 0 {
		opts.FetchTimeout = 5 * time.Second
	}
	if opts.HTTPSPort <= 0 {
		opts.HTTPSPort = 443
	}
	if opts.HTTPPort <= 0 {
		opts.HTTPPort = 80
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Checker{opts: opts}
}

// ErrAddress is wrapped by the error Check returns for an address that
// is not an address of the checked domain or of one of its aliases.
var ErrAddress = errors.New("verify: not an address of the domain")

// run is the state of one Check.
type run struct {
	c        *Checker
	domain   string // canonical
	address  string
	expected discovery.Settings
	hosts    *pinnedHosts
	web      *webClient
}

// Check fetches what domain d publishes for clients' self-configuration
// and compares it with d's settings, within the budget. address is the
// address Autodiscover is asked about and username templates are
// expanded for; "" means postmaster@<domain>. Every failure of a
// published source is a problem in the report; Check returns an error
// only for a domain or address it cannot check, or a context already
// done.
func (c *Checker) Check(ctx context.Context, d knowledge.Domain, address string) (*discovery.Report, error) {
	t0 := time.Now()
	started := c.opts.Now().UTC()
	domain, err := knowledge.CanonicalDomain(d.Name)
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	address, err = checkAddress(d, domain, address)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Budget)
	defer cancel()

	lives := make(chan liveResult, 1)
	if c.opts.Live != nil {
		// The live check gets four fifths of the budget, so that its
		// result is there to compare with before the whole check ends.
		lctx, lcancel := context.WithTimeout(ctx, c.opts.Budget*4/5)
		go func() {
			defer lcancel()
			rep, err := c.opts.Live(lctx, d)
			lives <- liveResult{rep: rep, err: err}
		}()
	}
	r := &run{c: c, domain: domain, address: address, expected: discovery.For(d)}
	r.hosts = resolveHosts(ctx, c.opts.Resolver, c.opts.FetchTimeout, webNames(domain))
	r.web = newWebClient(c, r.hosts)
	defer r.web.close()

	var srv, ac, ad []result
	var wg sync.WaitGroup
	wg.Go(func() { srv = r.checkSRV(ctx) })
	wg.Go(func() { ac = r.autoconfig(ctx) })
	wg.Go(func() { ad = r.autodiscover(ctx) })
	wg.Wait()

	rep := &discovery.Report{Domain: domain, Started: started, Expected: r.expected}
	if c.opts.Live != nil {
		// Wait for the live check only as long as the budget allows.
		select {
		case lr := <-lives:
			switch {
			case lr.err != nil:
				rep.LiveError = clip(lr.err.Error())
			case lr.rep != nil:
				rep.Live = string(lr.rep.Verdict)
				compareLiveAll(ac, lr.rep)
				compareLiveAll(ad, lr.rep)
			}
		case <-ctx.Done():
			rep.LiveError = "the live check did not finish within the budget"
		}
	}
	all := slices.Concat(srv, ac, ad)
	for i := range all {
		all[i].settle()
		rep.Sources = append(rep.Sources, all[i].src)
	}
	rep.Verdict = verdict(all)
	rep.DurationMS = time.Since(t0).Milliseconds()
	return rep, nil
}

// liveResult is what the Live function returned.
type liveResult struct {
	rep *probe.Report
	err error
}

// checkAddress returns the address to ask about: postmaster@<domain> for
// "", else address, without a +tag, when it is one of the domain or its
// aliases.
func checkAddress(d knowledge.Domain, domain, address string) (string, error) {
	address = strings.TrimSpace(address)
	if address == "" {
		return "postmaster@" + domain, nil
	}
	i := strings.LastIndexByte(address, '@')
	if i <= 0 || len(address) > 254 || strings.ContainsAny(address, " \t\r\n<>\"(),;:\\[]") {
		return "", fmt.Errorf("%w: %q is not an address", ErrAddress, clip(address))
	}
	dom, err := knowledge.CanonicalDomain(address[i+1:])
	if err != nil {
		return "", fmt.Errorf("%w: %q: %w", ErrAddress, clip(address), err)
	}
	names := []string{domain}
	for _, a := range d.Aliases {
		if c, err := knowledge.CanonicalDomain(a); err == nil {
			names = append(names, c)
		}
	}
	if !slices.Contains(names, dom) {
		return "", fmt.Errorf("%w: %q is not of %s", ErrAddress, clip(address), domain)
	}
	// A sub-address (alice+news@) logs in as the address without its
	// tag, which is what Autodiscover answers: ask about that one.
	local := address[:i]
	if j := strings.IndexByte(local, '+'); j > 0 {
		local = local[:j]
	}
	return local + "@" + dom, nil
}

// clip shortens untrusted text for an error message or a Detail.
func clip(s string) string {
	const max = 80
	if len(s) > max {
		return strings.ToValidUTF8(s[:max], "") + "…"
	}
	return strings.ToValidUTF8(s, "�")
}
