package config

import (
	"bytes"
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

// BenchmarkComplete measures the check that a file read is not cut
// short, which precedes Parse when a file is loaded, by number of
// domains.
//
//	go test ./config -run XXX -bench BenchmarkComplete -benchtime 3x
func BenchmarkComplete(b *testing.B) {
	for _, n := range []int{1, 1000, 10000, 100000} {
		data := domainsYAML(n)
		b.Run(fmt.Sprintf("domains=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := Complete(data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/domain")
		})
	}
}

// BenchmarkDiff measures the comparison of two configurations a reload
// makes, by number of domains: one domain's host changed.
//
//	go test ./config -run XXX -bench BenchmarkDiff -benchtime 3x
func BenchmarkDiff(b *testing.B) {
	for _, n := range []int{1, 1000, 10000, 100000} {
		data := domainsYAML(n)
		old, err := Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		new, err := Parse(bytes.Replace(data, []byte("host: mail.d0.example"), []byte("host: mail2.d0.example"), 1))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("domains=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if len(Diff(old, new)) != 4 {
					b.Fatal("not the four changes of a host")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/domain")
		})
	}
}
