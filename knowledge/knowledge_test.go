package knowledge

import (
	"strings"
	"testing"

	"golang.org/x/net/idna"
)

func TestCanonicalDomain(t *testing.T) {
	tests := []struct{ in, want string }{
		{"domaine.com", "domaine.com"},
		{"DOMAINE.com.", "domaine.com"},
		{"société.fr", "xn--socit-esab.fr"},
		{"xn--socit-esab.fr", "xn--socit-esab.fr"},
	}
	for _, tc := range tests {
		got, err := CanonicalDomain(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("CanonicalDomain(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "localhost", "a b.com", "-x.com", "a..com"} {
		if _, err := CanonicalDomain(bad); err == nil {
			t.Errorf("CanonicalDomain(%q) accepted", bad)
		}
	}
	if got := DisplayDomain("xn--socit-esab.fr"); got != "société.fr" {
		t.Errorf("DisplayDomain = %q", got)
	}
}

func TestEndpoints(t *testing.T) {
	tests := []struct {
		name    string
		d       Domain
		in, out Endpoint
	}{
		{"defaults", Domain{Name: "a.com", Host: "m.a.com"},
			Endpoint{"m.a.com", 993, ImplicitTLS}, Endpoint{"m.a.com", 587, StartTLS}},
		{"port implies security", Domain{Name: "a.com", Host: "m.a.com", IMAP: Endpoint{Port: 143}, SMTP: Endpoint{Port: 465}},
			Endpoint{"m.a.com", 143, StartTLS}, Endpoint{"m.a.com", 465, ImplicitTLS}},
		{"host override", Domain{Name: "a.com", Host: "m.a.com", SMTP: Endpoint{Host: "smtp.a.com"}},
			Endpoint{"m.a.com", 993, ImplicitTLS}, Endpoint{"smtp.a.com", 587, StartTLS}},
		{"odd port with security", Domain{Name: "a.com", Host: "m.a.com", SMTP: Endpoint{Port: 2525, Security: StartTLS}},
			Endpoint{"m.a.com", 993, ImplicitTLS}, Endpoint{"m.a.com", 2525, StartTLS}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.d.Validate(); err != nil {
				t.Fatal(err)
			}
			if got := tc.d.Incoming(); got != tc.in {
				t.Errorf("incoming = %+v, want %+v", got, tc.in)
			}
			if got := tc.d.Outgoing(); got != tc.out {
				t.Errorf("outgoing = %+v, want %+v", got, tc.out)
			}
		})
	}
}

func TestPortPolicy(t *testing.T) {
	if r := RecommendedPort(IMAP); r.Port != 993 || r.Security != ImplicitTLS {
		t.Errorf("IMAP recommended = %+v", r)
	}
	if r := RecommendedPort(SMTP); r.Port != 587 || r.Security != StartTLS || !r.AuthRequired {
		t.Errorf("SMTP recommended = %+v", r)
	}
	if r, _ := PortRuleFor(SMTP, 25); r.AuthRequired || r.Reach != ReachInternalUnlessAuth {
		t.Errorf("port 25 = %+v", r)
	}
	for _, p := range []int{25, 143, 465, 587, 993} {
		if !IsMailPort(p) {
			t.Errorf("%d is a mail port", p)
		}
	}
	if IsMailPort(22) || IsMailPort(443) {
		t.Error("22 and 443 are not mail ports")
	}
}

func TestDirectoryLookupHost(t *testing.T) {
	dir, err := NewDirectory([]Domain{{Name: "a.com", Host: "m.a.com", SMTP: Endpoint{Host: "smtp.a.com"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"m.a.com", "SMTP.A.COM"} {
		if d, ok := dir.LookupHost(h); !ok || d.Name != "a.com" {
			t.Errorf("LookupHost(%q) = %v", h, ok)
		}
	}
	if _, ok := dir.LookupHost("a.com"); ok {
		t.Error("a domain is not a host")
	}
}

func TestGuideMessageIDs(t *testing.T) {
	c, ok := ClientByID(BlackBerry10)
	if !ok || !c.HasGuide() {
		t.Fatal("BlackBerry 10 has a guide")
	}
	if n := len(c.Guide.MessageIDs()); n < 40 {
		t.Errorf("guide has %d message IDs", n)
	}
	if c.Guide.SecurityLabel(ImplicitTLS) != "SSL" || c.Guide.SecurityLabel(StartTLS) != "TLS" {
		t.Error("BlackBerry names implicit TLS SSL and STARTTLS TLS")
	}
}

// canonicalByIDNA is CanonicalDomain without its fast path for plain
// ASCII names, as the reference.
func canonicalByIDNA(name string) (string, error) {
	name = strings.TrimSuffix(strings.TrimSpace(name), ".")
	if name == "" || len(name) > 4*maxDomainLen {
		return "", ErrInvalidDomain
	}
	ascii, err := idna.Lookup.ToASCII(name)
	if err != nil {
		return "", err
	}
	ascii = strings.ToLower(ascii)
	if len(ascii) > maxDomainLen || !strings.Contains(ascii, ".") {
		return "", ErrInvalidDomain
	}
	for _, label := range strings.Split(ascii, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return "", ErrInvalidDomain
		}
	}
	return ascii, nil
}

// FuzzCanonicalDomainFastPath: the fast path for plain names agrees with
// the idna package on every name, valid or not.
func FuzzCanonicalDomainFastPath(f *testing.F) {
	for _, s := range []string{"domaine.com", "BM.Domaine.COM.", "ab--cd.example", "xn--socit-esab.fr", "a-.b", "-a.b", "a..b", "a.b-", "1.2.3.4", "x", "société.fr"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got, err := CanonicalDomain(name)
		want, werr := canonicalByIDNA(name)
		if (err == nil) != (werr == nil) || got != want {
			t.Fatalf("CanonicalDomain(%q) = %q, %v; the idna package says %q, %v", name, got, err, want, werr)
		}
	})
}

// FuzzDisplayDomainFastPath: the fast path for plain names gives what the
// idna package gives.
func FuzzDisplayDomainFastPath(f *testing.F) {
	for _, s := range []string{"domaine.com", "BM.Domaine.COM.", "ab--cd.example", "xn--socit-esab.fr", "a-.b", "-a.b", "a..b", "a.b-", "1.2.3.4", "x", "société.fr", ".", "", "a.", strings.Repeat("a", 70) + ".com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		want := name
		if u, err := idna.Lookup.ToUnicode(strings.TrimSuffix(name, ".")); err != nil {
			want = strings.ToLower(name)
		} else {
			want = u
		}
		if got := DisplayDomain(name); got != want {
			t.Fatalf("DisplayDomain(%q) = %q; the idna package says %q", name, got, want)
		}
	})
}

// FuzzIsDomain: IsDomain, which does not ask the idna package why a name
// with other ASCII characters is refused, agrees with CanonicalDomain.
func FuzzIsDomain(f *testing.F) {
	for _, s := range []string{"domaine.com", "a@b.c", "société.fr", "x_y.example", "ｅｘａｍｐｌｅ.com", "a b.com", "é@é.fr", "xn--a.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		_, err := CanonicalDomain(name)
		if got := IsDomain(name); got != (err == nil) {
			t.Fatalf("IsDomain(%q) = %v; CanonicalDomain says %v", name, got, err)
		}
	})
}
