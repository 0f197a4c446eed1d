package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/locales"
)

func TestDefault(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	d, ok := c.Directory.Lookup("domaine.com")
	if !ok || d.Host != "bm.domaine.com" {
		t.Fatalf("demo domain = %+v, %v", d, ok)
	}
	if c.DefaultLanguage != "en" {
		t.Errorf("default language = %q", c.DefaultLanguage)
	}
}

func TestParse(t *testing.T) {
	const full = `
default_language: fr
domains:
  - domain: Example.ORG
    aliases: [paris.example.org]
    host: mail.example.org
    webmail: https://webmail.example.org/
    support: ext. 4321
    language: en
    imap: {host: imap.example.org, port: 143}
    smtp: {port: 465, security: ssl}
`
	c, err := Parse([]byte(full))
	if err != nil {
		t.Fatal(err)
	}
	d, ok := c.Directory.Lookup("paris.example.org")
	if !ok {
		t.Fatal("alias not found")
	}
	in, out := d.Incoming(), d.Outgoing()
	if in != (knowledge.Endpoint{Host: "imap.example.org", Port: 143, Security: knowledge.StartTLS}) {
		t.Errorf("incoming = %+v", in)
	}
	if out != (knowledge.Endpoint{Host: "mail.example.org", Port: 465, Security: knowledge.ImplicitTLS}) {
		t.Errorf("outgoing = %+v", out)
	}
	if c.DefaultLanguage != "fr" || d.WebmailURL() != "https://webmail.example.org/" {
		t.Errorf("lang = %q webmail = %q", c.DefaultLanguage, d.WebmailURL())
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"empty", "", "empty"},
		{"unknown field", "domains:\n  - domain: a.com\n    hots: x\n", "line 3: field hots not found"},
		{"no domains", "default_language: en\n", "at least one domain"},
		{"bad language", "default_language: xx\ndomains: [{domain: a.com, host: m.a.com}]\n", `"xx" is not one of en, `},
		{"bad domain", "domains: [{domain: 'a b', host: m.a.com}]\n", "domain: invalid domain name"},
		{"no host", "domains: [{domain: a.com}]\n", "host: invalid domain name"},
		{"duplicate", "domains: [{domain: a.com, host: m.a.com}, {domain: A.com, host: n.a.com}]\n", "already configured"},
		{"bad port", "domains: [{domain: a.com, host: m.a.com, imap: {port: 70000}}]\n", "70000 is not a TCP port"},
		{"odd port without security", "domains: [{domain: a.com, host: m.a.com, smtp: {port: 2525}}]\n", "its security must be given"},
		{"ambiguous tls", "domains: [{domain: a.com, host: m.a.com, smtp: {security: tls}}]\n", `"tls" is not one of`},
		{"plaintext refused", "domains: [{domain: a.com, host: m.a.com, smtp: {security: optional-tls}}]\n", "passwords in clear"},
		{"bad webmail", "domains: [{domain: a.com, host: m.a.com, webmail: 'javascript:x'}]\n", "not an http(s) URL"},
		{"two documents", "domains: [{domain: a.com, host: m.a.com}]\n---\nx: 1\n", "one YAML document"},
		{"wrong type", "domains: {domain: a.com}\n", "cannot unmarshal"},
		{"too big", strings.Repeat("#", MaxSize+1), "limit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(string(defaultYAML))
	f.Add("domains: [{domain: a.com, host: m.a.com, imap: {port: 143}}]")
	f.Add("&a [*a, *a]")
	f.Add("domains: [{domain: a.com, host: m.a.com}]\nadmins: {slack: {users: [U1], groups: [S1]}}\nannounce: {expiry: 5m, channels: {C1: [fr, en], C2: en}, changes: {slack: C1}}")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse([]byte(s))
		if err == nil && (c.Directory == nil || len(c.Directory.Domains()) == 0) {
			t.Fatalf("accepted %q with no domains", s)
		}
	})
}

func TestProblemsAreLocated(t *testing.T) {
	doc := `default_language: en
domains:
  - domain: a.com
    host: m.a.com
    imap:
      port: 70000
  - domain: b.com
    host: "not a host"
    smtp: {security: tls}
check:
  budget: forever
web:
  listen: nowhere
`
	_, err := Parse([]byte(doc))
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v", err)
	}
	want := map[string]int{
		"domains[0].imap.port":     6,
		"domains[1].host":          8,
		"domains[1].smtp.security": 9,
		"check.budget":             11,
		"web.listen":               13,
	}
	got := map[string]int{}
	for _, p := range ce.Problems {
		got[p.Field] = p.Line
	}
	for field, line := range want {
		if got[field] != line {
			t.Errorf("%s: line %d, want %d (all: %+v)", field, got[field], line, ce.Problems)
		}
	}
	_, err = Parse([]byte("domains:\n  - domain: a.com\n    hots: x\n"))
	if !errors.As(err, &ce) || ce.Problems[0].Line != 3 || !strings.Contains(ce.Problems[0].Msg, "hots") {
		t.Errorf("unknown field: %v", err)
	}
	_, err = Parse([]byte("domains:\n  - {domain: a.com, host: m.a.com}\n  - {domain: A.com, host: n.a.com}\n"))
	if !errors.As(err, &ce) || ce.Problems[0].Line != 3 {
		t.Errorf("duplicate: %v", err)
	}
}

func TestDiff(t *testing.T) {
	old, err := Parse([]byte("domains:\n  - {domain: a.com, host: m.a.com}\n  - {domain: b.com, host: m.b.com}\n"))
	if err != nil {
		t.Fatal(err)
	}
	new, err := Parse([]byte("domains:\n  - {domain: a.com, host: m.a.com, smtp: {port: 465}, support: ext. 42}\n  - {domain: c.com, host: m.c.com}\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range Diff(old, new) {
		got = append(got, c.String())
	}
	want := []string{
		`a.com outgoing: "m.a.com:587 starttls" → "m.a.com:465 ssl/tls"`,
		`a.com support: "" → "ext. 42"`,
		`b.com domain: "configured" → "removed"`,
		`c.com domain: "" → "configured"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(Diff(old, old)) != 0 {
		t.Error("a configuration differs from itself")
	}
}

func TestAdminsAndAnnounce(t *testing.T) {
	c, err := Parse([]byte(`domains: [{domain: a.com, host: m.a.com}]
admins:
  slack: {users: [UADMIN], groups: [S1]}
  discord: {users: ["111"], roles: ["222"], manage_server: true}
announce:
  expiry: 5m
  channels: {CNEWS: fr, CBOTH: [fr, en]}
`))
	if err != nil {
		t.Fatal(err)
	}
	if s := c.Admins["slack"]; len(s.Users) != 1 || s.Roles[0] != "S1" {
		t.Errorf("slack admins %+v", s)
	}
	if d := c.Admins["discord"]; !d.ManageServer || d.Roles[0] != "222" {
		t.Errorf("discord admins %+v", d)
	}
	if c.Announce.Expiry != 5*time.Minute || !slices.Equal(c.Announce.ChannelLang["CNEWS"], []string{"fr"}) ||
		!slices.Equal(c.Announce.ChannelLang["CBOTH"], []string{"fr", "en"}) {
		t.Errorf("announce %+v", c.Announce)
	}
	for _, tc := range []struct{ announce, want string }{
		{"{expiry: 2s}", "announce.expiry"},
		{"{channels: {C1: xx}}", `announce.channels.C1: "xx" is not one of en, `},
		{"{channels: {C1: [fr, fr]}}", `"fr" is listed twice`},
		{"{channels: {C1: []}}", "announce.channels.C1: no language"},
		{"{channels: {C1: {fr: en}}}", "line 2"},
	} {
		_, err = Parse([]byte("domains: [{domain: a.com, host: m.a.com}]\nannounce: " + tc.announce + "\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.announce, err, tc.want)
		}
	}
}

// TestDomainLanguages: a domain may answer in any language there are
// messages for (de and es included), and only those.
func TestDomainLanguages(t *testing.T) {
	for _, lang := range locales.Tags() {
		if _, err := Parse([]byte("domains:\n  - {domain: d.com, host: m.d.com, language: " + lang + "}\n")); err != nil {
			t.Errorf("%s: %v", lang, err)
		}
	}
	if _, err := Parse([]byte("domains:\n  - {domain: d.com, host: m.d.com, language: xx}\n")); err == nil || !strings.Contains(err.Error(), `"xx" is not one of`) {
		t.Errorf("xx: %v", err)
	}
}

func TestProfileSigning(t *testing.T) {
	c, err := Parse([]byte("domains: [{domain: d.com, host: m.d.com}]\nweb: {profile_signing: {cert: /etc/mailhelp/sign.crt, key: /etc/mailhelp/sign.key}}\n"))
	if err != nil || c.Web.ProfileSigning == nil || c.Web.ProfileSigning.Key != "/etc/mailhelp/sign.key" {
		t.Fatalf("%+v %v", c, err)
	}
	if _, err := Parse([]byte("domains: [{domain: d.com, host: m.d.com}]\nweb: {profile_signing: {cert: a.crt}}\n")); err == nil ||
		!strings.Contains(err.Error(), "both cert and key") {
		t.Errorf("half a signing identity: %v", err)
	}
}

func TestCheckDNS(t *testing.T) {
	for in, want := range map[string]string{"10.0.0.53": "10.0.0.53:53", "127.0.0.1:5353": "127.0.0.1:5353", "[::1]:53": "[::1]:53", "::1": "[::1]:53"} {
		c, err := Parse([]byte("domains: [{domain: d.com, host: m.d.com}]\ncheck: {dns: \"" + in + "\"}\n"))
		if err != nil || c.Check.DNS.String() != want {
			t.Errorf("%s: %v %v", in, c, err)
		}
	}
	for _, bad := range []string{"ns.d.com", "10.0.0.53:0", "10.0.0.53:99999", "udp://10.0.0.53"} {
		if _, err := Parse([]byte("domains: [{domain: d.com, host: m.d.com}]\ncheck: {dns: \"" + bad + "\"}\n")); err == nil || !strings.Contains(err.Error(), "check.dns") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// TestSMTPPort25: port 25 is not a port to give users, and every
// answer says so: a configuration that does is refused.
func TestSMTPPort25(t *testing.T) {
	_, err := Parse([]byte("domains: [{domain: d.com, host: m.d.com, smtp: {port: 25}}]\n"))
	if err == nil || !strings.Contains(err.Error(), "smtp.port: 25 is for mail between servers") {
		t.Errorf("err = %v", err)
	}
}
