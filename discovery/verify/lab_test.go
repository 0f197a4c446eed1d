package verify

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"github.com/mailhelp/mailhelp/internal/testdns"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/internal/testpki"
	"github.com/mailhelp/mailhelp/knowledge"
)

// testDomain is the domain the tests check.
var testDomain = knowledge.Domain{Name: "domaine.test", Host: "mail.domaine.test"}

var pki struct {
	once        sync.Once
	ca          *testpki.CA
	good, wrong *testpki.Leaf
	err         error
}

// testCerts returns a test CA, a certificate for the domain's web names
// and one for another name.
func testCerts(t testing.TB) (*testpki.CA, *testpki.Leaf, *testpki.Leaf) {
	t.Helper()
	pki.once.Do(func() {
		if pki.ca, pki.err = testpki.NewCA(); pki.err != nil {
			return
		}
		if pki.good, pki.err = pki.ca.Valid("autoconfig.domaine.test", "domaine.test", "autodiscover.domaine.test"); pki.err != nil {
			return
		}
		pki.wrong, pki.err = pki.ca.Valid("www.elsewhere.test")
	})
	if pki.err != nil {
		t.Fatal(pki.err)
	}
	return pki.ca, pki.good, pki.wrong
}

// lab is a domain's whole publication on loopback: a DNS server, and an
// HTTPS and an HTTP server whose handlers are looked up by host and path.
type lab struct {
	t         *testing.T
	d         knowledge.Domain
	zone      *testdns.Zone
	dnsAddr   string
	ca        *testpki.CA
	cert      *testpki.Leaf
	httpsPort int
	httpPort  int
	mu        sync.Mutex
	https     map[string]http.Handler // "host/path"
	http      map[string]http.Handler
}

// newLab publishes d correctly: every SRV record of discovery.Records,
// the web names at 127.0.0.1, autoconfig at its HTTPS URL and
// Autodiscover at the domain's HTTPS URL; everything else is 404.
func newLab(t *testing.T, d knowledge.Domain) *lab {
	t.Helper()
	ca, good, _ := testCerts(t)
	l := &lab{t: t, d: d, zone: testdns.NewZone(), ca: ca, cert: good,
		https: map[string]http.Handler{}, http: map[string]http.Handler{}}
	l.dnsAddr = testdns.Start(t, l.zone)
	s := discovery.For(d)
	for _, r := range discovery.Records(s) {
		l.zone.SetSRV(r.Service+"."+d.Name, testdns.SRV{Priority: r.Priority, Weight: r.Weight, Port: uint16(r.Port), Target: r.Target})
	}
	for _, n := range webNames(d.Name) {
		l.zone.SetA(n, "127.0.0.1")
	}
	l.serveHTTPS("autoconfig."+d.Name+"/mail/config-v1.1.xml", xmlDoc(discovery.Autoconfig(s, "", nil)))
	l.serveHTTPS(d.Name+"/autodiscover/autodiscover.xml", autodiscoverHandler(t, s))

	hs := httptest.NewUnstartedServer(l.handler(true))
	hs.TLS = &tls.Config{GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
		l.mu.Lock()
		defer l.mu.Unlock()
		return &l.cert.TLS, nil
	}}
	hs.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	hs.StartTLS()
	t.Cleanup(hs.Close)
	h := httptest.NewServer(l.handler(false))
	t.Cleanup(h.Close)
	l.httpsPort, l.httpPort = port(t, hs.Listener.Addr()), port(t, h.Listener.Addr())
	return l
}

func port(t testing.TB, a net.Addr) int {
	t.Helper()
	_, p, err := net.SplitHostPort(a.String())
	if err != nil {
		t.Fatal(err)
	}
	var n int
	fmt.Sscan(p, &n)
	return n
}

func (l *lab) handler(https bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.UserAgent() != userAgent {
			l.t.Errorf("User-Agent %q", r.UserAgent())
		}
		if len(r.Cookies()) > 0 {
			l.t.Errorf("cookies sent: %v", r.Cookies())
		}
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		l.mu.Lock()
		table := l.http
		if https {
			table = l.https
		}
		h := table[host+r.URL.Path]
		l.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		// A cookie the client must not send back.
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "x"})
		h.ServeHTTP(w, r)
	})
}

func (l *lab) serveHTTPS(hostPath string, h http.Handler) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if h == nil {
		delete(l.https, hostPath)
		return
	}
	l.https[hostPath] = h
}

func (l *lab) serveHTTP(hostPath string, h http.Handler) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if h == nil {
		delete(l.http, hostPath)
		return
	}
	l.http[hostPath] = h
}

// url is a URL of the lab's servers.
func (l *lab) url(scheme, host, path string) string {
	p := l.httpsPort
	if scheme == "http" {
		p = l.httpPort
	}
	return fmt.Sprintf("%s://%s:%d%s", scheme, host, p, path)
}

// options are the checker's options for the lab.
func (l *lab) options() Options {
	return Options{Resolver: testdns.Resolver(l.dnsAddr), Roots: l.ca.Pool(), HTTPSPort: l.httpsPort, HTTPPort: l.httpPort,
		Budget: 10 * time.Second, FetchTimeout: 3 * time.Second}
}

// xmlDoc serves a fixed XML document.
func xmlDoc(body []byte) http.Handler {
	return serve("application/xml; charset=utf-8", body)
}

func serve(contentType string, body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(body)
	})
}

// autodiscoverHandler answers Outlook's POST for s, checking the request.
func autodiscoverHandler(t testing.TB, s discovery.Settings) http.Handler {
	return autodiscoverFunc(t, func(address string) []byte { return discovery.Autodiscover(s, address) })
}

func autodiscoverFunc(t testing.TB, answer func(address string) []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/xml") {
			t.Errorf("autodiscover: %s with Content-Type %q", r.Method, r.Header.Get("Content-Type"))
		}
		data, _ := io.ReadAll(io.LimitReader(r.Body, discovery.MaxDocument+1))
		address, err := discovery.ParseAutodiscoverRequest(data)
		if err != nil {
			t.Errorf("autodiscover request: %v\n%s", err, data)
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", discovery.AutodiscoverContentType)
		_, _ = w.Write(answer(address))
	})
}

// redirect answers with a redirect to url.
func redirect(url string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, url, http.StatusFound)
	})
}

// closedPort is a loopback port nothing listens on.
func closedPort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := port(t, l.Addr())
	l.Close()
	return p
}

// tarpit accepts connections and never answers; with drip, it sends an
// HTTP response header then its body one byte at a time, never ending.
func tarpit(t testing.TB, drip bool) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	t.Cleanup(func() {
		close(done)
		l.Close()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				if !drip {
					<-done
					return
				}
				// Answer once the request's header is read.
				br := bufio.NewReader(c)
				for {
					line, err := br.ReadString('\n')
					if err != nil {
						return
					}
					if line == "\r\n" {
						break
					}
				}
				if _, err := io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n\r\n"); err != nil {
					return
				}
				for {
					select {
					case <-done:
						return
					case <-time.After(50 * time.Millisecond):
					}
					if _, err := c.Write([]byte{' '}); err != nil {
						return
					}
				}
			})
		}
	})
	return port(t, l.Addr())
}
