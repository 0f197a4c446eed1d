package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/bot/web"
)

// BenchmarkAPIAsk is a load generator: parallel keep-alive clients post
// "configure BlackBerry for alice@domaine.com" to /api/v1/ask over
// loopback, and the benchmark reports answers per second and the 99th
// percentile latency.
//
//	go test ./bot/web -run XXX -bench BenchmarkAPIAsk -benchtime 20000x
func BenchmarkAPIAsk(b *testing.B) {
	quiet := slog.New(slog.NewJSONHandler(io.Discard, nil))
	h, err := web.New(web.Options{Router: routerOf(b, quiet), Translator: translator(b), Logger: quiet})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}}
	const body = `{"text":"configure BlackBerry for alice@domaine.com"}`

	var mu sync.Mutex
	var all []time.Duration
	b.SetParallelism(8)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			t0 := time.Now()
			resp, err := client.Post(srv.URL+"/api/v1/ask", "application/json", strings.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
			mine = append(mine, time.Since(t0))
		}
		mu.Lock()
		all = append(all, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if len(all) == 0 {
		return
	}
	slices.Sort(all)
	p99 := all[len(all)*99/100]
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "answers/s")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99_ms")
}
