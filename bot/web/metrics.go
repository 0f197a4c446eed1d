package web

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"math"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mailhelp/mailhelp/bot"
)

// Metrics counts answers, checks, refusals and reconnects, and serves
// them with the Go runtime's and the process's metrics in Prometheus'
// text exposition format (version 0.0.4). It implements bot.Observer.
// Labels are bounded sets (platform, intent, verdict, route): never a
// user, an address or a text.
//
// The format is written here rather than by a client library: the
// Prometheus client's packages build their default registry, Go and
// process collectors and protobuf descriptors when the program starts,
// which every one-shot command paid for. Nothing here runs before
// NewMetrics.
type Metrics struct {
	answers    *counterVec
	latency    *histogramVec
	checks     *counterVec
	limited    *counterVec
	reconnects *counterVec
	http       *counterVec
	auditFails atomic.Uint64
	buildInfo  string // the mailhelp_build_info family, written once
	// store reports the shared store, when there is one (SetStore).
	store atomic.Pointer[func() StoreStats]
}

// StoreStats is what the metrics say of the store replicas share.
type StoreStats struct {
	// Up is whether its last call (or ping) succeeded.
	Up bool
	// Errors counts calls that failed or timed out; Fallbacks, what was
	// kept by this process alone because of one (deliveries, previews,
	// conversations); Refused, live checks refused because the shared
	// limits could not be counted.
	Errors, Fallbacks, Refused uint64
}

// SetStore makes the metrics report the shared store, as stats says at
// each scrape.
func (m *Metrics) SetStore(stats func() StoreStats) { m.store.Store(&stats) }

// BuildInfo describes the running binary, for the mailhelp_build_info
// metric.
type BuildInfo struct {
	Version, Commit, Date, GoVersion string
}

// Build is the binary NewMetrics reports as mailhelp_build_info and
// /healthz names. cmd/mailhelp sets it once, before main runs, from its
// stamped build information (this package imports nothing of the module
// but the core); left unset, both say "unknown".
var Build BuildInfo

// labels are the metric's label values; unknown ones are "unknown".
func (b BuildInfo) labels() []string {
	out := []string{b.Version, b.Commit, b.Date, b.GoVersion}
	for i, v := range out {
		if v == "" {
			out[i] = "unknown"
		}
	}
	return out
}

// answerBuckets are mailhelp_answer_seconds' upper bounds.
var answerBuckets = []float64{.0001, .0005, .001, .005, .01, .05, .1, .5, 1, 5, 15}

// NewMetrics makes mailhelp's metrics, with the build information
// (Build); the Go and process metrics are read at each scrape.
func NewMetrics() *Metrics { return newMetrics(Build) }

func newMetrics(build BuildInfo) *Metrics {
	m := &Metrics{
		answers: newCounterVec("mailhelp_answers_total", "Answers given, by platform and intent.", "platform", "intent"),
		latency: &histogramVec{family: family{name: "mailhelp_answer_seconds", help: "Time to answer, by platform and intent.",
			labels: []string{"platform", "intent"}}, bounds: answerBuckets, series: map[[2]string]*histogram{}},
		checks:     newCounterVec("mailhelp_checks_total", "Live checks run, by verdict.", "verdict"),
		limited:    newCounterVec("mailhelp_rate_limited_total", "Requests refused by a rate limit, by platform.", "platform"),
		reconnects: newCounterVec("mailhelp_adapter_reconnects_total", "Chat adapter reconnections, by adapter.", "adapter"),
		http:       newCounterVec("mailhelp_http_requests_total", "HTTP requests, by route pattern and status.", "route", "status"),
	}
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	header(w, "mailhelp_build_info", "Always 1; the labels say which mailhelp is running.", "gauge")
	sample(w, "mailhelp_build_info", labelSet([]string{"version", "commit", "date", "goversion"}, build.labels()), 1)
	w.Flush()
	m.buildInfo = b.String()
	return m
}

var _ bot.Observer = (*Metrics)(nil)

// Answered implements bot.Observer.
func (m *Metrics) Answered(platform string, intent bot.Intent, reply *bot.Reply, took time.Duration) {
	if platform == "" {
		platform = "unknown"
	}
	m.answers.with(platform, string(intent)).Add(1)
	m.latency.with(platform, string(intent)).observe(took.Seconds())
	if reply.Check != nil {
		m.checks.with(string(reply.Check.Verdict), "").Add(1)
	}
	if reply.Code == bot.CodeRateLimited {
		m.limited.with(platform, "").Add(1)
	}
}

// Reconnected counts one reconnection of a chat adapter.
func (m *Metrics) Reconnected(adapter string) {
	m.reconnects.with(adapter, "").Add(1)
}

// AuditWriteFailed counts one audit trail record that could not be
// written (app.AuditFailureCounter).
func (m *Metrics) AuditWriteFailed() {
	m.auditFails.Add(1)
}

func (m *Metrics) httpRequest(route string, status int) {
	m.http.with(route, strconv.Itoa(status)).Add(1)
}

// Handler serves the metrics in Prometheus' text format, gzipped when
// the client accepts it.
func (m *Metrics) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// As Prometheus' client says it: every name is a legacy one,
		// which needs no escaping.
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8; escaping=underscores")
		var out *bufio.Writer
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Add("Vary", "Accept-Encoding")
			gz := gzip.NewWriter(w)
			defer gz.Close()
			out = bufio.NewWriter(gz)
		} else {
			out = bufio.NewWriter(w)
		}
		m.write(out)
		_ = out.Flush()
	})
}

// acceptsGzip reports whether an Accept-Encoding header accepts gzip
// (named, with no q=0).
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q, ok := strings.CutPrefix(strings.TrimSpace(params), "q=")
		if !ok {
			return true
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(q), 64)
		return err == nil && v > 0
	}
	return false
}

// write writes every metric family, sorted by name as Prometheus'
// client does: the Go runtime's (go_), mailhelp's, the process's.
func (m *Metrics) write(w *bufio.Writer) {
	writeGoMetrics(w)
	m.reconnects.write(w)
	m.latency.write(w)
	m.answers.write(w)
	header(w, "mailhelp_audit_write_failures_total", "Audit trail records that could not be written.", "counter")
	sample(w, "mailhelp_audit_write_failures_total", "", float64(m.auditFails.Load()))
	w.WriteString(m.buildInfo)
	m.checks.write(w)
	m.http.write(w)
	m.limited.write(w)
	if f := m.store.Load(); f != nil {
		writeStoreMetrics(w, (*f)())
	}
	writeProcessMetrics(w)
}

// writeStoreMetrics writes the shared store's families, sorted by name.
func writeStoreMetrics(w *bufio.Writer, s StoreStats) {
	for _, c := range []struct {
		name, help string
		value      uint64
	}{
		{"mailhelp_store_errors_total", "Calls to the shared store that failed or timed out.", s.Errors},
		{"mailhelp_store_fallbacks_total", "Deliveries, previews, conversations and audit refusals kept by this process alone because the shared store failed.", s.Fallbacks},
		{"mailhelp_store_refused_total", "Live checks refused because the shared store could not count them.", s.Refused},
	} {
		header(w, c.name, c.help, "counter")
		sample(w, c.name, "", float64(c.value))
	}
	up := 0.0
	if s.Up {
		up = 1
	}
	header(w, "mailhelp_store_up", "1 when the shared store answers, 0 when it does not.", "gauge")
	sample(w, "mailhelp_store_up", "", up)
}

// family is a metric's name, help text and label names (at most two, in
// the order the values are given).
type family struct {
	name, help string
	labels     []string
}

// counterVec is a counter for each set of label values.
type counterVec struct {
	family
	mu     sync.RWMutex
	series map[[2]string]*atomic.Uint64
}

func newCounterVec(name, help string, labels ...string) *counterVec {
	return &counterVec{family: family{name: name, help: help, labels: labels}, series: map[[2]string]*atomic.Uint64{}}
}

// with returns the counter of the label values a and b (b is "" for a
// counter of one label).
func (v *counterVec) with(a, b string) *atomic.Uint64 {
	k := [2]string{a, b}
	v.mu.RLock()
	c := v.series[k]
	v.mu.RUnlock()
	if c != nil {
		return c
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if c = v.series[k]; c == nil {
		c = new(atomic.Uint64)
		v.series[k] = c
	}
	return c
}

// write writes the family, nothing when no counter was made yet.
func (v *counterVec) write(w *bufio.Writer) {
	v.mu.RLock()
	type row struct {
		labels string
		keys   []string
		value  uint64
	}
	rows := make([]row, 0, len(v.series))
	for k, c := range v.series {
		rows = append(rows, row{labelSet(v.labels, k[:len(v.labels)]), sortedValues(v.labels, k[:len(v.labels)]), c.Load()})
	}
	v.mu.RUnlock()
	if len(rows) == 0 {
		return
	}
	slices.SortFunc(rows, func(a, b row) int { return slices.Compare(a.keys, b.keys) })
	header(w, v.name, v.help, "counter")
	for _, r := range rows {
		sample(w, v.name, r.labels, float64(r.value))
	}
}

// histogramVec is a histogram for each set of label values.
type histogramVec struct {
	family
	bounds []float64 // upper bounds, ascending; +Inf is implied
	mu     sync.RWMutex
	series map[[2]string]*histogram
}

// histogram counts observations by bucket, not cumulated.
type histogram struct {
	bounds []float64 // the vec's
	mu     sync.Mutex
	counts []uint64 // one per bound, then +Inf
	sum    float64
	count  uint64
}

// with returns the histogram of the label values a and b.
func (v *histogramVec) with(a, b string) *histogram {
	k := [2]string{a, b}
	v.mu.RLock()
	h := v.series[k]
	v.mu.RUnlock()
	if h != nil {
		return h
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if h = v.series[k]; h == nil {
		h = &histogram{bounds: v.bounds, counts: make([]uint64, len(v.bounds)+1)}
		v.series[k] = h
	}
	return h
}

// observe counts x in its bucket: the first whose upper bound is ≥ x.
func (h *histogram) observe(x float64) {
	i, _ := slices.BinarySearch(h.bounds, x)
	h.mu.Lock()
	h.counts[i]++
	h.sum += x
	h.count++
	h.mu.Unlock()
}

// write writes the family's buckets (cumulated), sums and counts.
func (v *histogramVec) write(w *bufio.Writer) {
	type row struct {
		labels []string // values in the order of v.labels
		keys   []string
		counts []uint64
		sum    float64
		count  uint64
	}
	v.mu.RLock()
	rows := make([]row, 0, len(v.series))
	for k, h := range v.series {
		h.mu.Lock()
		rows = append(rows, row{slices.Clone(k[:len(v.labels)]), sortedValues(v.labels, k[:len(v.labels)]),
			slices.Clone(h.counts), h.sum, h.count})
		h.mu.Unlock()
	}
	v.mu.RUnlock()
	if len(rows) == 0 {
		return
	}
	slices.SortFunc(rows, func(a, b row) int { return slices.Compare(a.keys, b.keys) })
	header(w, v.name, v.help, "histogram")
	names := append(slices.Clone(v.labels), "le")
	for _, r := range rows {
		var cum uint64
		for i, c := range r.counts {
			cum += c
			le := "+Inf"
			if i < len(v.bounds) {
				le = formatFloat(v.bounds[i])
			}
			sample(w, v.name+"_bucket", labelSetLast(names, append(r.labels, le)), float64(cum))
		}
		set := labelSet(v.labels, r.labels)
		sample(w, v.name+"_sum", set, r.sum)
		sample(w, v.name+"_count", set, float64(r.count))
	}
}

// header writes a family's HELP and TYPE lines.
func header(w *bufio.Writer, name, help, typ string) {
	w.WriteString("# HELP ")
	w.WriteString(name)
	w.WriteByte(' ')
	w.WriteString(helpEscaper.Replace(help))
	w.WriteString("\n# TYPE ")
	w.WriteString(name)
	w.WriteByte(' ')
	w.WriteString(typ)
	w.WriteByte('\n')
}

// sample writes one line: name, label set ("" or "{…}") and value.
func sample(w *bufio.Writer, name, labels string, v float64) {
	w.WriteString(name)
	w.WriteString(labels)
	w.WriteByte(' ')
	w.WriteString(formatFloat(v))
	w.WriteByte('\n')
}

// formatFloat writes a value as Prometheus' client does.
func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, +1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	valueEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

// labelSet is `{name="value",…}` with the labels sorted by name, as
// Prometheus' client writes them; "" without labels.
func labelSet(names, values []string) string {
	if len(names) == 0 {
		return ""
	}
	idx := make([]int, len(names))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return strings.Compare(names[a], names[b]) })
	var b strings.Builder
	b.WriteByte('{')
	for n, i := range idx {
		if n > 0 {
			b.WriteByte(',')
		}
		b.WriteString(names[i])
		b.WriteString(`="`)
		b.WriteString(valueEscaper.Replace(values[i]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// labelSetLast is labelSet with the last label (le, quantile) kept last.
func labelSetLast(names, values []string) string {
	n := len(names) - 1
	last := names[n] + `="` + valueEscaper.Replace(values[n]) + `"}`
	if n == 0 {
		return "{" + last
	}
	s := labelSet(names[:n], values[:n])
	return s[:len(s)-1] + "," + last
}

// sortedValues are the label values in the order of their sorted names:
// how Prometheus' client orders the series of a family.
func sortedValues(names, values []string) []string {
	idx := make([]int, len(names))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return strings.Compare(names[a], names[b]) })
	out := make([]string, len(idx))
	for n, i := range idx {
		out[n] = values[i]
	}
	return out
}

// writeGoMetrics writes the Go runtime's metrics under the names, help
// texts and types of Prometheus' Go collector.
func writeGoMetrics(w *bufio.Writer) {
	var gc debug.GCStats
	gc.PauseQuantiles = make([]time.Duration, 5)
	debug.ReadGCStats(&gc)
	header(w, "go_gc_duration_seconds", "A summary of the wall-time pause (stop-the-world) duration in garbage collection cycles.", "summary")
	for i, q := range []string{"0", "0.25", "0.5", "0.75", "1"} {
		sample(w, "go_gc_duration_seconds", `{quantile="`+q+`"}`, gc.PauseQuantiles[i].Seconds())
	}
	sample(w, "go_gc_duration_seconds_sum", "", gc.PauseTotal.Seconds())
	sample(w, "go_gc_duration_seconds_count", "", float64(gc.NumGC))

	gauge := func(name, help string, v float64) {
		header(w, name, help, "gauge")
		sample(w, name, "", v)
	}
	counter := func(name, help string, v float64) {
		header(w, name, help, "counter")
		sample(w, name, "", v)
	}
	gauge("go_gc_gogc_percent", "Heap size target percentage configured by the user, otherwise 100. This value is set by the GOGC environment variable, and the runtime/debug.SetGCPercent function. Sourced from /gc/gogc:percent.", gogcPercent())
	gauge("go_gc_gomemlimit_bytes", "Go runtime memory limit configured by the user, otherwise math.MaxInt64. This value is set by the GOMEMLIMIT environment variable, and the runtime/debug.SetMemoryLimit function. Sourced from /gc/gomemlimit:bytes.", float64(debug.SetMemoryLimit(-1)))
	gauge("go_goroutines", "Number of goroutines that currently exist.", float64(runtime.NumGoroutine()))
	header(w, "go_info", "Information about the Go environment.", "gauge")
	sample(w, "go_info", labelSet([]string{"version"}, []string{runtime.Version()}), 1)

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gauge("go_memstats_alloc_bytes", "Number of bytes allocated in heap and currently in use. Equals to /memory/classes/heap/objects:bytes.", float64(ms.Alloc))
	counter("go_memstats_alloc_bytes_total", "Total number of bytes allocated in heap until now, even if released already. Equals to /gc/heap/allocs:bytes.", float64(ms.TotalAlloc))
	gauge("go_memstats_buck_hash_sys_bytes", "Number of bytes used by the profiling bucket hash table. Equals to /memory/classes/profiling/buckets:bytes.", float64(ms.BuckHashSys))
	counter("go_memstats_frees_total", "Total number of heap objects frees. Equals to /gc/heap/frees:objects + /gc/heap/tiny/allocs:objects.", float64(ms.Frees))
	gauge("go_memstats_gc_sys_bytes", "Number of bytes used for garbage collection system metadata. Equals to /memory/classes/metadata/other:bytes.", float64(ms.GCSys))
	gauge("go_memstats_heap_alloc_bytes", "Number of heap bytes allocated and currently in use, same as go_memstats_alloc_bytes. Equals to /memory/classes/heap/objects:bytes.", float64(ms.HeapAlloc))
	gauge("go_memstats_heap_idle_bytes", "Number of heap bytes waiting to be used. Equals to /memory/classes/heap/released:bytes + /memory/classes/heap/free:bytes.", float64(ms.HeapIdle))
	gauge("go_memstats_heap_inuse_bytes", "Number of heap bytes that are in use. Equals to /memory/classes/heap/objects:bytes + /memory/classes/heap/unused:bytes", float64(ms.HeapInuse))
	gauge("go_memstats_heap_objects", "Number of currently allocated objects. Equals to /gc/heap/objects:objects.", float64(ms.HeapObjects))
	gauge("go_memstats_heap_released_bytes", "Number of heap bytes released to OS. Equals to /memory/classes/heap/released:bytes.", float64(ms.HeapReleased))
	gauge("go_memstats_heap_sys_bytes", "Number of heap bytes obtained from system. Equals to /memory/classes/heap/objects:bytes + /memory/classes/heap/unused:bytes + /memory/classes/heap/released:bytes + /memory/classes/heap/free:bytes.", float64(ms.HeapSys))
	gauge("go_memstats_last_gc_time_seconds", "Number of seconds since 1970 of last garbage collection.", float64(gc.LastGC.UnixNano())/1e9)
	counter("go_memstats_mallocs_total", "Total number of heap objects allocated, both live and gc-ed. Semantically a counter version for go_memstats_heap_objects gauge. Equals to /gc/heap/allocs:objects + /gc/heap/tiny/allocs:objects.", float64(ms.Mallocs))
	gauge("go_memstats_mcache_inuse_bytes", "Number of bytes in use by mcache structures. Equals to /memory/classes/metadata/mcache/inuse:bytes.", float64(ms.MCacheInuse))
	gauge("go_memstats_mcache_sys_bytes", "Number of bytes used for mcache structures obtained from system. Equals to /memory/classes/metadata/mcache/inuse:bytes + /memory/classes/metadata/mcache/free:bytes.", float64(ms.MCacheSys))
	gauge("go_memstats_mspan_inuse_bytes", "Number of bytes in use by mspan structures. Equals to /memory/classes/metadata/mspan/inuse:bytes.", float64(ms.MSpanInuse))
	gauge("go_memstats_mspan_sys_bytes", "Number of bytes used for mspan structures obtained from system. Equals to /memory/classes/metadata/mspan/inuse:bytes + /memory/classes/metadata/mspan/free:bytes.", float64(ms.MSpanSys))
	gauge("go_memstats_next_gc_bytes", "Number of heap bytes when next garbage collection will take place. Equals to /gc/heap/goal:bytes.", float64(ms.NextGC))
	gauge("go_memstats_other_sys_bytes", "Number of bytes used for other system allocations. Equals to /memory/classes/other:bytes.", float64(ms.OtherSys))
	gauge("go_memstats_stack_inuse_bytes", "Number of bytes obtained from system for stack allocator in non-CGO environments. Equals to /memory/classes/heap/stacks:bytes.", float64(ms.StackInuse))
	gauge("go_memstats_stack_sys_bytes", "Number of bytes obtained from system for stack allocator. Equals to /memory/classes/heap/stacks:bytes + /memory/classes/os-stacks:bytes.", float64(ms.StackSys))
	gauge("go_memstats_sys_bytes", "Number of bytes obtained from system. Equals to /memory/classes/total:byte.", float64(ms.Sys))
	gauge("go_sched_gomaxprocs_threads", "The current runtime.GOMAXPROCS setting, or the number of operating system threads that can execute user-level Go code simultaneously. Sourced from /sched/gomaxprocs:threads.", float64(runtime.GOMAXPROCS(0)))
	threads, _ := runtime.ThreadCreateProfile(nil)
	gauge("go_threads", "Number of OS threads created.", float64(threads))
}

// gogcPercent is GOGC as the runtime read it at start: mailhelp never
// changes it (debug.SetGCPercent), and runtime/metrics, the one package
// that reports it, builds a table when every command starts.
func gogcPercent() float64 {
	switch v := os.Getenv("GOGC"); v {
	case "off":
		return -1
	default:
		if n, err := strconv.ParseInt(v, 10, 32); err == nil {
			return float64(n)
		}
		return 100
	}
}

// writeProcessMetrics writes the process's metrics, read from /proc,
// under the names, help texts and types of Prometheus' process
// collector. Where /proc cannot be read (other systems than Linux), the
// metrics it holds are left out.
func writeProcessMetrics(w *bufio.Writer) {
	stat, statErr := readProcStat()
	if statErr == nil {
		header(w, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", "counter")
		sample(w, "process_cpu_seconds_total", "", stat.cpuSeconds)
	}
	limits, limitsErr := readProcLimits()
	if limitsErr == nil {
		header(w, "process_max_fds", "Maximum number of open file descriptors.", "gauge")
		sample(w, "process_max_fds", "", limits.openFiles)
	}
	if in, out, err := readNetOctets(); err == nil {
		header(w, "process_network_receive_bytes_total", "Number of bytes received by the process over the network.", "counter")
		sample(w, "process_network_receive_bytes_total", "", in)
		header(w, "process_network_transmit_bytes_total", "Number of bytes sent by the process over the network.", "counter")
		sample(w, "process_network_transmit_bytes_total", "", out)
	}
	if fds, err := openFDs(); err == nil {
		header(w, "process_open_fds", "Number of open file descriptors.", "gauge")
		sample(w, "process_open_fds", "", float64(fds))
	}
	if statErr == nil {
		header(w, "process_resident_memory_bytes", "Resident memory size in bytes.", "gauge")
		sample(w, "process_resident_memory_bytes", "", stat.residentBytes)
		if stat.startTime > 0 {
			header(w, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", "gauge")
			sample(w, "process_start_time_seconds", "", stat.startTime)
		}
		header(w, "process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge")
		sample(w, "process_virtual_memory_bytes", "", stat.virtualBytes)
	}
	if limitsErr == nil {
		header(w, "process_virtual_memory_max_bytes", "Maximum amount of virtual memory available in bytes.", "gauge")
		sample(w, "process_virtual_memory_max_bytes", "", limits.addressSpace)
	}
}

// userHZ is the unit of /proc's CPU times, 100 on every Linux platform
// Go supports.
const userHZ = 100

// procStat is what /proc/self/stat says of the process.
type procStat struct {
	cpuSeconds, residentBytes, virtualBytes float64
	startTime                               float64 // 0 when unknown
}

// readProcStat reads /proc/self/stat, and the boot time in /proc/stat
// for the start time.
func readProcStat() (procStat, error) {
	data, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return procStat{}, err
	}
	// The command name, in parentheses, may hold spaces: the fields
	// that follow it are counted from its closing parenthesis.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return procStat{}, os.ErrInvalid
	}
	f := strings.Fields(string(data[i+1:]))
	// f[0] is field 3 (state): utime is field 14, stime 15, starttime
	// 22, vsize 23, rss 24.
	field := func(n int) float64 {
		if n-3 >= len(f) {
			return 0
		}
		v, _ := strconv.ParseUint(f[n-3], 10, 64)
		return float64(v)
	}
	if len(f) < 24-3+1 {
		return procStat{}, os.ErrInvalid
	}
	s := procStat{
		cpuSeconds:    (field(14) + field(15)) / userHZ,
		virtualBytes:  field(23),
		residentBytes: field(24) * float64(os.Getpagesize()),
	}
	if boot, err := bootTime(); err == nil {
		s.startTime = boot + field(22)/userHZ
	}
	return s, nil
}

// bootTime is the btime line of /proc/stat: when the system started, in
// seconds since 1970.
var bootTime = sync.OnceValues(func() (float64, error) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "btime "); ok {
			return strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	return 0, os.ErrNotExist
})

// procLimits are the soft limits of /proc/self/limits that the process
// collector reports; "unlimited" is the largest uint64.
type procLimits struct {
	openFiles, addressSpace float64
}

func readProcLimits() (procLimits, error) {
	data, err := os.ReadFile("/proc/self/limits")
	if err != nil {
		return procLimits{}, err
	}
	var l procLimits
	soft := func(rest string) float64 {
		f := strings.Fields(rest)
		if len(f) == 0 || f[0] == "unlimited" {
			return math.MaxUint64
		}
		v, _ := strconv.ParseUint(f[0], 10, 64)
		return float64(v)
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "Max open files"); ok {
			l.openFiles = soft(rest)
		} else if rest, ok := strings.CutPrefix(line, "Max address space"); ok {
			l.addressSpace = soft(rest)
		}
	}
	return l, nil
}

// readNetOctets reads the bytes received and sent over IP in the
// process's network namespace (IpExt InOctets and OutOctets of
// /proc/self/net/netstat).
func readNetOctets() (in, out float64, err error) {
	data, err := os.ReadFile("/proc/self/net/netstat")
	if err != nil {
		return 0, 0, err
	}
	var names []string
	for line := range strings.SplitSeq(string(data), "\n") {
		rest, ok := strings.CutPrefix(line, "IpExt:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if names == nil {
			names = f
			continue
		}
		for i, name := range names {
			if i >= len(f) {
				break
			}
			v, _ := strconv.ParseFloat(f[i], 64)
			switch name {
			case "InOctets":
				in = v
			case "OutOctets":
				out = v
			}
		}
		return in, out, nil
	}
	return 0, 0, os.ErrNotExist
}

// openFDs counts the process's open file descriptors: the size of
// /proc/self/fd where the kernel gives it (Linux 6.2 and later), else
// its entries.
func openFDs() (int, error) {
	if fi, err := os.Stat("/proc/self/fd"); err == nil && fi.Size() > 0 {
		return int(fi.Size()), nil
	}
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return 0, err
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	return len(names), err
}
