package testbot

import (
	"slices"
	"testing"
	"time"
)

// ReportLatency reports the median and 99th percentile of d, in
// milliseconds, as the benchmark metrics name_p50_ms and name_p99_ms.
// d is sorted in place.
func ReportLatency(b *testing.B, name string, d []time.Duration) {
	b.Helper()
	if len(d) == 0 {
		b.Fatalf("%s: no samples", name)
	}
	slices.Sort(d)
	b.ReportMetric(ms(d[len(d)/2]), name+"_p50_ms")
	b.ReportMetric(ms(d[len(d)*99/100]), name+"_p99_ms")
}

// Median runs f n times and returns its median duration: what a fake
// server itself costs per round trip, to subtract from measurements.
func Median(b *testing.B, n int, f func() error) time.Duration {
	b.Helper()
	d := make([]time.Duration, 0, n)
	for range n {
		t0 := time.Now()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		d = append(d, time.Since(t0))
	}
	slices.Sort(d)
	return d[len(d)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
