package probe

import (
	"cmp"
	"context"
	"crypto/x509"
	"errors"
	"net"
	"net/netip"
	"os"
	"slices"
	"sync"
	"syscall"
	"time"
)

// Options configures a Checker. The zero value of each field means its
// default.
type Options struct {
	// Policy decides what may be dialed. Required.
	Policy *Policy
	// Budget bounds a whole check; default 15 s.
	Budget time.Duration
	// StepTimeout bounds each step (connect, TLS, each reply); default 5 s.
	StepTimeout time.Duration
	// SlowGreeting is when a greeting that does arrive earns a warning;
	// default 3 s.
	SlowGreeting time.Duration
	// MaxLineBytes bounds one line from a server; default 8 KiB.
	MaxLineBytes int
	// MaxConnBytes bounds what one connection may read; default 256 KiB.
	MaxConnBytes int64
	// Roots verify certificates; default the system roots.
	Roots *x509.CertPool
	// Now returns the current time; default time.Now.
	Now func() time.Time
}

// Credentials are for the optional authenticated check. The password is
// never logged nor put in a report.
type Credentials struct {
	Username string
	Password string
}

// Checker runs checks. It is safe for concurrent use. New does no I/O.
type Checker struct {
	opts      Options
	rootsOnce sync.Once
	rootPool  *x509.CertPool
}

// New returns a Checker.
func New(opts Options) *Checker {
	if opts.Budget <= 0 {
		opts.Budget = 15 * time.Second
	}
	if opts.StepTimeout <= 0 {
		opts.StepTimeout = 5 * time.Second
	}
	if opts.SlowGreeting <= 0 {
		opts.SlowGreeting = 3 * time.Second
	}
	if opts.MaxLineBytes <= 0 {
		opts.MaxLineBytes = 8 << 10
	}
	if opts.MaxConnBytes <= 0 {
		opts.MaxConnBytes = 256 << 10
	}
	if opts.Policy == nil {
		opts.Policy = &Policy{}
	}
	return &Checker{opts: opts}
}

func (c *Checker) now() time.Time {
	if c.opts.Now != nil {
		return c.opts.Now()
	}
	return time.Now()
}

func (c *Checker) roots() *x509.CertPool {
	if c.opts.Roots != nil {
		return c.opts.Roots
	}
	c.rootsOnce.Do(func() {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		c.rootPool = pool
	})
	return c.rootPool
}

// Check checks every endpoint of t concurrently, within the budget. It
// returns an error only when the policy refuses the target (errors.Is
// ErrPolicy) or the context is done before anything ran; every server-side
// failure is a problem in the report. creds, when not nil, adds a login on
// each IMAP endpoint and each submission endpoint whose certificate is
// valid.
func (c *Checker) Check(ctx context.Context, t Target, creds *Credentials) (*Report, error) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, c.opts.Budget)
	defer cancel()
	eps := slices.Clone(t.Endpoints)
	if len(eps) == 0 {
		eps = DefaultEndpoints()
	}
	for _, e := range eps {
		if !c.opts.Policy.AllowPort(e.Port) {
			return nil, &PolicyError{Host: t.Host, Code: "port", Reason: "not a mail port"}
		}
	}
	rep := &Report{Host: t.Host, Started: start.UTC(), Endpoints: make([]EndpointReport, len(eps))}

	// Resolve each host once, through the policy; a refusal of any host
	// refuses the check.
	type resolved struct {
		addrs []netip.Addr
		err   error
		ms    int64
	}
	hosts := make(map[string]*resolved)
	for i := range eps {
		if eps[i].Host == "" {
			eps[i].Host = t.Host
		}
		if _, ok := hosts[eps[i].Host]; ok {
			continue
		}
		t0 := time.Now()
		dctx, dcancel := context.WithTimeout(ctx, c.opts.StepTimeout)
		addrs, err := c.opts.Policy.Resolve(dctx, eps[i].Host)
		dcancel()
		var pe *PolicyError
		if errors.As(err, &pe) {
			return nil, err
		}
		hosts[eps[i].Host] = &resolved{addrs: addrs, err: err, ms: time.Since(t0).Milliseconds()}
		for _, a := range addrs {
			rep.Addresses = append(rep.Addresses, a.String())
		}
	}
	var wg sync.WaitGroup
	for i, e := range eps {
		r := &rep.Endpoints[i]
		res := hosts[e.Host]
		if e.Host == t.Host {
			e.Host = "" // reported only when it differs
		}
		r.Endpoint = e
		r.Timings.DNS = res.ms
		if res.err != nil {
			code := CodeDNS
			if isTimeout(res.err) {
				code = CodeTimeout
			}
			r.add(problem(code, "%v", res.err))
			continue
		}
		host := cmp.Or(e.Host, t.Host)
		wg.Go(func() {
			epStart := time.Now()
			c.checkEndpoint(ctx, host, res.addrs, r, creds)
			r.Timings.Total = time.Since(epStart).Milliseconds() + res.ms
		})
	}
	wg.Wait()
	for i := range rep.Endpoints {
		rep.Endpoints[i].Status = endpointStatus(&rep.Endpoints[i])
	}
	rep.Verdict, rep.Recommended = verdict(rep.Endpoints)
	rep.DurationMS = time.Since(start).Milliseconds()
	return rep, nil
}

// checkEndpoint connects to the first address that answers and runs the
// protocol's steps.
func (c *Checker) checkEndpoint(ctx context.Context, host string, addrs []netip.Addr, r *EndpointReport, creds *Credentials) {
	t0 := time.Now()
	conn, err := c.dial(ctx, addrs, r)
	r.Timings.Connect = time.Since(t0).Milliseconds()
	if err != nil {
		r.add(connectProblem(err))
		return
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	bc := &budgetConn{Conn: conn, left: c.opts.MaxConnBytes}
	s := &session{c: c, ctx: ctx, host: host, rep: r, raw: bc, creds: creds}
	switch r.Protocol {
	case IMAP:
		s.imap()
	case SMTP:
		s.smtp()
	}
}

// dial tries the checked addresses in order; only these are dialed.
func (c *Checker) dial(ctx context.Context, addrs []netip.Addr, r *EndpointReport) (net.Conn, error) {
	var d net.Dialer
	var last error
	for _, a := range addrs {
		dctx, cancel := context.WithTimeout(ctx, c.opts.StepTimeout)
		conn, err := d.DialContext(dctx, "tcp", netip.AddrPortFrom(a, uint16(r.Port)).String())
		cancel()
		if err == nil {
			r.Address = conn.RemoteAddr().String()
			return conn, nil
		}
		last = err
		if ctx.Err() != nil {
			break
		}
	}
	return nil, last
}

func connectProblem(err error) Problem {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return problem(CodeRefused, "connection refused: nothing listens on this port")
	case isTimeout(err):
		return problem(CodeTimeout, "no answer to the connection attempt")
	default:
		return problem(CodeUnreachable, "%v", err)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout())
}
