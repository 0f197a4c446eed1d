package verify

import (
	"context"
	"errors"
	"github.com/mailhelp/mailhelp/internal/testdns"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/probe"
)

// scenario is one publication of the test domain and what the check
// must say about it.
type scenario struct {
	name string
	// domain replaces testDomain.
	domain *knowledge.Domain
	// setup changes the correct publication.
	setup func(t *testing.T, l *lab, o *Options)
	// verdict and codes (the set of every problem code in the report)
	// are what the check must say.
	verdict discovery.Verdict
	codes   []discovery.Code
	// maxDuration, when set, bounds how long Check may take.
	maxDuration time.Duration
	check       func(t *testing.T, rep *discovery.Report)
}

// settings is the correct publication of testDomain, for variants.
func settings() discovery.Settings { return discovery.For(testDomain) }

const (
	acPath = "autoconfig.domaine.test/mail/config-v1.1.xml"
	wkPath = "domaine.test/.well-known/autoconfig/mail/config-v1.1.xml"
	adPath = "domaine.test/autodiscover/autodiscover.xml"
	ad2    = "autodiscover.domaine.test/autodiscover/autodiscover.xml"
)

// autoconfigWith serves at the autoconfig URL the correct document
// changed by change.
func autoconfigWith(l *lab, change func(s *discovery.Settings)) {
	s := settings()
	change(&s)
	l.serveHTTPS(acPath, xmlDoc(discovery.Autoconfig(s, "", nil)))
}

// liveReport is a live check's report of mail.domaine.test where every
// default endpoint works, changed by change.
func liveReport(change func(eps []probe.EndpointReport)) *probe.Report {
	eps := []probe.EndpointReport{}
	for _, e := range probe.DefaultEndpoints() {
		eps = append(eps, probe.EndpointReport{Endpoint: e, Status: probe.StatusOK, Address: "192.0.2.1:1",
			TLS: &probe.TLSInfo{Version: "TLS 1.3"}})
	}
	if change != nil {
		change(eps)
	}
	verdict := probe.StatusOK
	for _, e := range eps {
		if e.Status == probe.StatusFail {
			verdict = probe.StatusFail
		}
	}
	return &probe.Report{Host: "mail.domaine.test", Endpoints: eps, Verdict: verdict}
}

// endpoint finds an endpoint of a report by port.
func endpoint(eps []probe.EndpointReport, port int) *probe.EndpointReport {
	for i := range eps {
		if eps[i].Port == port {
			return &eps[i]
		}
	}
	panic("no endpoint")
}

// withLive sets a Live function returning rep, counting its calls.
func withLive(o *Options, rep *probe.Report, calls *atomic.Int32) {
	o.Live = func(ctx context.Context, d knowledge.Domain) (*probe.Report, error) {
		if calls != nil {
			calls.Add(1)
		}
		if d.Name != testDomain.Name {
			return nil, errors.New("wrong domain")
		}
		return rep, nil
	}
}

// problems lists the problems of every source.
func problems(rep *discovery.Report) []discovery.Problem {
	var out []discovery.Problem
	for _, s := range rep.Sources {
		out = append(out, s.Problems...)
	}
	return out
}

// hasProblem reports whether a problem of the report matches.
func hasProblem(rep *discovery.Report, kind discovery.Kind, match func(discovery.Problem) bool) bool {
	for _, s := range rep.Sources {
		if s.Kind == kind && slices.ContainsFunc(s.Problems, match) {
			return true
		}
	}
	return false
}

func sourceAt(rep *discovery.Report, kind discovery.Kind, i int) discovery.Source {
	n := 0
	for _, s := range rep.Sources {
		if s.Kind == kind {
			if n == i {
				return s
			}
			n++
		}
	}
	panic("no such source")
}

var scenarios = []scenario{
	{name: "all correct", verdict: discovery.VerdictOK, check: func(t *testing.T, rep *discovery.Report) {
		ac := sourceAt(rep, discovery.KindAutoconfig, 0)
		if ac.Status != discovery.StatusOK || ac.Found == nil || len(ac.Found.Incoming) != 2 {
			t.Errorf("autoconfig: %+v", ac)
		}
		for i, want := range []discovery.Status{discovery.StatusSkipped, discovery.StatusSkipped} {
			if s := sourceAt(rep, discovery.KindAutoconfig, i+1); s.Status != want {
				t.Errorf("autoconfig %s: %s, want %s", s.Where, s.Status, want)
			}
		}
		if s := sourceAt(rep, discovery.KindAutodiscover, 1); s.Status != discovery.StatusSkipped {
			t.Errorf("second autodiscover URL: %s", s.Status)
		}
		if s := sourceAt(rep, discovery.KindSRV, 0); s.Where != "_imaps._tcp.domaine.test" || s.Status != discovery.StatusOK {
			t.Errorf("first SRV source: %+v", s)
		}
		if rep.Live != "" {
			t.Errorf("Live = %q without a live check", rep.Live)
		}
	}},
	{name: "nothing published", setup: func(t *testing.T, l *lab, o *Options) {
		for _, r := range discovery.Services {
			l.zone.SetSRV(r.Service + ".domaine.test")
		}
		l.zone.DelA("autoconfig.domaine.test")
		l.zone.DelA("autodiscover.domaine.test")
		l.serveHTTPS(acPath, nil)
		l.serveHTTPS(adPath, nil)
	}, verdict: discovery.VerdictWarning, codes: []discovery.Code{discovery.CodeMissing}, check: func(t *testing.T, rep *discovery.Report) {
		for _, s := range rep.Sources {
			if s.Status != discovery.StatusMissing {
				t.Errorf("%s: %s, want missing", s.Where, s.Status)
			}
		}
	}},
	{name: "autoconfig invalid XML", setup: func(t *testing.T, l *lab, o *Options) {
		l.serveHTTPS(acPath, xmlDoc([]byte("<clientConfig><emailProvider id='x'>")))
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeInvalid, discovery.CodeMissing}},
	{name: "autoconfig with a DTD (billion laughs)", setup: func(t *testing.T, l *lab, o *Options) {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><!DOCTYPE clientConfig [<!ENTITY lol "lol">`)
		prev := "lol"
		for i := range 9 {
			name := "lol" + string(rune('a'+i))
			b.WriteString(`<!ENTITY ` + name + ` "` + strings.Repeat("&"+prev+";", 10) + `">`)
			prev = name
		}
		b.WriteString(`]><clientConfig version="1.1"><emailProvider id="&` + prev + `;"/></clientConfig>`)
		l.serveHTTPS(acPath, xmlDoc([]byte(b.String())))
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeInvalid, discovery.CodeMissing}, maxDuration: 3 * time.Second,
		check: func(t *testing.T, rep *discovery.Report) {
			if !hasProblem(rep, discovery.KindAutoconfig, func(p discovery.Problem) bool { return strings.Contains(p.Detail, "DTD") }) {
				t.Error("no problem names the DTD")
			}
		}},
	{name: "HTML soft 404", setup: func(t *testing.T, l *lab, o *Options) {
		l.serveHTTPS(acPath, serve("text/html; charset=utf-8", []byte("<!DOCTYPE html><html><body>Page not found</body></html>")))
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeInvalid, discovery.CodeMissing}},
	{name: "the domain's web site answers with a page and a redirect", setup: func(t *testing.T, l *lab, o *Options) {
		// Only the bare domain answers (its web site); autoconfig. and
		// autodiscover. are not published. Apps move on: nothing is wrong.
		l.zone.DelA("autoconfig.domaine.test")
		l.zone.DelA("autodiscover.domaine.test")
		l.serveHTTPS(wkPath, serve("text/html; charset=utf-8", []byte("<!DOCTYPE html><html><body>Welcome</body></html>")))
		l.serveHTTPS(adPath, redirect(l.url("https", "www.domaine-corp.test", "/")))
	}, verdict: discovery.VerdictWarning, codes: []discovery.Code{discovery.CodeMissing}, check: func(t *testing.T, rep *discovery.Report) {
		for _, s := range rep.Sources {
			if strings.Contains(s.Where, "://domaine.test/") && (s.Status != discovery.StatusMissing || !strings.Contains(s.Problems[0].Detail, "web site")) {
				t.Errorf("%s: %s %+v, want missing (the web site)", s.Where, s.Status, s.Problems)
			}
		}
	}},
	{name: "the domain's web site refuses", setup: func(t *testing.T, l *lab, o *Options) {
		l.zone.DelA("autoconfig.domaine.test")
		l.zone.DelA("autodiscover.domaine.test")
		forbidden := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "forbidden", http.StatusForbidden) })
		l.serveHTTPS(wkPath, forbidden)
		l.serveHTTPS(adPath, forbidden)
	}, verdict: discovery.VerdictWarning, codes: []discovery.Code{discovery.CodeMissing}},
	{name: "wrong host", setup: func(t *testing.T, l *lab, o *Options) {
		autoconfigWith(l, func(s *discovery.Settings) { s.Incoming[0].Host = "imap.elsewhere.test" })
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeMismatchHost}, check: func(t *testing.T, rep *discovery.Report) {
		want := discovery.Problem{Code: discovery.CodeMismatchHost, Field: "imap", Want: "mail.domaine.test", Got: "imap.elsewhere.test",
			Against: discovery.AgainstConfigured}
		if p := sourceAt(rep, discovery.KindAutoconfig, 0).Problems; len(p) != 1 || p[0] != want {
			t.Errorf("problems %+v, want %+v", p, want)
		}
	}},
	{name: "wrong port", setup: func(t *testing.T, l *lab, o *Options) {
		autoconfigWith(l, func(s *discovery.Settings) { s.Outgoing[0].Port = 25 })
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeMismatchPort}},
	{name: "wrong security (STARTTLS on the SSL port)", setup: func(t *testing.T, l *lab, o *Options) {
		autoconfigWith(l, func(s *discovery.Settings) { s.Incoming[0].Security = knowledge.StartTLS })
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeMismatchSecurity}},
	{name: "local part as username", setup: func(t *testing.T, l *lab, o *Options) {
		autoconfigWith(l, func(s *discovery.Settings) {
			s.Incoming[0].Username = discovery.UsernameLocalPart
			s.Outgoing[0].Username = discovery.UsernameLocalPart
		})
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeMismatchUsername}, check: func(t *testing.T, rep *discovery.Report) {
		n := 0
		for _, p := range problems(rep) {
			if p.Code == discovery.CodeMismatchUsername && p.Want == discovery.UsernameAddress && p.Got == discovery.UsernameLocalPart {
				n++
			}
		}
		if n != 2 {
			t.Errorf("%d username mismatches, want imap and smtp", n)
		}
	}},
	{name: "only http answers", setup: func(t *testing.T, l *lab, o *Options) {
		l.serveHTTP(acPath, l.https[acPath])
		l.serveHTTPS(acPath, nil)
	}, verdict: discovery.VerdictWarning, codes: []discovery.Code{discovery.CodeMissing, discovery.CodeInsecureTransport},
		check: func(t *testing.T, rep *discovery.Report) {
			s := sourceAt(rep, discovery.KindAutoconfig, 2)
			if !strings.HasPrefix(s.Where, "http://") || s.Found == nil || s.Status != discovery.StatusProblems {
				t.Errorf("http source: %+v", s)
			}
		}},
	{name: "plain alternative", setup: func(t *testing.T, l *lab, o *Options) {
		autoconfigWith(l, func(s *discovery.Settings) { s.Incoming[1].Security = discovery.Plain })
	}, verdict: discovery.VerdictWarning, codes: []discovery.Code{discovery.CodeInsecureTransport}},
	{name: "plain preferred", setup: func(t *testing.T, l *lab, o *Options) {
		autoconfigWith(l, func(s *discovery.Settings) { s.Incoming[0].Security, s.Incoming[0].Port = discovery.Plain, 143 })
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeInsecureTransport, discovery.CodeMismatchPort, discovery.CodeMismatchSecurity}},
	{name: "redirect to another host", setup: func(t *testing.T, l *lab, o *Options) {
		l.serveHTTPS(acPath, redirect(l.url("https", "www.elsewhere.test", "/config.xml")))
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeInvalid, discovery.CodeMissing},
		check: func(t *testing.T, rep *discovery.Report) {
			s := sourceAt(rep, discovery.KindAutoconfig, 0)
			if s.Status != discovery.StatusFailed || len(s.Problems) != 1 || !strings.HasPrefix(s.Problems[0].Detail, "redirect to another host") {
				t.Errorf("redirected source: %+v", s)
			}
		}},
	{name: "redirect to another port", setup: func(t *testing.T, l *lab, o *Options) {
		l.serveHTTPS(wkPath, l.https[acPath])
		l.serveHTTPS(acPath, redirect("https://domaine.test:1/.well-known/autoconfig/mail/config-v1.1.xml"))
	}, verdict: discovery.VerdictOK, codes: []discovery.Code{discovery.CodeInvalid}},
	{name: "redirect among the domain's names", setup: func(t *testing.T, l *lab, o *Options) {
		l.serveHTTP(acPath, redirect(l.url("https", "autoconfig.domaine.test", "/mail/config-v1.1.xml")))
		l.serveHTTPS(wkPath, redirect(l.url("https", "autoconfig.domaine.test", "/mail/config-v1.1.xml")))
		l.serveHTTPS(acPath, redirect(l.url("https", "domaine.test", "/moved.xml")))
		l.serveHTTPS("domaine.test/moved.xml", xmlDoc(discovery.Autoconfig(settings(), "", nil)))
	}, verdict: discovery.VerdictOK},
	{name: "redirect from https to http", setup: func(t *testing.T, l *lab, o *Options) {
		l.serveHTTP(acPath, l.https[acPath])
		l.serveHTTPS(acPath, redirect(l.url("http", "autoconfig.domaine.test", "/mail/config-v1.1.xml")))
	}, verdict: discovery.VerdictWarning, codes: []discovery.Code{discovery.CodeInvalid, discovery.CodeMissing, discovery.CodeInsecureTransport}},
	{name: "too many redirects", setup: func(t *testing.T, l *lab, o *Options) {
		l.serveHTTPS(acPath, redirect(l.url("https", "autoconfig.domaine.test", "/mail/config-v1.1.xml?again")))
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeInvalid, discovery.CodeMissing},
		check: func(t *testing.T, rep *discovery.Report) {
			if !hasProblem(rep, discovery.KindAutoconfig, func(p discovery.Problem) bool { return strings.Contains(p.Detail, "more than 3 redirects") }) {
				t.Error("no problem says too many redirects")
			}
		}},
	{name: "certificate for the wrong name", setup: func(t *testing.T, l *lab, o *Options) {
		_, _, wrong := testCerts(t)
		l.cert = wrong
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeFetchFailed, discovery.CodeMissing},
		check: func(t *testing.T, rep *discovery.Report) {
			s := sourceAt(rep, discovery.KindAutoconfig, 0)
			if s.Status != discovery.StatusFailed || !strings.Contains(s.Problems[0].Detail, "certificate") ||
				!strings.Contains(s.Problems[0].Detail, "www.elsewhere.test") {
				t.Errorf("source: %+v", s)
			}
		}},
	{name: "connection refused", setup: func(t *testing.T, l *lab, o *Options) {
		o.HTTPSPort, o.HTTPPort = closedPort(t), closedPort(t)
	}, verdict: discovery.VerdictWarning, codes: []discovery.Code{discovery.CodeFetchFailed},
		check: func(t *testing.T, rep *discovery.Report) {
			for _, s := range rep.Sources {
				if s.Kind != discovery.KindSRV && (s.Status != discovery.StatusFailed || s.Problems[0].Detail != "connection refused") {
					t.Errorf("%s: %+v", s.Where, s)
				}
			}
		}},
	{name: "oversize body", setup: func(t *testing.T, l *lab, o *Options) {
		big := discovery.Autoconfig(settings(), "", nil)
		big = append(big, "<!-- "+strings.Repeat("x", discovery.MaxDocument)+" -->"...)
		l.serveHTTPS(acPath, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			for chunk := range slices.Chunk(big, 4096) {
				_, _ = w.Write(chunk)
				w.(http.Flusher).Flush() // no Content-Length: the limit must cut the read
			}
		}))
		l.serveHTTPS(wkPath, xmlDoc(big)) // with a Content-Length
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeFetchFailed, discovery.CodeMissing},
		check: func(t *testing.T, rep *discovery.Report) {
			for i := range 2 {
				if s := sourceAt(rep, discovery.KindAutoconfig, i); !strings.Contains(s.Problems[0].Detail, "over the size limit") {
					t.Errorf("%s: %+v", s.Where, s.Problems)
				}
			}
		}},
	{name: "oversize header", setup: func(t *testing.T, l *lab, o *Options) {
		l.serveHTTPS(acPath, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Big", strings.Repeat("a", 32<<10))
			_, _ = w.Write(discovery.Autoconfig(settings(), "", nil))
		}))
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeFetchFailed, discovery.CodeMissing}},
	{name: "autodiscover error 500", setup: func(t *testing.T, l *lab, o *Options) {
		l.serveHTTPS(adPath, autodiscoverFunc(t, func(string) []byte {
			return discovery.AutodiscoverError(discovery.ErrorNotFound, "1", time.Now())
		}))
	}, verdict: discovery.VerdictWarning, codes: []discovery.Code{discovery.CodeMissing}},
	{name: "autodiscover mismatching", setup: func(t *testing.T, l *lab, o *Options) {
		s := settings()
		s.Incoming[0].Host = "imap.elsewhere.test"
		s.Outgoing[0].Username = discovery.UsernameLocalPart
		l.serveHTTPS(adPath, nil)
		l.serveHTTPS(ad2, autodiscoverHandler(t, s))
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeMissing, discovery.CodeMismatchHost, discovery.CodeMismatchUsername},
		check: func(t *testing.T, rep *discovery.Report) {
			if s := sourceAt(rep, discovery.KindAutodiscover, 1); s.Status != discovery.StatusProblems || len(s.Problems) != 2 {
				t.Errorf("autodiscover.domaine.test: %+v", s)
			}
		}},
	{name: "autodiscover invalid", setup: func(t *testing.T, l *lab, o *Options) {
		l.serveHTTPS(adPath, autodiscoverFunc(t, func(string) []byte { return []byte("<Autodiscover><Response><Account>") }))
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeInvalid, discovery.CodeMissing}},
	{name: "autodiscover without SMTP", setup: func(t *testing.T, l *lab, o *Options) {
		s := settings()
		s.Outgoing = nil
		l.serveHTTPS(adPath, autodiscoverHandler(t, s))
	}, verdict: discovery.VerdictWarning, codes: []discovery.Code{discovery.CodeMissing}, check: func(t *testing.T, rep *discovery.Report) {
		if !hasProblem(rep, discovery.KindAutodiscover, func(p discovery.Problem) bool {
			return p.Code == discovery.CodeMissing && p.Field == "smtp"
		}) {
			t.Error("no missing smtp")
		}
	}},
	{name: "SRV wrong host and port", setup: func(t *testing.T, l *lab, o *Options) {
		l.zone.SetSRV("_imaps._tcp.domaine.test", testdns.SRV{Priority: 0, Weight: 1, Port: 993, Target: "imap.elsewhere.test"})
		l.zone.SetSRV("_submission._tcp.domaine.test", testdns.SRV{Priority: 0, Weight: 1, Port: 2525, Target: "mail.domaine.test"})
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeMismatchHost, discovery.CodeMismatchPort},
		check: func(t *testing.T, rep *discovery.Report) {
			want := discovery.Problem{Code: discovery.CodeMismatchPort, Field: "smtp", Want: "587", Got: "2525", Against: discovery.AgainstConfigured}
			if p := sourceAt(rep, discovery.KindSRV, 3).Problems; len(p) != 1 || p[0] != want {
				t.Errorf("_submission: %+v", p)
			}
		}},
	{name: "SRV target dot for an offered service", setup: func(t *testing.T, l *lab, o *Options) {
		l.zone.SetSRV("_imaps._tcp.domaine.test", testdns.SRV{Priority: 0, Weight: 0, Port: 0, Target: "."})
	}, verdict: discovery.VerdictWarning, codes: []discovery.Code{discovery.CodeMissing}},
	{name: "SRV server failure", setup: func(t *testing.T, l *lab, o *Options) {
		l.zone.Fail("_imaps._tcp.domaine.test", dns.RcodeServerFailure)
	}, verdict: discovery.VerdictOK, codes: []discovery.Code{discovery.CodeFetchFailed}},
	{name: "SRV for a non-standard port", domain: &knowledge.Domain{Name: "domaine.test", Host: "mail.domaine.test",
		IMAP: knowledge.Endpoint{Port: 1993, Security: knowledge.ImplicitTLS}},
		setup: func(t *testing.T, l *lab, o *Options) {
			l.zone.SetSRV("_imaps._tcp.domaine.test", testdns.SRV{Priority: 0, Weight: 1, Port: 1993, Target: "mail.domaine.test"})
			l.zone.SetSRV("_pop3s._tcp.domaine.test", testdns.SRV{Priority: 0, Weight: 1, Port: 995, Target: "mail.domaine.test"})
		}, verdict: discovery.VerdictOK},
	{name: "tarpit", setup: func(t *testing.T, l *lab, o *Options) {
		o.HTTPSPort, o.HTTPPort = tarpit(t, false), tarpit(t, true)
		o.Budget, o.FetchTimeout = time.Second, 5*time.Second
		block := make(chan struct{})
		t.Cleanup(func() { close(block) })
		o.Live = func(context.Context, knowledge.Domain) (*probe.Report, error) {
			<-block // ignores its context
			return liveReport(nil), nil
		}
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeFetchFailed}, maxDuration: 2 * time.Second,
		check: func(t *testing.T, rep *discovery.Report) {
			for _, s := range rep.Sources {
				if s.Kind != discovery.KindSRV && (s.Status != discovery.StatusFailed || s.Problems[0].Detail != budgetDetail) {
					t.Errorf("%s: %+v", s.Where, s)
				}
			}
			if rep.Live != "" {
				t.Errorf("Live = %q", rep.Live)
			}
		}},
	{name: "live: the published port does not answer", setup: func(t *testing.T, l *lab, o *Options) {
		withLive(o, liveReport(func(eps []probe.EndpointReport) {
			e := endpoint(eps, 993)
			e.Status, e.Address, e.TLS = probe.StatusFail, "", nil
			e.Problems = []probe.Problem{{Code: probe.CodeRefused, Severity: probe.SeverityFail, Detail: "connection refused: nothing listens on this port"}}
		}), nil)
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeMismatchPort}, check: func(t *testing.T, rep *discovery.Report) {
		for _, k := range []discovery.Kind{discovery.KindAutoconfig, discovery.KindAutodiscover} {
			p := sourceAt(rep, k, 0).Problems
			if len(p) != 1 || p[0].Against != discovery.AgainstLive || p[0].Field != "imap" || !strings.Contains(p[0].Detail, "connection refused") {
				t.Errorf("%s: %+v", k, p)
			}
		}
		if rep.Live != "fail" {
			t.Errorf("Live = %q", rep.Live)
		}
	}},
	{name: "live: STARTTLS not offered", setup: func(t *testing.T, l *lab, o *Options) {
		withLive(o, liveReport(func(eps []probe.EndpointReport) {
			e := endpoint(eps, 587)
			e.Status, e.TLS = probe.StatusFail, nil
			e.Problems = []probe.Problem{{Code: probe.CodeSTARTTLSMissing, Severity: probe.SeverityFail, Detail: "STARTTLS is not offered"}}
		}), nil)
	}, verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeMismatchSecurity}, check: func(t *testing.T, rep *discovery.Report) {
		if !hasProblem(rep, discovery.KindAutoconfig, func(p discovery.Problem) bool {
			return p.Against == discovery.AgainstLive && p.Field == "smtp" && p.Got == "starttls"
		}) {
			t.Error("no live security mismatch on smtp")
		}
	}},
	{name: "live: implicit TLS where STARTTLS is published", setup: func(t *testing.T, l *lab, o *Options) {
		// The domain is configured (and publishes) STARTTLS on 1143;
		// the live check found implicit TLS there.
		withLive(o, liveReport(func(eps []probe.EndpointReport) {
			e := endpoint(eps, 993)
			e.Port = 1143
		}), nil)
	}, domain: &knowledge.Domain{Name: "domaine.test", Host: "mail.domaine.test",
		IMAP: knowledge.Endpoint{Port: 1143, Security: knowledge.StartTLS}},
		verdict: discovery.VerdictFail, codes: []discovery.Code{discovery.CodeMismatchSecurity},
		check: func(t *testing.T, rep *discovery.Report) {
			want := discovery.Problem{Code: discovery.CodeMismatchSecurity, Field: "imap", Want: "ssl/tls", Got: "starttls",
				Against: discovery.AgainstLive, Detail: "the live check found ssl/tls on mail.domaine.test:1143"}
			if p := sourceAt(rep, discovery.KindAutoconfig, 0).Problems; len(p) != 1 || p[0] != want {
				t.Errorf("problems %+v, want %+v", p, want)
			}
		}},
	{name: "live: the published server was not checked", setup: func(t *testing.T, l *lab, o *Options) {
		rep := liveReport(nil)
		rep.Host = "other.domaine.test"
		endpoint(rep.Endpoints, 993).Problems = []probe.Problem{{Code: probe.CodeRefused}}
		withLive(o, rep, nil)
	}, verdict: discovery.VerdictOK, check: func(t *testing.T, rep *discovery.Report) {
		if rep.Live != "ok" {
			t.Errorf("Live = %q", rep.Live)
		}
	}},
}

func TestCheck(t *testing.T) {
	var mu sync.Mutex
	seen := map[discovery.Code]bool{}
	var ran atomic.Int32
	t.Run("scenarios", func(t *testing.T) {
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				t.Parallel()
				ran.Add(1)
				d := testDomain
				if sc.domain != nil {
					d = *sc.domain
				}
				l := newLab(t, d)
				o := l.options()
				var calls atomic.Int32
				if sc.setup != nil {
					sc.setup(t, l, &o)
				}
				if o.Live != nil {
					live := o.Live
					o.Live = func(ctx context.Context, d knowledge.Domain) (*probe.Report, error) {
						calls.Add(1)
						return live(ctx, d)
					}
				}
				t0 := time.Now()
				rep, err := New(o).Check(t.Context(), d, "")
				elapsed := time.Since(t0)
				if err != nil {
					t.Fatal(err)
				}
				if sc.maxDuration > 0 && elapsed > sc.maxDuration {
					t.Errorf("Check took %s, want at most %s", elapsed, sc.maxDuration)
				}
				if n := calls.Load(); o.Live != nil && n != 1 {
					t.Errorf("Live ran %d times, want once", n)
				}
				got := map[discovery.Code]bool{}
				for _, p := range problems(rep) {
					got[p.Code] = true
				}
				mu.Lock()
				maps.Copy(seen, got)
				mu.Unlock()
				gotCodes := slices.Sorted(maps.Keys(got))
				wantCodes := slices.Sorted(slices.Values(sc.codes))
				if rep.Verdict != sc.verdict || !slices.Equal(gotCodes, wantCodes) {
					t.Errorf("verdict %s, codes %v; want %s, %v\n%s", rep.Verdict, gotCodes, sc.verdict, wantCodes, dump(rep))
				}
				if len(rep.Sources) != len(discovery.Services)+5 {
					t.Errorf("%d sources", len(rep.Sources))
				}
				if sc.check != nil {
					sc.check(t, rep)
				}
				if testing.Verbose() {
					t.Logf("%s in %s\n%s", rep.Verdict, elapsed.Round(time.Millisecond), dump(rep))
				}
			})
		}
	})
	if ran.Load() != int32(len(scenarios)) {
		return // filtered with -run: the codes are not all expected
	}
	for _, c := range discovery.Codes {
		if !seen[c] {
			t.Errorf("no scenario produces %s", c)
		}
	}
}

// dump shows a report's sources for a failure message.
func dump(rep *discovery.Report) string {
	var b strings.Builder
	for _, s := range rep.Sources {
		b.WriteString("  " + string(s.Kind) + " " + s.Where + ": " + string(s.Status) + "\n")
		for _, p := range s.Problems {
			b.WriteString("    " + string(p.Code) + " " + p.Field + " want=" + p.Want + " got=" + p.Got + " " + p.Against + " " + p.Detail + "\n")
		}
	}
	return b.String()
}
