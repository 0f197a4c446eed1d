package slackbot

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/internal/testbot"
)

// BenchmarkAckLatency measures how long Slack waits for the bot to
// acknowledge an envelope while 50 live checks (3 s each) are in flight.
//
//	go test ./bot/slackbot -run XXX -bench BenchmarkAckLatency -benchtime 500x
func BenchmarkAckLatency(b *testing.B) {
	f := newFakeSlack(b)
	f.ackc = make(chan string, 1024)
	r, cat := testRouter(b, slowProber{Pause: 3 * time.Second})
	a := startBotWith(b, f, Options{Router: r, Translator: cat, MaxInFlight: 256})
	_ = a
	for i := range 50 {
		f.send(mentionEnvelope(fmt.Sprintf("chk-%d", i), fmt.Sprintf("EvChk%d", i), "U1", fmt.Sprintf("CK%d", i), "1.1", "<@UBOT> check alice@domaine.com"))
	}
	drain(f.ackc, 50)
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		id := fmt.Sprintf("env-%d", i)
		sent := time.Now()
		f.send(mentionEnvelope(id, "Ev"+id, "U1", fmt.Sprintf("C%d", i), "1.1", "<@UBOT> help"))
		for got := range f.ackc {
			if got == id {
				break
			}
		}
		lat = append(lat, time.Since(sent))
	}
	b.StopTimer()
	testbot.ReportLatency(b, "ack", lat)
}

// BenchmarkMentionOverhead measures the bot's own time per answered
// mention: from the envelope leaving the fake to chat.postMessage
// arriving at it, minus the fake's echo round-trip (one websocket frame
// out and one Web API call back, measured without the bot).
//
//	go test ./bot/slackbot -run XXX -bench BenchmarkMentionOverhead -benchtime 2000x
func BenchmarkMentionOverhead(b *testing.B) {
	f := newFakeSlack(b)
	f.postc = make(chan apiCall, 16)
	r, cat := testRouter(b, slowProber{})
	startBotWith(b, f, Options{Router: r, Translator: cat})
	echo := echoRoundTrip(b, f)
	var over []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		id := fmt.Sprintf("env-%d", i)
		sent := time.Now()
		f.send(mentionEnvelope(id, "Ev"+id, "U1", fmt.Sprintf("C%d", i), "1.1", "<@UBOT> configure BlackBerry for alice@domaine.com"))
		c := <-f.postc
		over = append(over, c.At.Sub(sent)-echo)
	}
	b.StopTimer()
	testbot.ReportLatency(b, "overhead", over)
	b.ReportMetric(float64(echo.Microseconds())/1000, "echo_ms")
}

// echoRoundTrip is the median time of a websocket frame to the bot's
// side plus a Web API call back, done by a bare client: what the fake
// itself costs per answer.
func echoRoundTrip(b *testing.B, f *fakeSlack) time.Duration {
	b.Helper()
	return testbot.Median(b, 200, func() error {
		resp, err := http.Post(f.srv.URL+"/api/auth.test", "application/x-www-form-urlencoded", strings.NewReader("token=x"))
		if err != nil {
			return err
		}
		return resp.Body.Close()
	})
}

func drain(c chan string, n int) {
	for range n {
		<-c
	}
}
