package config

import (
	"testing"

	"github.com/mailhelp/mailhelp/knowledge"
)

// FuzzDisplayName: the shortcut shows every name as
// knowledge.DisplayDomain does.
func FuzzDisplayName(f *testing.F) {
	for _, s := range []string{"example.com", "Example.COM", "xn--socit-esab.fr", "société.fr", "a.com.", "a..b", "-a.com",
		"ab--cd.example", "xn--.com", "a.xn--p1ai", "1.2.3.4", "", ".", "a", "a-.com", "xn-a.com", "axn--b.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if got, want := displayName(name), knowledge.DisplayDomain(name); got != want {
			t.Errorf("displayName(%q) = %q, DisplayDomain = %q", name, got, want)
		}
	})
}

// TestDiffOneChange: each setting of a domain is one change, shown as
// users see it.
func TestDiffOneChange(t *testing.T) {
	const base = "domains:\n  - {domain: a.com, host: m.a.com}\n  - {domain: Société.FR, host: m.b.com}\n"
	old, err := Parse([]byte(base))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, domains, want string
	}{
		{"host", "  - {domain: a.com, host: n.a.com}\n  - {domain: Société.FR, host: m.b.com}\n",
			`a.com host: "m.a.com" → "n.a.com"|a.com incoming: "m.a.com:993 ssl/tls" → "n.a.com:993 ssl/tls"|` +
				`a.com outgoing: "m.a.com:587 starttls" → "n.a.com:587 starttls"|a.com webmail: "https://m.a.com" → "https://n.a.com"`},
		{"imap port", "  - {domain: a.com, host: m.a.com, imap: {port: 143}}\n  - {domain: Société.FR, host: m.b.com}\n",
			`a.com incoming: "m.a.com:993 ssl/tls" → "m.a.com:143 starttls"`},
		{"smtp host", "  - {domain: a.com, host: m.a.com, smtp: {host: s.a.com}}\n  - {domain: Société.FR, host: m.b.com}\n",
			`a.com outgoing: "m.a.com:587 starttls" → "s.a.com:587 starttls"`},
		{"same webmail", "  - {domain: a.com, host: m.a.com, webmail: 'https://m.a.com'}\n  - {domain: Société.FR, host: m.b.com}\n", ``},
		{"webmail", "  - {domain: a.com, host: m.a.com, webmail: 'https://w.a.com'}\n  - {domain: Société.FR, host: m.b.com}\n",
			`a.com webmail: "https://m.a.com" → "https://w.a.com"`},
		{"language", "  - {domain: a.com, host: m.a.com}\n  - {domain: société.fr, host: m.b.com, language: fr}\n",
			`société.fr language: "" → "fr"`},
		{"punycode is the same domain", "  - {domain: a.com, host: m.a.com}\n  - {domain: xn--socit-esab.fr, host: m.b.com}\n", ``},
		{"reordered", "  - {domain: société.fr, host: m.b.com}\n  - {domain: a.com, host: m.a.com, support: x}\n",
			`a.com support: "" → "x"`},
		{"renamed", "  - {domain: a.com, host: m.a.com}\n  - {domain: b.fr, host: m.b.com}\n",
			`b.fr domain: "" → "configured"|société.fr domain: "configured" → "removed"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			new, err := Parse([]byte("domains:\n" + tc.domains))
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for i, c := range Diff(old, new) {
				if i > 0 {
					got += "|"
				}
				got += c.String()
			}
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	if n := len(Diff(nil, old)); n != 2 {
		t.Errorf("from nothing: %d changes, want 2 added", n)
	}
}

// TestDisplayNameShortNames: every name of up to six characters made of
// what the shortcut takes (and of punycode's prefix) is shown as
// knowledge.DisplayDomain does.
func TestDisplayNameShortNames(t *testing.T) {
	const alphabet = "axn-.0"
	var walk func(prefix string)
	walk = func(prefix string) {
		if got, want := displayName(prefix), knowledge.DisplayDomain(prefix); got != want {
			t.Fatalf("displayName(%q) = %q, DisplayDomain = %q", prefix, got, want)
		}
		if len(prefix) == 6 {
			return
		}
		for i := range len(alphabet) {
			walk(prefix + alphabet[i:i+1])
		}
	}
	walk("")
}
