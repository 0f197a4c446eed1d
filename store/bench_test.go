package store

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/internal/testredis"
)

// BenchmarkClaim measures what sharing deliveries adds to an answer:
// Claim and done(true) against a private redis-server on loopback. It
// reports the 99th percentile of one claim-and-done (the target
// is under 1 ms).
func BenchmarkClaim(b *testing.B) {
	srv := testredis.Start(b)
	r := replica(b, srv.URL(), nil)
	d := NewDeliveries(r, local())
	ctx := context.Background()
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		done, ok := claimed(d.Claim(ctx, "slack:event:Ev"+strconv.Itoa(i)))
		if !ok {
			b.Fatal("not claimed")
		}
		done(true)
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	if st := r.Stats(); st.Fallbacks != 0 || st.CallsFailed != 0 {
		b.Fatalf("stats: %+v", st)
	}
	slices.Sort(times)
	p := func(q float64) float64 {
		return float64(times[int(q*float64(len(times)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(p(0.5), "p50-ms")
	b.ReportMetric(p(0.99), "p99-ms")
}
