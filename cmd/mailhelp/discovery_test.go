package main

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/discovery/publish"
	"github.com/mailhelp/mailhelp/internal/golden"
	"github.com/mailhelp/mailhelp/internal/mailservers"
	"github.com/mailhelp/mailhelp/internal/testdns"
	"github.com/mailhelp/mailhelp/locales"
)

func TestDiscoveryRecords(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "mailhelp.yaml")
	yaml := "domains:\n  - domain: domaine.com\n    aliases: [paris.domaine.com]\n    host: bm.domaine.com\n" +
		"web: {public_url: \"https://mailhelp.domaine.com/help\"}\naudit: {file: \"off\"}\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, nil, nil, "discovery", "records", "--config", cfg, "domaine.com")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden.Assert(t, "discovery_records.txt", out)
	if !strings.Contains(out, "autoconfig.paris.domaine.com.") || !strings.Contains(out, "CNAME mailhelp.domaine.com.") {
		t.Errorf("records:\n%s", out)
	}
	// The built-in configuration has no public URL: the names are
	// commented out, with what to set.
	code, out, _ = run(t, nil, nil, "discovery", "records", "DOMAINE.COM")
	if code != exitOK || !strings.Contains(out, "; set web.public_url") || !strings.Contains(out, "_imaps._tcp.domaine.com.") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestDiscoveryUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"discovery"}, exitUsage, "Usage: mailhelp discovery records"},
		{[]string{"discovery", "publish"}, exitUsage, `unknown subcommand "publish"`},
		{[]string{"discovery", "records"}, exitUsage, "Usage"},
		{[]string{"discovery", "records", "a.com", "b.com"}, exitUsage, "Usage"},
		{[]string{"discovery", "records", "nowhere.example"}, exitUsage, "not a configured domain"},
		{[]string{"discovery", "check"}, exitUsage, "Usage"},
		{[]string{"discovery", "check", "two words"}, exitUsage, "Usage"},
		{[]string{"discovery", "check", "a.com", "b.com"}, exitUsage, "Usage"},
		{[]string{"discovery", "check", "a.com", "--bogus"}, exitUsage, "flag provided but not defined"},
		{[]string{"discovery", "check", "--format", "xml", "domaine.com"}, exitUsage, "unknown format"},
		{[]string{"discovery", "check", "--lang", "xx", "domaine.com"}, exitUsage, "unknown language"},
		{[]string{"discovery", "check", "nowhere.example"}, exitUsage, "not a configured domain"},
		{[]string{"discovery", "check", "eve@nowhere.example"}, exitUsage, "not a configured domain"},
	}
	for _, tc := range tests {
		code, _, errOut := run(t, nil, nil, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.err) {
			t.Errorf("%v: exit %d, stderr %q; want %d, %q", tc.args, code, errOut, tc.code, tc.err)
		}
	}
	if code, out, _ := run(t, nil, nil, "discovery", "--help"); code != exitOK || !strings.Contains(out, "discovery check") {
		t.Errorf("help: %d %q", code, out)
	}
}

// labIP is where TestDiscoveryCheckRealServers serves the domains' web
// names: a loopback address of its own, as the check dials port 443.
const labIP = "127.0.15.1"

// TestDiscoveryCheckRealServers runs "mailhelp discovery check" as an
// admin would, against a real DNS server (check.dns), HTTPS on port 443
// and the real Dovecot and Postfix of the live check: lab.test publishes
// through mailhelp's own handler and is right; stale.test publishes an
// old autoconfig and nothing else.
func TestDiscoveryCheckRealServers(t *testing.T) {
	srv := mailservers.Start(t)
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, srv.CA.PEM, 0o644); err != nil {
		t.Fatal(err)
	}
	var yaml strings.Builder
	yaml.WriteString("default_language: en\ndomains:\n")
	for _, d := range []string{"lab.test", "stale.test"} {
		fmt.Fprintf(&yaml, "  - domain: %s\n    host: %s\n    imap: {port: %d, security: ssl/tls}\n    smtp: {port: %d, security: starttls}\n",
			d, mailservers.GoodHost, srv.IMAPS, srv.Submission)
	}
	zone := testdns.NewZone()
	fmt.Fprintf(&yaml, "check:\n  ca_file: %s\n  dns: %s\n  hosts: {%s: %s}\naudit: {file: %s}\n",
		ca, testdns.Start(t, zone), mailservers.GoodHost, mailservers.Addr, filepath.Join(dir, "audit.jsonl"))
	cfgPath := filepath.Join(dir, "mailhelp.yaml")
	if err := os.WriteFile(cfgPath, []byte(yaml.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse([]byte(yaml.String()))
	if err != nil {
		t.Fatal(err)
	}
	lab, _ := cfg.Directory.Lookup("lab.test")
	for _, r := range discovery.Records(discovery.For(lab)) {
		zone.SetSRV(r.Service+".lab.test", testdns.SRV{Priority: r.Priority, Weight: r.Weight, Port: uint16(r.Port), Target: r.Target})
	}
	for _, d := range []string{"lab.test", "stale.test"} {
		for _, n := range []string{d, "autoconfig." + d, "autodiscover." + d} {
			zone.SetA(n, labIP)
		}
	}
	serveLab(t, srv, cfg)

	// Flags may follow the domain, as the README writes it.
	code, out, errOut := run(t, nil, nil, "discovery", "check", "alice@lab.test", "--config", cfgPath, "--format", "json")
	var rep discovery.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != exitOK || rep.Verdict != discovery.VerdictOK || rep.Live != "ok" {
		t.Fatalf("lab.test: exit %d, verdict %q, live %q, %v; stderr %q\n%s", code, rep.Verdict, rep.Live, err, errOut, out)
	}
	for _, s := range rep.Sources {
		if len(s.Problems) > 0 {
			t.Errorf("lab.test: %s %s: %+v", s.Kind, s.Where, s.Problems)
		}
	}

	code, out, _ = run(t, nil, nil, "discovery", "check", "--config", cfgPath, "--format", "json", "stale.test")
	rep = discovery.Report{}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != exitFail || rep.Verdict != discovery.VerdictFail {
		t.Fatalf("stale.test: exit %d, verdict %q, %v\n%s", code, rep.Verdict, err, out)
	}
	codes := map[discovery.Code]bool{}
	for _, s := range rep.Sources {
		for _, p := range s.Problems {
			codes[p.Code] = true
		}
	}
	for _, c := range []discovery.Code{discovery.CodeMissing, discovery.CodeMismatchPort, discovery.CodeMismatchUsername} {
		if !codes[c] {
			t.Errorf("stale.test: no %s in %v", c, codes)
		}
	}
	// The same, for a person: the text names the stale URL and the fix.
	code, out, _ = run(t, nil, nil, "discovery", "check", "--config", cfgPath, "--lang", "fr", "stale.test")
	if code != exitFail || !strings.Contains(out, "https://autoconfig.stale.test/mail/config-v1.1.xml") || !strings.Contains(out, "mailhelp discovery records stale.test") {
		t.Errorf("text: exit %d\n%s", code, out)
	}
	trail, err := os.ReadFile(filepath.Join(dir, "audit.jsonl"))
	if err != nil || strings.Count(string(trail), `"action":"discovery"`) != 3 {
		t.Errorf("audit trail: %v\n%s", err, trail)
	}
}

// serveLab serves HTTPS on labIP:443 for both domains' web names:
// mailhelp's own publication for lab.test, a stale autoconfig (an old
// port, the local part as username) for stale.test, 404 elsewhere.
func serveLab(t *testing.T, srv *mailservers.Servers, cfg *config.Config) {
	t.Helper()
	leaf, err := srv.CA.Valid("lab.test", "autoconfig.lab.test", "autodiscover.lab.test", "stale.test", "autoconfig.stale.test", "autodiscover.stale.test")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	pub := publish.New(publish.Options{Translator: cat, Settings: func() publish.Settings {
		return publish.Settings{Directory: cfg.Directory, DefaultLang: cfg.DefaultLanguage}
	}})
	const stale = `<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="stale.test"><domain>stale.test</domain>
<incomingServer type="imap"><hostname>good.test</hostname><port>995</port><socketType>SSL</socketType><username>%EMAILLOCALPART%</username></incomingServer>
<outgoingServer type="smtp"><hostname>good.test</hostname><port>587</port><socketType>STARTTLS</socketType><username>%EMAILLOCALPART%</username></outgoingServer>
</emailProvider></clientConfig>`
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := strings.Cut(r.Host, ":")
		switch {
		case strings.HasSuffix(host, "lab.test"):
			pub.ServeHTTP(w, r)
		case host == "autoconfig.stale.test" && r.URL.Path == "/mail/config-v1.1.xml":
			w.Header().Set("Content-Type", "text/xml")
			_, _ = io.WriteString(w, stale)
		default:
			http.NotFound(w, r)
		}
	})
	l, err := net.Listen("tcp", net.JoinHostPort(labIP, "443"))
	if err != nil {
		t.Fatalf("the discovery check dials port 443: listening on %s:443 needs root (./scripts/test.sh runs as root): %v", labIP, err)
	}
	hs := httptest.NewUnstartedServer(h)
	hs.Listener.Close()
	hs.Listener = l
	hs.TLS = &tls.Config{Certificates: []tls.Certificate{leaf.TLS}}
	hs.StartTLS()
	t.Cleanup(hs.Close)
}
