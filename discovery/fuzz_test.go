package discovery_test

import (
	"testing"

	"github.com/mailhelp/mailhelp/discovery"
)

// The parsers read what any web server answers: they must never panic,
// and whatever they accept must have usable ports.

func FuzzParseAutoconfig(f *testing.F) {
	f.Add(discovery.Autoconfig(discovery.For(plainDomain), "", nil))
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "b">]><clientConfig>&a;</clientConfig>`))
	f.Add([]byte("<clientConfig><emailProvider><incomingServer type='imap'><port>0</port></incomingServer></emailProvider></clientConfig>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := discovery.ParseAutoconfig(data)
		if err != nil {
			return
		}
		for _, sv := range append(s.Incoming, s.Outgoing...) {
			if sv.Port < 1 || sv.Port > 65535 || sv.Host == "" || sv.Security == "" {
				t.Fatalf("accepted %+v", sv)
			}
		}
	})
}

func FuzzParseAutodiscoverRequest(f *testing.F) {
	f.Add([]byte(request))
	f.Add([]byte(`<Autodiscover><Request><EMailAddress>a@b</EMailAddress></Request></Autodiscover>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		addr, err := discovery.ParseAutodiscoverRequest(data)
		if err == nil && addr == "" {
			t.Fatal("no address and no error")
		}
	})
}

func FuzzParseAutodiscoverResponse(f *testing.F) {
	f.Add(discovery.Autodiscover(discovery.For(plainDomain), "alice@domaine.com"))
	f.Add([]byte(`<Autodiscover><Response><Error><ErrorCode>500</ErrorCode></Error></Response></Autodiscover>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := discovery.ParseAutodiscoverResponse(data, "alice@domaine.com")
		if err != nil {
			return
		}
		for _, sv := range append(s.Incoming, s.Outgoing...) {
			if sv.Port < 1 || sv.Port > 65535 || sv.Host == "" || sv.Security == "" {
				t.Fatalf("accepted %+v", sv)
			}
		}
	})
}
