package loadgen

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestRun loads every target for a moment: each answers 200 with the
// expected answer, and the report gives the ratios. Nothing here is
// timed: the numbers are whatever the machine gives.
func TestRun(t *testing.T) {
	for _, tc := range []struct {
		opts   Options
		names  []string
		ratios []string
	}{
		{Options{Conns: 4, Duration: 300 * time.Millisecond, Rounds: 2}, TargetNames,
			[]string{"ratio api-en/plain = ", "ratio page-fr/api-fr = "}},
		{Options{Conns: 2, Duration: 100 * time.Millisecond, Rounds: 1, Domains: []int{1, 50}, Spread: true, Targets: []string{"plain", "api-en", "page-fr"}},
			[]string{"plain", "api-en@1", "api-en@50", "page-fr@1", "page-fr@50"},
			[]string{"ratio api-en@50/plain = ", "ratio page-fr@50/page-fr@1 = ", "configuration@50: 50 generated domains, asked about at random"}},
		{Options{Conns: 2, Duration: 100 * time.Millisecond, Rounds: 1, Users: 100, Targets: []string{"api-en", "page-en"}},
			[]string{"api-en", "page-en"}, []string{"address alice{0…99}@domaine.com"}},
		{Options{Conns: 2, Duration: 100 * time.Millisecond, Rounds: 1, Domains: []int{20}, Spread: true, Users: 5, Targets: []string{"api-fr"}},
			[]string{"api-fr"}, []string{"alice{0…4}@d{0…19}.example"}},
	} {
		rep, err := Run(context.Background(), tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if _, err := rep.WriteTo(&out); err != nil {
			t.Fatal(err)
		}
		if rep.Errors() != 0 {
			t.Fatalf("errors:\n%s", out.String())
		}
		if len(rep.Results) != len(tc.names) {
			t.Fatalf("%d results, want %d:\n%s", len(rep.Results), len(tc.names), out.String())
		}
		for i, res := range rep.Results {
			if res.Name != tc.names[i] || res.Requests == 0 || res.Bytes == 0 || res.Statuses[200] != res.Requests || res.P99 < res.P50 {
				t.Errorf("result %+v", res)
			}
		}
		if api, _ := rep.Result("api-en"); rep.PlainBytes == 0 || (tc.opts.Domains == nil && tc.opts.Users == 0 && api.Bytes != rep.PlainBytes) {
			t.Errorf("plain body of %d bytes, api-en's %d", rep.PlainBytes, api.Bytes)
		}
		for _, s := range append(tc.ratios, "rate limits:", "requests/s", "p99") {
			if !strings.Contains(out.String(), s) {
				t.Errorf("the report does not say %q:\n%s", s, out.String())
			}
		}
	}
}

// TestErrorsAreReported: a target answering anything but a 200 with the
// expected answer counts errors, and the report gives no ratio.
func TestErrorsAreReported(t *testing.T) {
	// The API refuses with a 200 (a refusal is an answer), the page
	// with a 429.
	const refusal = `{"intent":"configure","reply":{"intent":"configure","lang":"en","code":"rate_limited"}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/fr/") {
			w.WriteHeader(http.StatusTooManyRequests)
		}
		_, _ = w.Write([]byte(refusal))
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	addrs := addresses{first: "alice@domaine.com", shown: "alice@domaine.com"}
	opts := Options{Conns: 2}
	rep := &Report{Results: []Result{
		load(context.Background(), host, targets["plain"], addrs, len(refusal), opts, 50*time.Millisecond),
		load(context.Background(), host, targets["api-en"], addrs, 0, opts, 50*time.Millisecond),
		load(context.Background(), host, targets["page-fr"], addrs, 0, opts, 50*time.Millisecond),
	}}
	for i := range rep.Results {
		rep.Results[i].finish()
	}
	var out bytes.Buffer
	_, _ = rep.WriteTo(&out)
	if plain, _ := rep.Result("plain"); plain.Errors != 0 {
		t.Errorf("plain: %d errors: %s", plain.Errors, plain.FirstError)
	}
	for _, name := range []string{"api-en", "page-fr"} {
		if res, _ := rep.Result(name); res.Errors == 0 || res.Errors != res.Requests {
			t.Errorf("%s: %d errors of %d", name, res.Errors, res.Requests)
		}
	}
	if !strings.Contains(out.String(), "ERRORS:") || strings.Contains(out.String(), "ratio api") {
		t.Errorf("the report hides the errors:\n%s", out.String())
	}
}

// TestConnRead reads responses framed by length and by chunks, and
// refuses malformed ones.
func TestConnRead(t *testing.T) {
	for _, tc := range []struct {
		raw, body string
		status    int
		closing   bool
		bad       bool
	}{
		{raw: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", body: "hello", status: 200},
		{raw: "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nTrailer: 1\r\n\r\n",
			body: "abcde", status: 404, closing: true},
		{raw: "HTTP/1.1 200 OK\r\n\r\n", bad: true},
		{raw: "SMTP 220\r\n\r\n", bad: true},
		{raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", bad: true},
		{raw: "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort", bad: true},
	} {
		client, server := net.Pipe()
		go func() {
			_, _ = server.Write([]byte(tc.raw))
			server.Close()
		}()
		c := &conn{c: client, br: bufio.NewReader(client)}
		status, closing, err := c.read()
		client.Close()
		if tc.bad {
			if err == nil {
				t.Errorf("%q: read as %d %q", tc.raw, status, c.body)
			}
			continue
		}
		if err != nil || status != tc.status || closing != tc.closing || string(c.body) != tc.body {
			t.Errorf("%q: %d %v %q %v", tc.raw, status, closing, c.body, err)
		}
	}
}
