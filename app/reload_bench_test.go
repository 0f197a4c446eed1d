package app

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/config"
)

// reloadYAML is a configuration of n domains, each with its own server;
// the last domain's host ends with suffix, so two of them differ by one
// change.
func reloadYAML(n int, suffix string) []byte {
	var b strings.Builder
	b.WriteString("default_language: en\naudit: {file: \"off\"}\ndomains:\n")
	for i := range n {
		host := fmt.Sprintf("mail.d%d.example", i)
		if i == n-1 {
			host = "mail" + suffix + fmt.Sprintf(".d%d.example", i)
		}
		fmt.Fprintf(&b, "  - {domain: d%d.example, host: %s}\n", i, host)
	}
	return []byte(b.String())
}

// BenchmarkReload measures a reload by the number of domains: reading
// the new file's bytes into a configuration (config.Parse) and swapping
// it in (App.Reload: the router, the live check's policy, the diff
// against the running configuration). Each reload changes one domain's
// host (four changes: host, incoming, outgoing, webmail). The time per
// domain must stay flat (linear cost).
//
//	go test ./app -run XXX -bench 'BenchmarkReload$' -benchtime 2x
func BenchmarkReload(b *testing.B) {
	for _, n := range []int{1, 1000, 10000, 100000} {
		data := [2][]byte{reloadYAML(n, "a"), reloadYAML(n, "b")}
		first, err := config.Parse(data[0])
		if err != nil {
			b.Fatal(err)
		}
		a, err := New(first, Options{Logger: quiet()})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("domains=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				cfg, err := config.Parse(data[i%2])
				if err != nil {
					b.Fatal(err)
				}
				changes, err := a.Reload(cfg, "bench")
				if err != nil || len(changes) == 0 {
					b.Fatalf("reload: %v, %d changes", err, len(changes))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/domain")
		})
		a.Close()
	}
}

// BenchmarkReloadSwap is BenchmarkReload without config.Parse: App.Reload
// alone, on configurations already parsed.
//
//	go test ./app -run XXX -bench 'BenchmarkReloadSwap$' -benchtime 2x
func BenchmarkReloadSwap(b *testing.B) {
	for _, n := range []int{1, 1000, 10000, 100000} {
		var cfgs [2]*config.Config
		for i, suffix := range []string{"a", "b"} {
			cfg, err := config.Parse(reloadYAML(n, suffix))
			if err != nil {
				b.Fatal(err)
			}
			cfgs[i] = cfg
		}
		a, err := New(cfgs[0], Options{Logger: quiet()})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("domains=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				changes, err := a.Reload(cfgs[i%2], "bench")
				if err != nil || len(changes) == 0 {
					b.Fatalf("reload: %v, %d changes", err, len(changes))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/domain")
		})
		a.Close()
	}
}

// BenchmarkNew measures what a one-shot command (mailhelp ask, check)
// does with its configuration file's bytes, by number of domains:
// config.Complete, config.Parse and app.New.
//
//	go test ./app -run XXX -bench 'BenchmarkNew$' -benchtime 2x
func BenchmarkNew(b *testing.B) {
	for _, n := range []int{1, 1000, 10000, 100000} {
		data := reloadYAML(n, "a")
		b.Run(fmt.Sprintf("domains=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := config.Complete(data); err != nil {
					b.Fatal(err)
				}
				cfg, err := config.Parse(data)
				if err != nil {
					b.Fatal(err)
				}
				a, err := New(cfg, Options{Logger: quiet()})
				if err != nil {
					b.Fatal(err)
				}
				a.Close()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/domain")
		})
	}
}
