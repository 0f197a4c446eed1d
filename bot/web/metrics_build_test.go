package web

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestMetricsBuildInfo: /metrics names the running build in
// mailhelp_build_info, and an unknown field as "unknown".
func TestMetricsBuildInfo(t *testing.T) {
	tests := []struct {
		build BuildInfo
		want  string
	}{
		{BuildInfo{Version: "v1.2.3", Commit: "6184ef0abcde", Date: "2026-11-30T21:19:00Z", GoVersion: "go1.26.8"},
			`mailhelp_build_info{commit="6184ef0abcde",date="2026-11-30T21:19:00Z",goversion="go1.26.8",version="v1.2.3"} 1`},
		{BuildInfo{Version: "(devel)", GoVersion: "go1.26.8"},
			`mailhelp_build_info{commit="unknown",date="unknown",goversion="go1.26.8",version="(devel)"} 1`},
	}
	for _, tc := range tests {
		rec := httptest.NewRecorder()
		newMetrics(tc.build).Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		body, _ := io.ReadAll(rec.Body)
		if !strings.Contains(string(body), "\n"+tc.want+"\n") {
			t.Errorf("no %s in:\n%s", tc.want, body)
		}
	}
}
