package config

import (
	"fmt"
	"strings"
	"testing"
)

// domainsYAML is a configuration of n domains, each with its own server.
func domainsYAML(n int) []byte {
	var b strings.Builder
	b.WriteString("default_language: en\naudit: {file: \"off\"}\ndomains:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {domain: d%d.example, host: mail.d%d.example}\n", i, i)
	}
	return []byte(b.String())
}

// BenchmarkParse measures loading and validating a configuration by its
// number of domains; the time per domain must stay flat (linear cost).
//
//	go test ./config -run XXX -bench BenchmarkParse -benchtime 3x
func BenchmarkParse(b *testing.B) {
	for _, n := range []int{1, 1000, 10000, 100000} {
		data := domainsYAML(n)
		b.Run(fmt.Sprintf("domains=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/domain")
		})
	}
}
