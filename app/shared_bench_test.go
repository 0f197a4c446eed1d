package app

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/internal/testredis"
)

// BenchmarkSharedAnswer measures what a shared store adds to an answer
// as a chat adapter gives it: claim the delivery (fetching the
// conversation with it), answer it (recalling the conversation,
// remembering it in the background), then say it is done — with the
// store on a private redis-server on loopback ("redis") and without it
// ("local"). p50-ms and p99-ms are the time from the delivery to the
// answer, what the person waits for (the answer is posted before done
// is called); done-p99-ms includes done. The store's cost is the
// difference between the two modes (the target: under 1 ms at
// the 99th percentile).
func BenchmarkSharedAnswer(b *testing.B) {
	rs := testredis.Start(b)
	const yaml = "audit:\n  file: \"off\"\ndomains:\n  - domain: domaine.com\n    host: bm.domaine.com\ncheck:\n  enabled: false\n"
	for _, mode := range []string{"local", "redis"} {
		b.Run(mode, func(b *testing.B) {
			cfg := yaml
			if mode == "redis" {
				cfg += "store:\n  url: " + rs.URL() + "\n"
			}
			a, err := New(mustConfig(b, cfg), Options{Logger: quiet(), Shared: true})
			if err != nil {
				b.Fatal(err)
			}
			defer a.Close()
			if _, shared := a.StoreStats(); shared != (mode == "redis") {
				b.Fatalf("store opened: %v", shared)
			}
			ctx := context.Background()
			ans, deliveries := a.Answerer(), a.Deliveries()
			times, withDone := make([]time.Duration, 0, b.N), make([]time.Duration, 0, b.N)
			run := strconv.FormatInt(time.Now().UnixNano(), 36) // ids new to the store in each run
			b.ResetTimer()
			for i := range b.N {
				start := time.Now()
				user, conv := "U"+strconv.Itoa(i%50), "C1/"+strconv.Itoa(i%200)
				// As the adapters do: the claim names the conversation.
				hinted := bot.WithRecallHint(ctx, bot.ConversationKey("slack", conv, user))
				done, st := deliveries.Claim(hinted, "slack:event:Ev"+run+"."+strconv.Itoa(i))
				if st != bot.Claimed {
					b.Fatalf("delivery %d: %v", i, st)
				}
				r := ans.Serve(ctx, &bot.Request{Text: "configure iPhone for alice@domaine.com", Platform: "slack",
					UserID: user, Conversation: conv})
				times = append(times, time.Since(start))
				done(true)
				withDone = append(withDone, time.Since(start))
				if r.Code != "" || !strings.Contains(r.Title, "alice@domaine.com") {
					b.Fatalf("answer: %s %s", r.Code, r.Title)
				}
			}
			b.StopTimer()
			if st, ok := a.StoreStats(); ok && (st.Fallbacks != 0 || st.CallsFailed != 0) {
				b.Fatalf("store stats: %+v", st)
			}
			slices.Sort(times)
			slices.Sort(withDone)
			p := func(times []time.Duration, q float64) float64 {
				return float64(times[int(q*float64(len(times)-1))].Microseconds()) / 1000
			}
			b.ReportMetric(p(times, 0.5), "p50-ms")
			b.ReportMetric(p(times, 0.99), "p99-ms")
			b.ReportMetric(p(withDone, 0.99), "done-p99-ms")
		})
	}
}
