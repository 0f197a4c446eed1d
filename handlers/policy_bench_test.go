package handlers

import (
	"fmt"
	"testing"

	"github.com/mailhelp/mailhelp/knowledge"
)

// BenchmarkCheckPolicy measures building the dial policy of n domains,
// at every start and reload; the time per domain must stay flat.
//
//	go test ./handlers -run XXX -bench BenchmarkCheckPolicy -benchtime 3x
func BenchmarkCheckPolicy(b *testing.B) {
	for _, n := range []int{1, 1000, 10000, 100000} {
		domains := make([]knowledge.Domain, n)
		for i := range domains {
			domains[i] = knowledge.Domain{Name: fmt.Sprintf("d%d.example", i), Host: fmt.Sprintf("mail.d%d.example", i)}
		}
		dir, err := knowledge.NewDirectory(domains)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("domains=%d", n), func(b *testing.B) {
			for b.Loop() {
				CheckPolicy(dir, false, nil)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/domain")
		})
	}
}
