package web

import (
	"compress/gzip"
	"io"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/probe"
)

// scrape returns the body of /metrics, and its response.
func scrape(t *testing.T, m *Metrics, acceptEncoding string) (string, *httptest.ResponseRecorder) {
	t.Helper()
	req := httptest.NewRequest("GET", "/metrics", nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, req)
	var r io.Reader = rec.Body
	if rec.Header().Get("Content-Encoding") == "gzip" {
		gz, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		r = gz
	}
	body, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(body), rec
}

// TestMetricsExposition: mailhelp's metrics come out in Prometheus' text
// format as its client wrote them: HELP and TYPE lines, labels sorted by
// name and escaped, series sorted, histogram buckets cumulated with sum
// and count, and a family nothing was counted in left out.
func TestMetricsExposition(t *testing.T) {
	m := newMetrics(BuildInfo{Version: "v1", Commit: "c", Date: "d", GoVersion: "go"})
	m.Answered("web", bot.IntentPorts, &bot.Reply{}, 300*time.Microsecond)
	m.Answered("slack", bot.IntentCheck, &bot.Reply{Check: &probe.Report{Verdict: probe.StatusOK}}, 2*time.Second)
	m.Answered("slack", bot.IntentCheck, &bot.Reply{Code: bot.CodeRateLimited}, 20*time.Second)
	m.Answered("", bot.IntentHelp, &bot.Reply{}, time.Millisecond)
	m.httpRequest("GET /ask", 200)
	m.httpRequest("GET /ask", 200)
	m.httpRequest(`GET /"odd\path`+"\n", 404)
	m.AuditWriteFailed()
	body, rec := scrape(t, m, "")
	if ct := rec.Header().Get("Content-Type"); ct != "text/plain; version=0.0.4; charset=utf-8; escaping=underscores" {
		t.Errorf("Content-Type %q", ct)
	}
	want := `# HELP mailhelp_answer_seconds Time to answer, by platform and intent.
# TYPE mailhelp_answer_seconds histogram
mailhelp_answer_seconds_bucket{intent="check",platform="slack",le="0.0001"} 0
mailhelp_answer_seconds_bucket{intent="check",platform="slack",le="0.0005"} 0
mailhelp_answer_seconds_bucket{intent="check",platform="slack",le="0.001"} 0
mailhelp_answer_seconds_bucket{intent="check",platform="slack",le="0.005"} 0
mailhelp_answer_seconds_bucket{intent="check",platform="slack",le="0.01"} 0
mailhelp_answer_seconds_bucket{intent="check",platform="slack",le="0.05"} 0
mailhelp_answer_seconds_bucket{intent="check",platform="slack",le="0.1"} 0
mailhelp_answer_seconds_bucket{intent="check",platform="slack",le="0.5"} 0
mailhelp_answer_seconds_bucket{intent="check",platform="slack",le="1"} 0
mailhelp_answer_seconds_bucket{intent="check",platform="slack",le="5"} 1
mailhelp_answer_seconds_bucket{intent="check",platform="slack",le="15"} 1
mailhelp_answer_seconds_bucket{intent="check",platform="slack",le="+Inf"} 2
mailhelp_answer_seconds_sum{intent="check",platform="slack"} 22
mailhelp_answer_seconds_count{intent="check",platform="slack"} 2
mailhelp_answer_seconds_bucket{intent="help",platform="unknown",le="0.0001"} 0
mailhelp_answer_seconds_bucket{intent="help",platform="unknown",le="0.0005"} 0
mailhelp_answer_seconds_bucket{intent="help",platform="unknown",le="0.001"} 1
mailhelp_answer_seconds_bucket{intent="help",platform="unknown",le="0.005"} 1
mailhelp_answer_seconds_bucket{intent="help",platform="unknown",le="0.01"} 1
mailhelp_answer_seconds_bucket{intent="help",platform="unknown",le="0.05"} 1
mailhelp_answer_seconds_bucket{intent="help",platform="unknown",le="0.1"} 1
mailhelp_answer_seconds_bucket{intent="help",platform="unknown",le="0.5"} 1
mailhelp_answer_seconds_bucket{intent="help",platform="unknown",le="1"} 1
mailhelp_answer_seconds_bucket{intent="help",platform="unknown",le="5"} 1
mailhelp_answer_seconds_bucket{intent="help",platform="unknown",le="15"} 1
mailhelp_answer_seconds_bucket{intent="help",platform="unknown",le="+Inf"} 1
mailhelp_answer_seconds_sum{intent="help",platform="unknown"} 0.001
mailhelp_answer_seconds_count{intent="help",platform="unknown"} 1
mailhelp_answer_seconds_bucket{intent="ports",platform="web",le="0.0001"} 0
mailhelp_answer_seconds_bucket{intent="ports",platform="web",le="0.0005"} 1
mailhelp_answer_seconds_bucket{intent="ports",platform="web",le="0.001"} 1
mailhelp_answer_seconds_bucket{intent="ports",platform="web",le="0.005"} 1
mailhelp_answer_seconds_bucket{intent="ports",platform="web",le="0.01"} 1
mailhelp_answer_seconds_bucket{intent="ports",platform="web",le="0.05"} 1
mailhelp_answer_seconds_bucket{intent="ports",platform="web",le="0.1"} 1
mailhelp_answer_seconds_bucket{intent="ports",platform="web",le="0.5"} 1
mailhelp_answer_seconds_bucket{intent="ports",platform="web",le="1"} 1
mailhelp_answer_seconds_bucket{intent="ports",platform="web",le="5"} 1
mailhelp_answer_seconds_bucket{intent="ports",platform="web",le="15"} 1
mailhelp_answer_seconds_bucket{intent="ports",platform="web",le="+Inf"} 1
mailhelp_answer_seconds_sum{intent="ports",platform="web"} 0.0003
mailhelp_answer_seconds_count{intent="ports",platform="web"} 1
# HELP mailhelp_answers_total Answers given, by platform and intent.
# TYPE mailhelp_answers_total counter
mailhelp_answers_total{intent="check",platform="slack"} 2
mailhelp_answers_total{intent="help",platform="unknown"} 1
mailhelp_answers_total{intent="ports",platform="web"} 1
# HELP mailhelp_audit_write_failures_total Audit trail records that could not be written.
# TYPE mailhelp_audit_write_failures_total counter
mailhelp_audit_write_failures_total 1
# HELP mailhelp_build_info Always 1; the labels say which mailhelp is running.
# TYPE mailhelp_build_info gauge
mailhelp_build_info{commit="c",date="d",goversion="go",version="v1"} 1
# HELP mailhelp_checks_total Live checks run, by verdict.
# TYPE mailhelp_checks_total counter
mailhelp_checks_total{verdict="ok"} 1
# HELP mailhelp_http_requests_total HTTP requests, by route pattern and status.
# TYPE mailhelp_http_requests_total counter
mailhelp_http_requests_total{route="GET /\"odd\\path\n",status="404"} 1
mailhelp_http_requests_total{route="GET /ask",status="200"} 2
# HELP mailhelp_rate_limited_total Requests refused by a rate limit, by platform.
# TYPE mailhelp_rate_limited_total counter
mailhelp_rate_limited_total{platform="slack"} 1
`
	start := strings.Index(body, "# HELP mailhelp_")
	end := strings.Index(body, "# HELP process_")
	if start < 0 || end < start {
		t.Fatalf("no mailhelp or process metrics:\n%s", body)
	}
	if got := body[start:end]; got != want {
		t.Errorf("mailhelp's metrics:\n%s\nwant:\n%s", got, want)
	}
	if strings.Contains(body, "mailhelp_adapter_reconnects_total") {
		t.Error("a family with nothing counted is shown")
	}
	m.Reconnected("discord")
	if body, _ := scrape(t, m, ""); !strings.Contains(body, "# TYPE go_threads gauge\ngo_threads ") ||
		!strings.Contains(body, "\n# HELP mailhelp_adapter_reconnects_total Chat adapter reconnections, by adapter.\n"+
			"# TYPE mailhelp_adapter_reconnects_total counter\nmailhelp_adapter_reconnects_total{adapter=\"discord\"} 1\n# HELP mailhelp_answer_seconds ") {
		t.Errorf("the reconnections are not between the Go and the answers' metrics:\n%s", body)
	}
}

// TestMetricsRuntimeAndProcess: /metrics has every family that the
// Prometheus client's Go and process collectors gave, with their types,
// in order of name, each sample a number.
func TestMetricsRuntimeAndProcess(t *testing.T) {
	body, _ := scrape(t, NewMetrics(), "")
	want := map[string]string{
		"go_gc_duration_seconds": "summary", "go_gc_gogc_percent": "gauge", "go_gc_gomemlimit_bytes": "gauge",
		"go_goroutines": "gauge", "go_info": "gauge", "go_memstats_alloc_bytes": "gauge",
		"go_memstats_alloc_bytes_total": "counter", "go_memstats_buck_hash_sys_bytes": "gauge",
		"go_memstats_frees_total": "counter", "go_memstats_gc_sys_bytes": "gauge", "go_memstats_heap_alloc_bytes": "gauge",
		"go_memstats_heap_idle_bytes": "gauge", "go_memstats_heap_inuse_bytes": "gauge", "go_memstats_heap_objects": "gauge",
		"go_memstats_heap_released_bytes": "gauge", "go_memstats_heap_sys_bytes": "gauge",
		"go_memstats_last_gc_time_seconds": "gauge", "go_memstats_mallocs_total": "counter",
		"go_memstats_mcache_inuse_bytes": "gauge", "go_memstats_mcache_sys_bytes": "gauge",
		"go_memstats_mspan_inuse_bytes": "gauge", "go_memstats_mspan_sys_bytes": "gauge", "go_memstats_next_gc_bytes": "gauge",
		"go_memstats_other_sys_bytes": "gauge", "go_memstats_stack_inuse_bytes": "gauge", "go_memstats_stack_sys_bytes": "gauge",
		"go_memstats_sys_bytes": "gauge", "go_sched_gomaxprocs_threads": "gauge", "go_threads": "gauge",
		"mailhelp_audit_write_failures_total": "counter", "mailhelp_build_info": "gauge",
		"process_cpu_seconds_total": "counter", "process_max_fds": "gauge", "process_network_receive_bytes_total": "counter",
		"process_network_transmit_bytes_total": "counter", "process_open_fds": "gauge",
		"process_resident_memory_bytes": "gauge", "process_start_time_seconds": "gauge",
		"process_virtual_memory_bytes": "gauge", "process_virtual_memory_max_bytes": "gauge",
	}
	typeLine := regexp.MustCompile(`^# TYPE (\S+) (\S+)$`)
	helpLine := regexp.MustCompile(`^# HELP (\S+) \S.*$`)
	sampleLine := regexp.MustCompile(`^([a-z_]+)(\{[^}]*\})? ([-+0-9.e]+|\+Inf|NaN)$`)
	var names []string
	for _, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		if m := typeLine.FindStringSubmatch(line); m != nil {
			names = append(names, m[1])
			if typ, ok := want[m[1]]; ok && typ != m[2] {
				t.Errorf("%s is a %s, want a %s", m[1], m[2], typ)
			}
			continue
		}
		if !helpLine.MatchString(line) && !sampleLine.MatchString(line) {
			t.Errorf("line %q is neither HELP, TYPE nor a sample", line)
		}
	}
	for name := range want {
		if !slices.Contains(names, name) {
			t.Errorf("no %s", name)
		}
	}
	if !slices.IsSorted(names) {
		t.Errorf("families not in order of name: %v", names)
	}
	if !strings.Contains(body, `go_info{version="go`) {
		t.Error("go_info does not name the Go version")
	}
}

// TestMetricsGzip: a scraper that accepts gzip gets the metrics gzipped,
// and one that refuses it (q=0) or does not ask gets them plain.
func TestMetricsGzip(t *testing.T) {
	m := NewMetrics()
	for _, tc := range []struct {
		accept string
		gzip   bool
	}{{"gzip", true}, {"deflate, GZIP;q=0.5", true}, {"gzip;q=0", false}, {"identity", false}, {"", false}} {
		body, rec := scrape(t, m, tc.accept)
		if got := rec.Header().Get("Content-Encoding") == "gzip"; got != tc.gzip {
			t.Errorf("Accept-Encoding %q: gzipped %v", tc.accept, got)
		}
		if !strings.Contains(body, "\nmailhelp_audit_write_failures_total 0\n") {
			t.Errorf("Accept-Encoding %q: body %.200q", tc.accept, body)
		}
	}
}

// TestMetricsConcurrent counts from many goroutines while scraping: no
// count is lost (run with -race).
func TestMetricsConcurrent(t *testing.T) {
	m := NewMetrics()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				m.Answered("web", []bot.Intent{bot.IntentPorts, bot.IntentHelp}[(g+i)%2], &bot.Reply{}, time.Millisecond)
				m.httpRequest("GET /", 200)
				if i%100 == 0 {
					scrape(t, m, "")
				}
			}
		}()
	}
	wg.Wait()
	body, _ := scrape(t, m, "")
	for _, want := range []string{`mailhelp_answers_total{intent="help",platform="web"} 2000`,
		`mailhelp_answers_total{intent="ports",platform="web"} 2000`, `mailhelp_http_requests_total{route="GET /",status="200"} 4000`,
		`mailhelp_answer_seconds_count{intent="ports",platform="web"} 2000`,
		`mailhelp_answer_seconds_bucket{intent="ports",platform="web",le="0.001"} 2000`} {
		if !strings.Contains(body, "\n"+want+"\n") {
			t.Errorf("no %s", want)
		}
	}
}

// BenchmarkMetricsCount is the cost of what every request and answer
// adds to the metrics.
func BenchmarkMetricsCount(b *testing.B) {
	m := NewMetrics()
	reply := &bot.Reply{}
	b.ReportAllocs()
	for b.Loop() {
		m.httpRequest("GET /ask", 200)
		m.Answered("web", bot.IntentPorts, reply, time.Millisecond)
	}
}

// BenchmarkMetricsScrape is the cost of serving /metrics.
func BenchmarkMetricsScrape(b *testing.B) {
	m := NewMetrics()
	m.Answered("web", bot.IntentPorts, &bot.Reply{}, time.Millisecond)
	m.httpRequest("GET /ask", 200)
	b.ReportAllocs()
	for b.Loop() {
		m.Handler().ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/metrics", nil))
	}
}

// TestMetricsStore: with a shared store, its state and counters are
// exposed after mailhelp's other families; without one, nothing is.
func TestMetricsStore(t *testing.T) {
	m := newMetrics(BuildInfo{Version: "v1", Commit: "c", Date: "d", GoVersion: "go"})
	if body, _ := scrape(t, m, ""); strings.Contains(body, "mailhelp_store_") {
		t.Fatalf("store metrics without a store:\n%s", body)
	}
	stats := StoreStats{Up: true, Errors: 3, Fallbacks: 2, Refused: 1}
	m.SetStore(func() StoreStats { return stats })
	want := `# HELP mailhelp_store_errors_total Calls to the shared store that failed or timed out.
# TYPE mailhelp_store_errors_total counter
mailhelp_store_errors_total 3
# HELP mailhelp_store_fallbacks_total Deliveries, previews, conversations and audit refusals kept by this process alone because the shared store failed.
# TYPE mailhelp_store_fallbacks_total counter
mailhelp_store_fallbacks_total 2
# HELP mailhelp_store_refused_total Live checks refused because the shared store could not count them.
# TYPE mailhelp_store_refused_total counter
mailhelp_store_refused_total 1
# HELP mailhelp_store_up 1 when the shared store answers, 0 when it does not.
# TYPE mailhelp_store_up gauge
mailhelp_store_up 1
`
	if body, _ := scrape(t, m, ""); !strings.Contains(body, want) {
		t.Errorf("store metrics:\n%s", body)
	}
	stats.Up = false
	if body, _ := scrape(t, m, ""); !strings.Contains(body, "\nmailhelp_store_up 0\n") {
		t.Errorf("store down:\n%s", body)
	}
}
