package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/mailhelp/mailhelp/bot"
)

// Metrics counts answers, checks, refusals and reconnects in Prometheus
// form. It implements bot.Observer. Labels are bounded sets (platform,
// intent, verdict, route): never a user, an address or a text.
type Metrics struct {
	reg        *prometheus.Registry
	answers    *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	checks     *prometheus.CounterVec
	limited    *prometheus.CounterVec
	reconnects *prometheus.CounterVec
	http       *prometheus.CounterVec
	auditFails prometheus.Counter
}

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

// NewMetrics registers mailhelp's metrics, the build information (Build)
// and the Go and process metrics on a registry of its own.
func NewMetrics() *Metrics { return newMetrics(Build) }

func newMetrics(build BuildInfo) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mailhelp_answers_total", Help: "Answers given, by platform and intent.",
		}, []string{"platform", "intent"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "mailhelp_answer_seconds", Help: "Time to answer, by platform and intent.",
			Buckets: []float64{.0001, .0005, .001, .005, .01, .05, .1, .5, 1, 5, 15},
		}, []string{"platform", "intent"}),
		checks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mailhelp_checks_total", Help: "Live checks run, by verdict.",
		}, []string{"verdict"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mailhelp_rate_limited_total", Help: "Requests refused by a rate limit, by platform.",
		}, []string{"platform"}),
		reconnects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mailhelp_adapter_reconnects_total", Help: "Chat adapter reconnections, by adapter.",
		}, []string{"adapter"}),
		http: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mailhelp_http_requests_total", Help: "HTTP requests, by route pattern and status.",
		}, []string{"route", "status"}),
		auditFails: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "mailhelp_audit_write_failures_total", Help: "Audit trail records that could not be written.",
		}),
	}
	info := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "mailhelp_build_info", Help: "Always 1; the labels say which mailhelp is running.",
	}, []string{"version", "commit", "date", "goversion"})
	info.WithLabelValues(build.labels()...).Set(1)
	m.reg.MustRegister(m.answers, m.latency, m.checks, m.limited, m.reconnects, m.http, m.auditFails, info,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

var _ bot.Observer = (*Metrics)(nil)

// Answered implements bot.Observer.
func (m *Metrics) Answered(platform string, intent bot.Intent, reply *bot.Reply, took time.Duration) {
	if platform == "" {
		platform = "unknown"
	}
	m.answers.WithLabelValues(platform, string(intent)).Inc()
	m.latency.WithLabelValues(platform, string(intent)).Observe(took.Seconds())
	if reply.Check != nil {
		m.checks.WithLabelValues(string(reply.Check.Verdict)).Inc()
	}
	if reply.Code == bot.CodeRateLimited {
		m.limited.WithLabelValues(platform).Inc()
	}
}

// Reconnected counts one reconnection of a chat adapter.
func (m *Metrics) Reconnected(adapter string) {
	m.reconnects.WithLabelValues(adapter).Inc()
}

// AuditWriteFailed counts one audit trail record that could not be
// written (app.AuditFailureCounter).
func (m *Metrics) AuditWriteFailed() {
	m.auditFails.Inc()
}

func (m *Metrics) httpRequest(route string, status int) {
	m.http.WithLabelValues(route, strconv.Itoa(status)).Inc()
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
