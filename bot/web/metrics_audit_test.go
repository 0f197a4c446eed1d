package web

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestMetricsCountAuditFailures: the audit trail's failed writes are in
// /metrics.
func TestMetricsCountAuditFailures(t *testing.T) {
	m := NewMetrics()
	var counter interface{ AuditWriteFailed() } = m // what app wires to the trail
	counter.AuditWriteFailed()
	counter.AuditWriteFailed()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	if !strings.Contains(string(body), "\nmailhelp_audit_write_failures_total 2\n") {
		t.Errorf("no count of the audit trail's failures:\n%s", body)
	}
}
