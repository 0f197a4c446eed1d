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

// NewMetrics registers mailhelp's metrics, and the Go and process ones,
// on a registry of its own.
func NewMetrics() *Metrics {
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
	m.reg.MustRegister(m.answers, m.latency, m.checks, m.limited, m.reconnects, m.http, m.auditFails,
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
