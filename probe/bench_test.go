package probe

import (
	"context"
	"io"
	"net"
	"strconv"
	"testing"
	"time"
)

// slowProxy forwards connections to 127.0.0.1:target, sleeping delay
// before passing on each chunk the server sends: a server whose every
// answer is slow.
func slowProxy(tb testing.TB, target int, delay time.Duration) int {
	tb.Helper()
	ln, port := listen(tb)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				s, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(target))
				if err != nil {
					return
				}
				defer s.Close()
				go func() { _, _ = io.Copy(s, c) }()
				buf := make([]byte, 32<<10)
				for {
					n, err := s.Read(buf)
					if n > 0 {
						time.Sleep(delay)
						if _, werr := c.Write(buf[:n]); werr != nil {
							return
						}
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	return port
}

// BenchmarkCheckParallel checks five endpoints whose servers answer with
// latencies of 1 to 5 times base. The whole check should take about as
// long as the slowest endpoint (metric x_slowest, ideally ≤ 1.2) and
// allocate about the same whatever the latency.
func BenchmarkCheckParallel(b *testing.B) {
	servers := startAll(b)
	for _, base := range []time.Duration{2 * time.Millisecond, 10 * time.Millisecond, 30 * time.Millisecond} {
		b.Run("latency="+base.String(), func(b *testing.B) {
			var eps []Endpoint
			for i, e := range servers {
				e.Port = slowProxy(b, e.Port, time.Duration(i+1)*base)
				eps = append(eps, e)
			}
			c := newTestChecker(b, ports(eps)...)
			c.opts.StepTimeout = 5 * time.Second
			c.opts.SlowGreeting = 5 * time.Second
			var ratio float64
			b.ReportAllocs()
			for b.Loop() {
				start := time.Now()
				rep, err := c.Check(context.Background(), Target{Host: testHost, Endpoints: eps}, nil)
				total := time.Since(start)
				if err != nil || rep.Verdict != StatusOK {
					b.Fatalf("verdict %v, err %v", rep.Verdict, err)
				}
				var slowest int64
				for _, e := range rep.Endpoints {
					slowest = max(slowest, e.Timings.Total)
				}
				ratio += float64(total.Milliseconds()) / float64(max(slowest, 1))
			}
			b.ReportMetric(ratio/float64(b.N), "x_slowest")
		})
	}
}
