package discordbot

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/internal/testbot"
)

// BenchmarkDeferral measures how long a Check connection press waits for
// its deferral while 50 live checks (3 s each) are in flight.
//
//	go test ./bot/discordbot -run XXX -bench BenchmarkDeferral -benchtime 500x
func BenchmarkDeferral(b *testing.B) {
	f := newFakeDiscord(b)
	startBot(b, f, testOptions(b, 3*time.Second))
	f.callc = make(chan restCall, 4096)
	for i := range 50 {
		f.dispatch("INTERACTION_CREATE", buttonInteraction(fmt.Sprintf("busy-%d", i), "en-US", idCheck+"alice@domaine.com"))
	}
	waitPaths(f.callc, "/callback", 50)
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		id := fmt.Sprintf("I%d", i)
		sent := time.Now()
		f.dispatch("INTERACTION_CREATE", buttonInteraction(id, "en-US", idCheck+"bob@domaine.com"))
		for c := range f.callc {
			if c.Path == "/interactions/"+id+"/tok-"+id+"/callback" {
				lat = append(lat, c.At.Sub(sent))
				break
			}
		}
	}
	b.StopTimer()
	testbot.ReportLatency(b, "deferral", lat)
}

// BenchmarkMessageOverhead measures the bot's time per answered DM: from
// the gateway dispatch leaving the fake to the message POST arriving at
// it, minus the fake's echo round-trip (a bare REST call).
//
//	go test ./bot/discordbot -run XXX -bench BenchmarkMessageOverhead -benchtime 2000x
func BenchmarkMessageOverhead(b *testing.B) {
	f := newFakeDiscord(b)
	startBot(b, f, testOptions(b, 0))
	f.callc = make(chan restCall, 4096)
	echo := echoRoundTrip(b, f)
	var over []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		sent := time.Now()
		f.dispatch("MESSAGE_CREATE", messageCreate(fmt.Sprintf("M%d", i), "D1", "", "U1", "configure BlackBerry for alice@domaine.com", false))
		for c := range f.callc {
			if c.Method == "POST" && strings.HasSuffix(c.Path, "/messages") {
				over = append(over, c.At.Sub(sent)-echo)
				break
			}
		}
	}
	b.StopTimer()
	testbot.ReportLatency(b, "overhead", over)
	b.ReportMetric(float64(echo.Microseconds())/1000, "echo_ms")
}

func echoRoundTrip(b *testing.B, f *fakeDiscord) time.Duration {
	b.Helper()
	return testbot.Median(b, 200, func() error {
		resp, err := http.Get(f.srv.URL + "/api/v9/gateway")
		if err != nil {
			return err
		}
		return resp.Body.Close()
	})
}

func waitPaths(c chan restCall, suffix string, n int) {
	for got := 0; got < n; {
		if strings.HasSuffix((<-c).Path, suffix) {
			got++
		}
	}
}
