package verify

import (
	"encoding/json"
	"fmt"
	"github.com/mailhelp/mailhelp/internal/testdns"
	"strings"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/internal/golden"
	"github.com/mailhelp/mailhelp/probe"
)

// TestGoldenReport pins the JSON of a whole report: an SRV record on
// the wrong port, autoconfig right at its first URL, Autodiscover found
// at its second URL, and a live check that finds no STARTTLS on the
// published submission port.
func TestGoldenReport(t *testing.T) {
	l := newLab(t, testDomain)
	l.zone.SetSRV("_submission._tcp.domaine.test", testdns.SRV{Priority: 0, Weight: 1, Port: 2525, Target: "mail.domaine.test"})
	l.serveHTTPS(ad2, l.https[adPath])
	l.serveHTTPS(adPath, nil)
	o := l.options()
	o.Now = func() time.Time { return time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC) }
	withLive(&o, liveReport(func(eps []probe.EndpointReport) {
		e := endpoint(eps, 587)
		e.Status, e.TLS = probe.StatusFail, nil
		e.Problems = []probe.Problem{{Code: probe.CodeSTARTTLSMissing, Severity: probe.SeverityFail,
			Detail: "STARTTLS is not offered, so passwords would travel in clear"}}
	}), nil)
	rep, err := New(o).Check(t.Context(), testDomain, "Jean.Dupont@DOMAINE.test")
	if err != nil {
		t.Fatal(err)
	}
	rep.DurationMS = 0
	out, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	// The lab's ports are random; a client's would be the standard ones.
	got := strings.NewReplacer(fmt.Sprintf(":%d/", l.httpsPort), "/", fmt.Sprintf(":%d/", l.httpPort), "/").Replace(string(out))
	golden.Assert(t, "report.json", got+"\n")
	if rep.Verdict != discovery.VerdictFail {
		t.Errorf("verdict %s", rep.Verdict)
	}
}
