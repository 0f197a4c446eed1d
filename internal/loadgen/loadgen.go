// Package loadgen measures mailhelp's web throughput against a plain
// net/http handler, side by side in one process: the real handler of
// mailhelp serve (app and bot/web wired as cmd/mailhelp wires them) on
// one loopback listener, a handler returning a body of the same size on
// another, and keep-alive connections sending requests to each target in
// turn for a while. Run reports requests per second, the median and 99th
// percentile latencies, the response size, errors, and the ratios that
// issue 17 sets targets for (API/plain and page/API). cmd/loadgen is its
// command line.
package loadgen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/mailhelp/mailhelp/bot/web"
	"github.com/mailhelp/mailhelp/config"
)

// Options configures Run. The zero value of a field means its default.
type Options struct {
	// Config is a YAML configuration; none means the embedded default,
	// or the generated configurations of Domains.
	Config []byte
	// Domains lists configurations to generate (DomainsYAML), one server
	// each: with several, every target is loaded on each in turn, in the
	// same rounds, so that their costs compare (1 and 100 000 domains).
	// Requests ask about the last domain, or about any with Spread.
	Domains []int
	// Spread spreads requests at random over the generated domains.
	Spread bool
	// Users spreads requests at random over this many people at the
	// domain (alice0@… to alice<Users-1>@…), so that no answer is the
	// same request as the one before; none asks about alice@… only.
	Users int
	// Conns is the number of keep-alive connections per target. Default
	// 64.
	Conns int
	// Duration is how long each target is loaded. Default 5s.
	Duration time.Duration
	// Rounds splits each target's Duration into this many slices, run
	// round-robin over the targets (plain, api, page, plain, api…), so
	// that other load on the machine weighs on every target alike.
	// Default 10.
	Rounds int
	// Targets names the targets to load, in this order (see
	// TargetNames); none means all. The plain handler is measured only
	// when named (or when none is).
	Targets []string
	// Log is the server's log, which mailhelp serve writes one line per
	// request to. Default: serve's JSON lines at level Info, written to
	// io.Discard (formatted, not written).
	Log *slog.Logger
}

// TargetNames are the targets Run knows, in their default order.
var TargetNames = []string{"plain", "api-en", "api-fr", "page-fr", "page-en", "page-iphone"}

// Result is one target's measurement.
type Result struct {
	// Name is the target's name, followed by its configuration's label
	// when several are compared ("page-fr@100000"); Target is the bare
	// name; Request its method and URL.
	Name, Target, Request string
	// Requests counts every response and failed exchange; Errors those
	// that were not a 200 with the expected answer (another status, a
	// refusal, a broken connection).
	Requests, Errors int64
	// Statuses counts responses by HTTP status.
	Statuses map[int]int64
	// FirstError describes the first error.
	FirstError string
	// Elapsed is how long the target was loaded.
	Elapsed time.Duration
	// P50 and P99 are latencies of the successful requests.
	P50, P99 time.Duration
	// Bytes is the mean body size of the successful responses.
	Bytes int
	// CPU is the process's CPU time (client and server, user and
	// system) while the target was loaded, when the platform tells it:
	// less sensitive to other programs' load than requests per second.
	CPU time.Duration

	lat   []time.Duration
	bytes int64
}

// CPUPerRequest is the process's CPU time per request, or 0 when
// unknown.
func (r Result) CPUPerRequest() time.Duration {
	if r.Requests == 0 {
		return 0
	}
	return r.CPU / time.Duration(r.Requests)
}

// RPS is the successful requests per second.
func (r Result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests-r.Errors) / r.Elapsed.Seconds()
}

// Report is a whole run.
type Report struct {
	// Conns, Duration, Rounds and Spread are what was run.
	Conns    int
	Duration time.Duration
	Rounds   int
	Spread   bool
	// Sets are the configurations served.
	Sets []Set
	// PlainBytes is the plain handler's body size: the API's English
	// answer's (on the first configuration).
	PlainBytes int
	Results    []Result
	// Notes say how the servers were set up.
	Notes []string
}

// Set is one configuration served.
type Set struct {
	// Label follows its results' names when several are compared
	// ("@100000"); it is empty otherwise.
	Label string
	// Domains is the number of generated domains; 0 for a given or the
	// embedded configuration.
	Domains int
	// Source says which configuration it is.
	Source string
	// Address is what requests ask about.
	Address string
}

// Errors is the number of failed requests over every target.
func (r *Report) Errors() int64 {
	var n int64
	for _, res := range r.Results {
		n += res.Errors
	}
	return n
}

// Result returns the named target's result.
func (r *Report) Result(name string) (Result, bool) {
	for _, res := range r.Results {
		if res.Name == name {
			return res, true
		}
	}
	return Result{}, false
}

// Ratio is a's throughput over b's; false when either was not measured
// or had errors (an error rate makes a ratio meaningless).
func (r *Report) Ratio(a, b string) (float64, bool) {
	ra, okA := r.Result(a)
	rb, okB := r.Result(b)
	if !okA || !okB || ra.Errors > 0 || rb.Errors > 0 || rb.RPS() == 0 {
		return 0, false
	}
	return ra.RPS() / rb.RPS(), true
}

// CPURatio is b's CPU time per request over a's, in the same sense as
// Ratio (a's requests per CPU second over b's); false when either is
// unknown or had errors. On a machine other programs load, it varies
// far less than throughput.
func (r *Report) CPURatio(a, b string) (float64, bool) {
	ra, okA := r.Result(a)
	rb, okB := r.Result(b)
	if !okA || !okB || ra.Errors > 0 || rb.Errors > 0 || ra.CPUPerRequest() == 0 || rb.CPUPerRequest() == 0 {
		return 0, false
	}
	return float64(rb.CPUPerRequest()) / float64(ra.CPUPerRequest()), true
}

// writeRatio writes one ratio line: throughput, and CPU per request.
func (r *Report) writeRatio(buf *bytes.Buffer, a, b, goal string) {
	v, ok := r.Ratio(a, b)
	if !ok {
		return
	}
	fmt.Fprintf(buf, "ratio %s/%s = %.2f", a, b, v)
	if c, ok := r.CPURatio(a, b); ok {
		fmt.Fprintf(buf, " (by CPU per request: %.2f)", c)
	}
	if goal != "" {
		buf.WriteString("  goal " + goal)
	}
	buf.WriteString("\n")
}

// ratios are the ratios the report prints: issue 17 wants the API within
// 2× of plain (≥ 0.5) and pages within 2× of the API.
var ratios = []struct{ a, b, goal string }{
	{"api-en", "plain", "≥ 0.5"},
	{"api-fr", "plain", "≥ 0.5"},
	{"page-fr", "api-fr", "≥ 0.5"},
	{"page-en", "api-en", "≥ 0.5"},
	{"page-iphone", "api-en", ""},
}

// WriteTo writes the report as a table, then the ratios; a run with
// errors says so instead of giving ratios.
func (r *Report) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "loadgen: %d keep-alive connections per target, %s each in %d rounds, GOMAXPROCS %d\n",
		r.Conns, r.Duration, r.Rounds, runtime.GOMAXPROCS(0))
	for _, set := range r.Sets {
		fmt.Fprintf(&buf, "  configuration%s: %s, address %s\n", set.Label, set.Source, set.Address)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&buf, "  %s\n", n)
	}
	buf.WriteString("\n")
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\trequests/s\tp50\tp99\tbytes\tcpu/req\trequests\terrors\t")
	for _, res := range r.Results {
		cpu := "?"
		if res.CPU > 0 {
			cpu = strconv.FormatInt(res.CPUPerRequest().Microseconds(), 10) + "µs"
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%d\t%s\t%d\t%d\t\n", res.Name, res.RPS(), ms(res.P50), ms(res.P99),
			res.Bytes, cpu, res.Requests, res.Errors)
	}
	_ = tw.Flush()
	buf.WriteString("\n")
	width := 0
	for _, res := range r.Results {
		width = max(width, len(res.Name))
	}
	for _, res := range r.Results {
		fmt.Fprintf(&buf, "  %-*s  %s\n", width, res.Name, res.Request)
	}
	buf.WriteString("\n")
	if n := r.Errors(); n > 0 {
		fmt.Fprintf(&buf, "ERRORS: %d failed requests; ratios are not given\n", n)
		for _, res := range r.Results {
			if res.Errors > 0 {
				fmt.Fprintf(&buf, "  %s: %d of %d, statuses %v; first: %s\n", res.Name, res.Errors, res.Requests, res.Statuses, res.FirstError)
			}
		}
	} else {
		for _, set := range r.Sets {
			for _, ra := range ratios {
				b := ra.b
				if b != "plain" {
					b += set.Label
				}
				r.writeRatio(&buf, ra.a+set.Label, b, ra.goal)
			}
		}
		// The same target on each configuration against the first.
		for _, set := range r.Sets[min(1, len(r.Sets)):] {
			for _, res := range r.Results {
				if res.Target != "plain" && res.Name == res.Target+set.Label {
					r.writeRatio(&buf, res.Name, res.Target+r.Sets[0].Label, "0.9–1.1")
				}
			}
		}
	}
	n, err := w.Write(buf.Bytes())
	return int64(n), err
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 2, 64) + "ms"
}

// target is one kind of request.
type target struct {
	name string
	// request is the raw HTTP/1.1 request about address, for host.
	request func(host, address string) []byte
	// display is its method and URL, for the report.
	display func(address string) string
	// ok reports whether a 200 response's body is the expected answer
	// about address, not a refusal; want is the plain body's size.
	ok func(body []byte, want int, address string) bool
}

func get(path string) func(host, address string) []byte {
	return func(host, address string) []byte {
		return []byte("GET " + path + url.QueryEscape(address) + " HTTP/1.1\r\nHost: " + host +
			"\r\nUser-Agent: mailhelp-loadgen\r\nAccept: text/html\r\nAccept-Language: en\r\n\r\n")
	}
}

func post(text string) func(host, address string) []byte {
	return func(host, address string) []byte {
		body := `{"text":"` + fmt.Sprintf(text, address) + `"}`
		return []byte("POST /api/v1/ask HTTP/1.1\r\nHost: " + host +
			"\r\nUser-Agent: mailhelp-loadgen\r\nContent-Type: application/json\r\nContent-Length: " +
			strconv.Itoa(len(body)) + "\r\n\r\n" + body)
	}
}

// An answer (not a refusal): the API's JSON has no reply code, the
// page's article is a configure answer without a refusal's title.
func apiAnswer(body []byte, _ int, address string) bool {
	return bytes.HasPrefix(body, []byte(`{"intent":"configure",`)) && !bytes.Contains(body, []byte(`"code":"`)) &&
		bytes.Contains(body, []byte(address))
}

func pageAnswer(body []byte, _ int, address string) bool {
	return bytes.Contains(body, []byte(`data-intent="configure"`)) && !bytes.Contains(body, []byte(`class="title refusal"`)) &&
		bytes.Contains(body, []byte(address))
}

var targets = map[string]target{
	"plain": {name: "plain",
		request: func(host, _ string) []byte {
			return []byte("GET /plain HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: mailhelp-loadgen\r\n\r\n")
		},
		display: func(string) string { return "GET /plain (same size as api-en)" },
		ok:      func(body []byte, want int, _ string) bool { return len(body) == want }},
	"api-en": {name: "api-en", request: post("configure BlackBerry for %s"), ok: apiAnswer,
		display: func(a string) string { return `POST /api/v1/ask {"text":"configure BlackBerry for ` + a + `"}` }},
	"api-fr": {name: "api-fr", request: post("Comment configurer mon BlackBerry pour %s ?"), ok: apiAnswer,
		display: func(a string) string {
			return `POST /api/v1/ask {"text":"Comment configurer mon BlackBerry pour ` + a + ` ?"}`
		}},
	"page-fr": {name: "page-fr", request: get("/fr/blackberry10?address="), ok: pageAnswer,
		display: func(a string) string { return "GET /fr/blackberry10?address=" + a }},
	"page-en": {name: "page-en", request: get("/en/blackberry10?address="), ok: pageAnswer,
		display: func(a string) string { return "GET /en/blackberry10?address=" + a }},
	"page-iphone": {name: "page-iphone", request: get("/en/iphone?address="), ok: pageAnswer,
		display: func(a string) string { return "GET /en/iphone?address=" + a + " (profile, QR code)" }},
}

// defaultAddress is what requests ask about in a configuration given or
// built in: the embedded default's domain.
const defaultAddress = "alice@domaine.com"

// server is one configuration's mailhelp server.
type server struct {
	set   Set
	host  string
	addrs addresses
}

// Run builds the servers, checks one request of each target on each,
// then loads the targets in turn. It returns an error when the servers
// cannot be built or a target's first answer is not the expected one;
// errors under load are counted in the report.
func Run(ctx context.Context, opts Options) (*Report, error) {
	if opts.Conns <= 0 {
		opts.Conns = 64
	}
	if opts.Duration <= 0 {
		opts.Duration = 5 * time.Second
	}
	if opts.Rounds <= 0 {
		opts.Rounds = 10
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	if opts.Config != nil && len(opts.Domains) > 0 {
		return nil, errors.New("loadgen: a configuration or generated domains, not both")
	}
	names := opts.Targets
	if len(names) == 0 {
		names = TargetNames
	}
	for _, n := range names {
		if _, ok := targets[n]; !ok {
			return nil, fmt.Errorf("loadgen: unknown target %q (known: %v)", n, TargetNames)
		}
	}
	rep := &Report{Conns: opts.Conns, Duration: opts.Duration, Rounds: opts.Rounds, Spread: opts.Spread}
	servers, stop, err := startServers(opts, rep)
	defer stop()
	if err != nil {
		return nil, err
	}
	// The plain body is the size of the API's English answer.
	size, err := probe(servers[0].host, targets["api-en"], servers[0].addrs.first, 0)
	if err != nil {
		return nil, err
	}
	rep.PlainBytes = size
	plain, stopPlain, err := listen(&http.Server{Handler: Plain(size)})
	if err != nil {
		return nil, err
	}
	defer stopPlain()

	// Every target on every server, plain once; each checked once.
	type job struct {
		t     target
		host  string
		addrs addresses
		label string
	}
	var jobs []job
	for _, n := range names {
		if n == "plain" {
			jobs = append(jobs, job{targets[n], plain, servers[0].addrs, ""})
			continue
		}
		for _, srv := range servers {
			jobs = append(jobs, job{targets[n], srv.host, srv.addrs, srv.set.Label})
		}
	}
	for _, j := range jobs {
		if _, err := probe(j.host, j.t, j.addrs.first, size); err != nil {
			return nil, err
		}
	}
	results := make([]Result, len(jobs))
	slice := opts.Duration / time.Duration(opts.Rounds)
	for range opts.Rounds {
		for i, j := range jobs {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			runtime.GC() // each slice starts with the same heap
			res := load(ctx, j.host, j.t, j.addrs, size, opts, slice)
			res.Name += j.label
			results[i].add(res)
		}
	}
	for i := range results {
		results[i].finish()
	}
	rep.Results = results
	return rep, nil
}

// startServers starts one mailhelp server per configuration, and returns
// them and what stops them all.
func startServers(opts Options, rep *Report) ([]server, func(), error) {
	var stops []func()
	stop := func() {
		for _, f := range stops {
			f()
		}
	}
	domains := opts.Domains
	if len(domains) == 0 {
		domains = []int{0}
	}
	var servers []server
	for _, n := range domains {
		cfg, addrs, err := configOf(opts.Config, n, opts.Spread)
		if err != nil {
			return nil, stop, fmt.Errorf("loadgen: configuration: %w", err)
		}
		addrs = addrs.withUsers(opts.Users)
		h, a, err := Mailhelp(cfg, opts.Log)
		if err != nil {
			return nil, stop, err
		}
		stops = append(stops, a.Close)
		host, stopServer, err := listen(web.HTTPServer("127.0.0.1:0", h, opts.Log))
		if err != nil {
			return nil, stop, err
		}
		stops = append(stops, stopServer)
		set := Set{Domains: n, Address: addrs.shown, Source: "the embedded default"}
		switch {
		case opts.Config != nil:
			set.Source = "the given one"
		case n > 0 && opts.Spread:
			set.Source = strconv.Itoa(n) + " generated domains, asked about at random"
		case n > 0:
			set.Source = strconv.Itoa(n) + " generated domains"
		}
		if len(domains) > 1 {
			set.Label = "@" + strconv.Itoa(n)
		}
		servers = append(servers, server{set: set, host: host, addrs: addrs})
		rep.Sets = append(rep.Sets, set)
		if rep.Notes == nil {
			rep.Notes = notes(cfg)
		}
	}
	return servers, stop, nil
}

// addresses are what requests ask about: one address, or with spread
// one of alice@d0.example … alice@d<n-1>.example at random, and with
// users one of alice0@… alice<users-1>@… at random.
type addresses struct {
	// first is asked about by probes, and by every request without
	// spread nor users; shown names them in the report.
	first, shown string
	// domain is the domain of first.
	domain        string
	spread, users int
}

// withUsers spreads a's requests over n people.
func (a addresses) withUsers(n int) addresses {
	if n <= 0 {
		return a
	}
	local, _, _ := strings.Cut(a.shown, "@")
	a.users, a.first = n, "alice0@"+a.domain
	a.shown = local + "{0…" + strconv.Itoa(n-1) + "}@" + strings.TrimPrefix(a.shown, local+"@")
	return a
}

// pick is the address of one request.
func (a addresses) pick(r *rand.Rand) string {
	if r == nil {
		return a.first
	}
	local, domain := "alice", a.domain
	if a.users > 0 {
		local += strconv.Itoa(r.IntN(a.users))
	}
	if a.spread > 0 {
		domain = "d" + strconv.Itoa(r.IntN(a.spread)) + ".example"
	}
	return local + "@" + domain
}

// configOf is the configuration to serve: data, else n generated
// domains, else the embedded default; and the addresses to ask about.
func configOf(data []byte, n int, spread bool) (*config.Config, addresses, error) {
	fixed := func(a string) addresses {
		_, domain, _ := strings.Cut(a, "@")
		return addresses{first: a, shown: a, domain: domain}
	}
	switch {
	case data != nil:
		cfg, err := config.Parse(data)
		return cfg, fixed(defaultAddress), err
	case n > 0:
		cfg, err := config.Parse(DomainsYAML(n))
		if !spread {
			// The last domain: the farthest for anything that scans.
			return cfg, fixed(fmt.Sprintf("alice@d%d.example", n-1)), err
		}
		return cfg, addresses{first: "alice@d0.example", shown: fmt.Sprintf("alice@d{0…%d}.example", n-1), domain: "d0.example", spread: n}, err
	}
	cfg, err := config.Default()
	return cfg, fixed(defaultAddress), err
}

// notes say how the server is set up for the report.
func notes(cfg *config.Config) []string {
	return []string{
		"server: app.New + web.New as mailhelp serve wires them (metrics, discovery, profiles), logging each request as JSON to io.Discard",
		fmt.Sprintf("rate limits: configure answers have none; live checks would be limited by check.per_user=%d, per_target=%d per %s, which these requests never run (every answer is checked not to be a refusal)",
			cfg.Check.PerUser, cfg.Check.PerTarget, cfg.Check.Window),
		"audit trail: " + cfg.Audit.File,
	}
}

// listen serves srv on a loopback port and returns its address and how
// to stop it.
func listen(srv *http.Server) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("loadgen: %w", err)
	}
	go func() { _ = srv.Serve(ln) }()
	return ln.Addr().String(), func() { _ = srv.Close() }, nil
}

// probe sends one request of t and checks its answer; it returns the
// body's size.
func probe(host string, t target, address string, want int) (int, error) {
	c, err := dial(host)
	if err != nil {
		return 0, fmt.Errorf("loadgen: %s: %w", t.name, err)
	}
	defer c.Close()
	status, _, err := c.do(t.request(host, address))
	switch {
	case err != nil:
		return 0, fmt.Errorf("loadgen: %s: %w", t.name, err)
	case status != http.StatusOK || !t.ok(c.body, want, address):
		return 0, fmt.Errorf("loadgen: %s: %s answered %d, not the expected answer: %.300q", t.name, t.display(address), status, c.body)
	}
	return len(c.body), nil
}

// tally is one connection's measurements.
type tally struct {
	lat              []time.Duration
	requests, errors int64
	bytes            int64
	statuses         map[int]int64
	firstErr         string
}

func (t *tally) fail(msg string) {
	t.errors++
	if t.firstErr == "" {
		t.firstErr = msg
	}
}

// load runs opts.Conns connections sending t to host for opts.Duration.
func load(ctx context.Context, host string, t target, addrs addresses, want int, opts Options, d time.Duration) Result {
	res := Result{Name: t.name, Target: t.name, Request: t.display(addrs.shown), Statuses: map[int]int64{}}
	fixedReq := t.request(host, addrs.first)
	var wg sync.WaitGroup
	tallies := make([]*tally, opts.Conns)
	cpu0 := cpuTime()
	start := time.Now()
	end := start.Add(d)
	for i := range tallies {
		tl := &tally{statuses: map[int]int64{}, lat: make([]time.Duration, 0, 4096)}
		tallies[i] = tl
		wg.Go(func() {
			var rng *rand.Rand
			if addrs.spread > 0 || addrs.users > 0 {
				rng = rand.New(rand.NewPCG(uint64(i), uint64(start.UnixNano())))
			}
			var c *conn
			defer func() {
				if c != nil {
					c.Close()
				}
			}()
			for ctx.Err() == nil && time.Now().Before(end) {
				if c == nil {
					var err error
					if c, err = dial(host); err != nil {
						tl.requests++
						tl.fail(err.Error())
						time.Sleep(10 * time.Millisecond)
						continue
					}
				}
				req, address := fixedReq, addrs.first
				if rng != nil {
					address = addrs.pick(rng)
					req = t.request(host, address)
				}
				t0 := time.Now()
				status, closing, err := c.do(req)
				took := time.Since(t0)
				tl.requests++
				if err != nil {
					tl.fail(err.Error())
					c.Close()
					c = nil
					continue
				}
				tl.statuses[status]++
				switch {
				case status != http.StatusOK:
					tl.fail(fmt.Sprintf("status %d: %.200q", status, c.body))
				case !t.ok(c.body, want, address):
					tl.fail(fmt.Sprintf("not the expected answer: %.200q", c.body))
				default:
					tl.lat = append(tl.lat, took)
					tl.bytes += int64(len(c.body))
				}
				if closing {
					c.Close()
					c = nil
				}
			}
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	if cpu0 > 0 {
		res.CPU = cpuTime() - cpu0
	}
	for _, tl := range tallies {
		res.Requests += tl.requests
		res.Errors += tl.errors
		res.bytes += tl.bytes
		for s, n := range tl.statuses {
			res.Statuses[s] += n
		}
		if res.FirstError == "" {
			res.FirstError = tl.firstErr
		}
		res.lat = append(res.lat, tl.lat...)
	}
	return res
}

// add adds one slice's measurement to r.
func (r *Result) add(s Result) {
	if r.Name == "" {
		r.Name, r.Target, r.Request, r.Statuses = s.Name, s.Target, s.Request, map[int]int64{}
	}
	r.Requests += s.Requests
	r.Errors += s.Errors
	r.Elapsed += s.Elapsed
	r.CPU += s.CPU
	r.bytes += s.bytes
	r.lat = append(r.lat, s.lat...)
	for k, n := range s.Statuses {
		r.Statuses[k] += n
	}
	if r.FirstError == "" {
		r.FirstError = s.FirstError
	}
}

// finish computes the percentiles and the mean size.
func (r *Result) finish() {
	if len(r.lat) > 0 {
		slices.Sort(r.lat)
		r.P50 = r.lat[len(r.lat)/2]
		r.P99 = r.lat[min(len(r.lat)-1, len(r.lat)*99/100)]
		r.Bytes = int(r.bytes / int64(len(r.lat)))
	}
	r.lat = nil
}
