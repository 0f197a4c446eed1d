package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/web"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/internal/loadgen"
)

// BenchmarkHandler measures the server's own cost per request, without
// the network: the handler of mailhelp serve (as cmd/loadgen builds it,
// logging to io.Discard) answering the API and the answer pages. The
// load generator (cmd/loadgen) measures the same requests over loopback
// side by side with a plain handler.
//
//	go test ./bot/web -run XXX -bench BenchmarkHandler -benchmem
func BenchmarkHandler(b *testing.B) {
	cfg, err := config.Default()
	if err != nil {
		b.Fatal(err)
	}
	h, a, err := loadgen.Mailhelp(cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	// The same server with a router that answers at no cost: what the web
	// side itself costs.
	reply := a.Answerer().Serve(context.Background(), &bot.Request{Text: "configure BlackBerry for alice@domaine.com", Platform: "web"})
	stub, err := web.New(web.Options{Router: fixedAnswer{reply, a.Answerer()}, Translator: a.Catalog(),
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), Metrics: web.NewMetrics()})
	if err != nil {
		b.Fatal(err)
	}
	rec := httptest.NewRecorder()
	stub.ServeHTTP(rec, apiRequest(`{"text":"configure BlackBerry for alice@domaine.com"}`))
	plain := loadgen.Plain(rec.Body.Len())
	for _, bc := range []struct {
		name string
		h    http.Handler
		body string
	}{{"plain", plain, ""}, {"api-en-fixed-answer", stub, `{"text":"configure BlackBerry for alice@domaine.com"}`}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("GET", "/plain", nil)
				if bc.body != "" {
					req = apiRequest(bc.body)
				}
				rec := httptest.NewRecorder()
				bc.h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatal(rec.Code)
				}
			}
		})
	}
	for _, bc := range []struct{ name, method, target, body string }{
		{"api-en", "POST", "/api/v1/ask", `{"text":"configure BlackBerry for alice@domaine.com"}`},
		{"api-fr", "POST", "/api/v1/ask", `{"text":"Comment configurer mon BlackBerry pour alice@domaine.com ?"}`},
		{"page-fr", "GET", "/fr/blackberry10?address=alice%40domaine.com", ""},
		{"page-en", "GET", "/en/blackberry10?address=alice%40domaine.com", ""},
		{"page-iphone", "GET", "/en/iphone?address=alice%40domaine.com", ""},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(bc.method, bc.target, strings.NewReader(bc.body))
				req.RemoteAddr, req.Host = "127.0.0.1:40000", "127.0.0.1:8080"
				if bc.body != "" {
					req = apiRequest(bc.body)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s %s: %d", bc.method, bc.target, rec.Code)
				}
			}
		})
	}
}

// apiRequest is a request to the API from loopback.
func apiRequest(body string) *http.Request {
	req := httptest.NewRequest("POST", "/api/v1/ask", strings.NewReader(body))
	req.RemoteAddr, req.Host = "127.0.0.1:40000", "127.0.0.1:8080"
	req.Header.Set("Content-Type", "application/json")
	return req
}

// fixedAnswer answers every request with the same reply, at no cost.
type fixedAnswer struct {
	reply *bot.Reply
	bot.Answerer
}

func (f fixedAnswer) Serve(context.Context, *bot.Request) *bot.Reply { return f.reply }

// BenchmarkHandlerDomains compares the cost of an answer and of an
// answer page for a configuration of 1 and of 100 000 domains (issue 17:
// the same within 10%), asking about the last domain.
//
//	go test ./bot/web -run XXX -bench BenchmarkHandlerDomains -count 3
func BenchmarkHandlerDomains(b *testing.B) {
	for _, n := range []int{1, 100000} {
		cfg, err := config.Parse(loadgen.DomainsYAML(n))
		if err != nil {
			b.Fatal(err)
		}
		h, a, err := loadgen.Mailhelp(cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
		if err != nil {
			b.Fatal(err)
		}
		address := "alice@d" + strconv.Itoa(n-1) + ".example"
		for _, bc := range []struct{ name, method, target, body string }{
			{"api-en", "POST", "/api/v1/ask", `{"text":"configure BlackBerry for ` + address + `"}`},
			{"page-fr", "GET", "/fr/blackberry10?address=" + address, ""},
		} {
			b.Run(bc.name+"/domains="+strconv.Itoa(n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					req := httptest.NewRequest(bc.method, bc.target, strings.NewReader(bc.body))
					req.RemoteAddr, req.Host = "127.0.0.1:40000", "127.0.0.1:8080"
					if bc.body != "" {
						req = apiRequest(bc.body)
					}
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Fatalf("%s %s: %d", bc.method, bc.target, rec.Code)
					}
				}
			})
		}
		a.Close()
	}
}
