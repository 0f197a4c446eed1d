package verify

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/mailhelp/mailhelp/discovery"
)

// userAgent is sent with every request.
const userAgent = "mailhelp-discovery-check"

// maxRedirects is how many redirects a fetch follows, among the
// domain's web names only.
const maxRedirects = 3

// maxHeaderBytes bounds a response's header.
const maxHeaderBytes = 16 << 10

// webClient fetches the domain's discovery URLs, dialing only its pinned
// web names on the HTTPS and HTTP ports.
type webClient struct {
	c         *Checker
	hosts     *pinnedHosts
	transport *http.Transport
	client    *http.Client
}

// newWebClient builds the HTTP client of one check.
func newWebClient(c *Checker, hosts *pinnedHosts) *webClient {
	w := &webClient{c: c, hosts: hosts}
	w.transport = &http.Transport{
		Proxy:                  nil, // never a proxy from the environment
		DialContext:            w.dial,
		TLSClientConfig:        &tls.Config{RootCAs: c.opts.Roots, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    c.opts.FetchTimeout,
		ResponseHeaderTimeout:  c.opts.FetchTimeout,
		MaxResponseHeaderBytes: maxHeaderBytes,
		DisableKeepAlives:      true,
	}
	w.client = &http.Client{Transport: w.transport, CheckRedirect: w.checkRedirect} // no Jar: no cookies
	return w
}

// close releases the client's connections.
func (w *webClient) close() { w.transport.CloseIdleConnections() }

// url builds the URL of a web name and path on the port of scheme.
func (w *webClient) url(scheme, host, pathQuery string) string {
	port, std := w.c.opts.HTTPSPort, 443
	if scheme == "http" {
		port, std = w.c.opts.HTTPPort, 80
	}
	if port != std {
		host = net.JoinHostPort(host, strconv.Itoa(port))
	}
	return scheme + "://" + host + pathQuery
}

// allowed reports whether u may be fetched: http or https, on that
// scheme's port, at one of the web names, without user information.
func (w *webClient) allowed(u *url.URL) bool {
	if u.User != nil {
		return false
	}
	var want int
	std := "443"
	switch u.Scheme {
	case "https":
		want = w.c.opts.HTTPSPort
	case "http":
		want, std = w.c.opts.HTTPPort, "80"
	default:
		return false
	}
	p := u.Port()
	if p == "" {
		p = std
	}
	if port, err := strconv.Atoi(p); err != nil || port != want {
		return false
	}
	_, ok := w.hosts.names[strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))]
	return ok
}

// redirectError refuses a redirect.
type redirectError struct{ to string }

func (e *redirectError) Error() string { return redirectDetail + e.to }

// redirectDetail begins the detail of a refused redirect.
const redirectDetail = "redirect to another host: "

// errTooManyRedirects stops a chain of redirects.
var errTooManyRedirects = fmt.Errorf("more than %d redirects", maxRedirects)

// checkRedirect follows at most maxRedirects redirects, among the web
// names on their ports, never from https to http.
func (w *webClient) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects {
		return errTooManyRedirects
	}
	prev := via[len(via)-1].URL
	if !w.allowed(req.URL) || prev.Scheme == "https" && req.URL.Scheme != "https" {
		return &redirectError{to: clip(req.URL.Scheme + "://" + req.URL.Host)}
	}
	return nil
}

// dial connects to a web name at the addresses it was pinned to.
func (w *webClient) dial(ctx context.Context, network, address string) (net.Conn, error) {
	host, portStr, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", address, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port != w.c.opts.HTTPSPort && port != w.c.opts.HTTPPort {
		return nil, fmt.Errorf("dial %s: port %s: %w", address, portStr, errNotAllowed)
	}
	addrs, err := w.hosts.addrs(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", address, err)
	}
	var d net.Dialer
	var last error
	for _, a := range addrs {
		conn, err := d.DialContext(ctx, "tcp", netip.AddrPortFrom(a, uint16(port)).String())
		if err == nil {
			return conn, nil
		}
		last = err
		if ctx.Err() != nil {
			break
		}
	}
	return nil, fmt.Errorf("dial %s: %w", address, last)
}

// answer is what a fetch got: a 200 response's body, or the problem
// that ends the source.
type answer struct {
	// status is the HTTP status; 0 when no response came.
	status      int
	contentType string
	body        []byte
	// problem is set when no usable body came; missing means the source
	// is not published.
	problem *discovery.Problem
	missing bool
	refused bool
}

// fetch requests rawURL (a GET when body is nil, else a POST of body
// with contentType) within the fetch timeout and ctx, and reads a
// bounded body. The source is missing when its name does not exist or it
// answers 404 or 410.
func (w *webClient) fetch(ctx context.Context, rawURL string, body []byte, contentType string) answer {
	u, err := url.Parse(rawURL)
	if err != nil || !w.allowed(u) {
		p := invalid("not one of the domain's URLs")
		return answer{problem: &p}
	}
	if _, err := w.hosts.addrs(ctx, u.Hostname()); err != nil {
		if notFound(err) {
			p := discovery.Problem{Code: discovery.CodeMissing, Field: "document", Detail: "no such name: " + u.Hostname()}
			return answer{problem: &p, missing: true}
		}
		p := fetchFailed(dnsDetail(err, ctx))
		return answer{problem: &p}
	}
	fctx, cancel := context.WithTimeout(ctx, w.c.opts.FetchTimeout)
	defer cancel()
	method := http.MethodGet
	var rd io.Reader
	if body != nil {
		method, rd = http.MethodPost, bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(fctx, method, rawURL, rd)
	if err != nil {
		p := fetchFailed(err.Error())
		return answer{problem: &p}
	}
	req.Header.Set("User-Agent", userAgent)
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		p, refused := w.fetchProblem(err, ctx)
		return answer{problem: &p, refused: refused}
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type")}
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		p := discovery.Problem{Code: discovery.CodeMissing, Field: "document", Detail: "HTTP " + strconv.Itoa(resp.StatusCode)}
		a.problem, a.missing = &p, true
		return a
	case resp.StatusCode != http.StatusOK:
		p := fetchFailed("HTTP " + resp.Status)
		a.problem = &p
		return a
	case resp.ContentLength > discovery.MaxDocument:
		p := fetchFailed(fmt.Sprintf("over the size limit: %d bytes, more than %d", resp.ContentLength, discovery.MaxDocument))
		a.problem = &p
		return a
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, discovery.MaxDocument+1))
	if err != nil {
		p, _ := w.fetchProblem(err, ctx)
		a.problem = &p
		return a
	}
	if len(data) > discovery.MaxDocument {
		p := fetchFailed(fmt.Sprintf("over the size limit: more than %d bytes", discovery.MaxDocument))
		a.problem = &p
		return a
	}
	a.body = data
	return a
}

// fetchProblem describes a failed request; refused tells that nothing
// listens there.
func (w *webClient) fetchProblem(err error, budget context.Context) (discovery.Problem, bool) {
	var re *redirectError
	var ue *url.Error
	inner := err
	if errors.As(err, &ue) {
		inner = ue.Err
	}
	switch {
	case errors.As(err, &re):
		return invalid(re.Error()), false
	case errors.Is(err, errTooManyRedirects):
		return invalid(errTooManyRedirects.Error()), false
	case budgetSpent(budget):
		return fetchFailed(budgetDetail), false
	case errors.Is(err, syscall.ECONNREFUSED):
		return fetchFailed("connection refused"), true
	case isCertError(err):
		return fetchFailed("TLS certificate: " + clipLong(inner.Error())), false
	case isTimeout(err):
		return fetchFailed(fmt.Sprintf("timeout: no complete answer within %s", w.c.opts.FetchTimeout)), false
	case errors.Is(err, errNotAllowed):
		return fetchFailed("refused by the dial policy: " + clipLong(inner.Error())), false
	}
	return fetchFailed(clipLong(inner.Error())), false
}

// isCertError reports whether err is a failed certificate verification.
func isCertError(err error) bool {
	var he x509.HostnameError
	var ua x509.UnknownAuthorityError
	var ci x509.CertificateInvalidError
	var cv *tls.CertificateVerificationError
	return errors.As(err, &he) || errors.As(err, &ua) || errors.As(err, &ci) || errors.As(err, &cv)
}

// isTimeout reports whether err is a deadline.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout())
}

// clipLong shortens an error message for a Detail.
func clipLong(s string) string {
	const max = 200
	if len(s) > max {
		return strings.ToValidUTF8(s[:max], "") + "…"
	}
	return strings.ToValidUTF8(s, "�")
}

// isHTML reports whether a body looks like a web page.
func isHTML(contentType string, body []byte) bool {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(contentType)), "text/html") {
		return true
	}
	head := bytes.ToLower(bytes.TrimSpace(body[:min(len(body), 512)]))
	return slices.ContainsFunc([]string{"<!doctype html", "<html"}, func(p string) bool { return bytes.HasPrefix(head, []byte(p)) })
}
