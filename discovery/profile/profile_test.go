package profile

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"howett.net/plist"

	"github.com/mailhelp/mailhelp/internal/golden"
	"github.com/mailhelp/mailhelp/knowledge"
)

var (
	defaultDomain = knowledge.Domain{Name: "domaine.com", Host: "bm.domaine.com"}
	// overriddenDomain moves both protocols to other hosts, IMAP to
	// STARTTLS on 143 and SMTP to implicit TLS on 465.
	overriddenDomain = knowledge.Domain{
		Name: "domaine.com", Host: "bm.domaine.com",
		IMAP: knowledge.Endpoint{Host: "imap.autre-hebergeur.net", Port: 143, Security: knowledge.StartTLS},
		SMTP: knowledge.Endpoint{Host: "smtp.autre-hebergeur.net", Port: 465, Security: knowledge.ImplicitTLS},
	}
	aliceNames = Names{
		Profile:      "Mail – alice@domaine.com",
		Description:  "Ajoute le compte de messagerie alice@domaine.com (IMAP et SMTP). Votre mot de passe vous sera demandé pendant l’installation.",
		Account:      "Domaine – alice@domaine.com",
		Organization: "Domaine SA",
	}
	alice = Account{Address: "alice@domaine.com", Username: "alice@domaine.com"}
)

// readBack parses a profile with a property-list parser, and checks it
// is also well-formed XML.
func readBack(t testing.TB, b []byte) map[string]any {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the profile is not well-formed XML: %v\n%s", err, b)
		}
	}
	var m map[string]any
	format, err := plist.Unmarshal(b, &m)
	if err != nil {
		t.Fatalf("plist.Unmarshal: %v\n%s", err, b)
	}
	if format != plist.XMLFormat {
		t.Fatalf("format %d, want XML (%d)", format, plist.XMLFormat)
	}
	return m
}

// mailPayloadOf returns the only payload of a profile read back.
func mailPayloadOf(t testing.TB, m map[string]any) map[string]any {
	t.Helper()
	content, ok := m["PayloadContent"].([]any)
	if !ok || len(content) != 1 {
		t.Fatalf("PayloadContent = %#v, want an array of one payload", m["PayloadContent"])
	}
	p, ok := content[0].(map[string]any)
	if !ok {
		t.Fatalf("PayloadContent[0] = %#v, want a dictionary", content[0])
	}
	return p
}

// checkNoPassword fails when any key (at any depth) mentions a password,
// but the one that says the outgoing password is the incoming one.
func checkNoPassword(t testing.TB, v any) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if strings.Contains(strings.ToLower(k), "password") && k != "OutgoingPasswordSameAsIncomingPassword" {
				t.Errorf("the profile has a %s key", k)
			}
			checkNoPassword(t, e)
		}
	case []any:
		for _, e := range v {
			checkNoPassword(t, e)
		}
	}
}

// norm turns the integers the parser returns into int, for comparison.
func norm(v any) any {
	switch v := v.(type) {
	case uint64:
		return int(v)
	case int64:
		return int(v)
	}
	return v
}

func checkKeys(t *testing.T, what string, got map[string]any, want map[string]any) {
	t.Helper()
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: %s missing", what, k)
			continue
		}
		if norm(g) != w {
			t.Errorf("%s: %s = %#v, want %#v", what, k, g, w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok && k != "PayloadContent" && k != "PayloadIdentifier" && k != "PayloadUUID" {
			t.Errorf("%s: unexpected key %s = %#v", what, k, got[k])
		}
	}
}

func TestBuild(t *testing.T) {
	tests := []struct {
		golden string
		domain knowledge.Domain
		names  Names
		// inHost … outSSL are the expected server settings.
		inHost, outHost string
		inPort, outPort int
	}{
		{"default.mobileconfig", defaultDomain, aliceNames, "bm.domaine.com", "bm.domaine.com", 993, 587},
		{"overridden.mobileconfig", overriddenDomain, Names{
			Profile:     "Mail – alice@domaine.com",
			Description: "Adds the mail account alice@domaine.com.",
			Account:     "alice@domaine.com",
		}, "imap.autre-hebergeur.net", "smtp.autre-hebergeur.net", 143, 465},
	}
	for _, tc := range tests {
		t.Run(tc.golden, func(t *testing.T) {
			b, err := Build(tc.domain, alice, tc.names)
			if err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, tc.golden, string(b))
			again, err := Build(tc.domain, alice, tc.names)
			if err != nil || !bytes.Equal(again, b) {
				t.Errorf("a second Build differs (err %v)", err)
			}

			m := readBack(t, b)
			top := map[string]any{
				"PayloadType":              "Configuration",
				"PayloadVersion":           1,
				"PayloadDisplayName":       tc.names.Profile,
				"PayloadDescription":       tc.names.Description,
				"PayloadRemovalDisallowed": false,
			}
			if tc.names.Organization != "" {
				top["PayloadOrganization"] = tc.names.Organization
			}
			checkKeys(t, "profile", m, top)
			p := mailPayloadOf(t, m)
			checkKeys(t, "mail payload", p, map[string]any{
				"PayloadType":                            "com.apple.mail.managed",
				"PayloadVersion":                         1,
				"PayloadIdentifier":                      m["PayloadIdentifier"].(string) + ".account",
				"PayloadUUID":                            p["PayloadUUID"],
				"PayloadDisplayName":                     tc.names.Account,
				"EmailAccountType":                       "EmailTypeIMAP",
				"EmailAccountDescription":                tc.names.Account,
				"EmailAddress":                           "alice@domaine.com",
				"IncomingMailServerHostName":             tc.inHost,
				"IncomingMailServerPortNumber":           tc.inPort,
				"IncomingMailServerUseSSL":               true,
				"IncomingMailServerAuthentication":       "EmailAuthPassword",
				"IncomingMailServerUsername":             "alice@domaine.com",
				"OutgoingMailServerHostName":             tc.outHost,
				"OutgoingMailServerPortNumber":           tc.outPort,
				"OutgoingMailServerUseSSL":               true,
				"OutgoingMailServerAuthentication":       "EmailAuthPassword",
				"OutgoingMailServerUsername":             "alice@domaine.com",
				"OutgoingPasswordSameAsIncomingPassword": true,
			})
			checkNoPassword(t, m)
			if id := m["PayloadIdentifier"].(string); !regexp.MustCompile(`^com\.domaine\.mailhelp\.mail\.[0-9a-f]{16}$`).MatchString(id) {
				t.Errorf("PayloadIdentifier = %q", id)
			}
			uuidRE := regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`)
			for _, u := range []any{m["PayloadUUID"], p["PayloadUUID"]} {
				if s, _ := u.(string); !uuidRE.MatchString(s) {
					t.Errorf("PayloadUUID %#v is not a version-5 UUID", u)
				}
			}
		})
	}
}

func TestBuildUsernameDefaultsToAddress(t *testing.T) {
	b, err := Build(defaultDomain, Account{Address: "bob@domaine.com"}, aliceNames)
	if err != nil {
		t.Fatal(err)
	}
	p := mailPayloadOf(t, readBack(t, b))
	if p["IncomingMailServerUsername"] != "bob@domaine.com" || p["OutgoingMailServerUsername"] != "bob@domaine.com" {
		t.Errorf("usernames %v, %v; want the address", p["IncomingMailServerUsername"], p["OutgoingMailServerUsername"])
	}
}

// ids returns a profile's identifiers: the profile's and the payload's
// PayloadIdentifier and PayloadUUID.
func ids(t *testing.T, d knowledge.Domain, a Account, n Names) [4]string {
	t.Helper()
	b, err := Build(d, a, n)
	if err != nil {
		t.Fatal(err)
	}
	m := readBack(t, b)
	p := mailPayloadOf(t, m)
	return [4]string{m["PayloadIdentifier"].(string), m["PayloadUUID"].(string), p["PayloadIdentifier"].(string), p["PayloadUUID"].(string)}
}

func TestIdentifiers(t *testing.T) {
	base := ids(t, defaultDomain, alice, aliceNames)
	seen := map[string]bool{}
	for _, id := range base {
		if seen[id] {
			t.Errorf("identifier %q used twice in one profile", id)
		}
		seen[id] = true
	}

	// Same address: same identity, whatever else changes.
	for _, tc := range []struct {
		name string
		d    knowledge.Domain
		a    Account
		n    Names
	}{
		{"domain in capitals", defaultDomain, Account{Address: "alice@DOMAINE.Com"}, aliceNames},
		{"other names", defaultDomain, alice, Names{Profile: "Mail", Description: "Mail account", Account: "Work"}},
		{"other servers", overriddenDomain, alice, aliceNames},
		{"other username", defaultDomain, Account{Address: "alice@domaine.com", Username: "alice"}, aliceNames},
	} {
		if got := ids(t, tc.d, tc.a, tc.n); got != base {
			t.Errorf("%s: identifiers %v, want %v", tc.name, got, base)
		}
	}

	// Other addresses: other identities, none shared.
	for _, addr := range []string{"bob@domaine.com", "alice@autre.fr", "alice@paris.domaine.com", "Alice@domaine.com", "alice+mobile@domaine.com"} {
		got := ids(t, defaultDomain, Account{Address: addr}, aliceNames)
		for i, id := range got {
			if seen[id] {
				t.Errorf("%s: identifier %d %q is another address's", addr, i, id)
			}
			seen[id] = true
		}
	}
	if got := ids(t, defaultDomain, Account{Address: "alice@autre.fr"}, aliceNames)[0]; !strings.HasPrefix(got, "fr.autre.mailhelp.mail.") {
		t.Errorf("identifier %q does not start with the reversed domain", got)
	}
	ascii, err := knowledge.CanonicalDomain("société.fr")
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"alice@Société.fr", "alice@SOCIÉTÉ.FR", "alice@" + ascii} {
		if got := ids(t, defaultDomain, Account{Address: addr}, aliceNames)[0]; !strings.HasPrefix(got, "fr."+ascii[:len(ascii)-3]+".mailhelp.mail.") {
			t.Errorf("%s: identifier %q, want the domain's ASCII form %s reversed", addr, got, ascii)
		}
	}
	if ids(t, defaultDomain, Account{Address: "alice@Société.fr"}, aliceNames) != ids(t, defaultDomain, Account{Address: "alice@" + ascii}, aliceNames) {
		t.Error("the Unicode and ASCII forms of a domain give different identities")
	}
}

func TestUUID5(t *testing.T) {
	// The RFC 9562 (appendix A.4) example: "www.example.com" in the DNS
	// namespace. uuid5 uses mailhelp's namespace, so compute with the
	// DNS one here to check the construction.
	saved := namespace
	defer func() { namespace = saved }()
	namespace = [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	if got, want := uuid5("www.example.com"), "2ED6657D-E927-568B-95E1-2665A8AEA6A2"; got != want {
		t.Errorf("uuid5 = %s, want %s", got, want)
	}
}

func TestBuildHostile(t *testing.T) {
	big := strings.Repeat("é<&>]]>\"'", 10*1024/11)
	tests := []struct {
		name    string
		a       Account
		n       Names
		wantErr string // empty: must round-trip
	}{
		{"markup", Account{Address: `"a<b>&c"@domaine.com`}, Names{Profile: "<plist>&amp;", Description: "]]><![CDATA[x]]>", Account: "</string><key>IncomingPassword</key><string>x", Organization: "<!-- -->"}, ""},
		{"whitespace", alice, Names{Profile: "  a\tb\r\nc\rd\n", Description: "\nx", Account: " x "}, ""},
		{"unicode", Account{Address: "élodie@société.fr", Username: "élodie"}, Names{Profile: "📧 Mail – élodie", Description: "\uFFFD replacement is fine", Account: "日本語"}, ""},
		{"10 KB", Account{Address: strings.Repeat("a", 10*1024) + "@domaine.com", Username: big}, Names{Profile: big, Description: big, Account: big, Organization: big}, ""},
		{"NUL in name", alice, Names{Profile: "a\x00b", Description: "d", Account: "a"}, "Names.Profile holds the character U+0000"},
		{"control character", alice, Names{Profile: "p", Description: "a\x1bb", Account: "a"}, "Names.Description holds the character U+001B"},
		{"U+FFFF", alice, Names{Profile: "p", Description: "d", Account: "a\uffff"}, "Names.Account holds the character U+FFFF"},
		{"invalid UTF-8 name", alice, Names{Profile: "p", Description: "d", Account: "a", Organization: "\xff\xfe"}, "Names.Organization is not valid UTF-8"},
		{"invalid UTF-8 address", Account{Address: "\xc3@domaine.com"}, aliceNames, "Account.Address is not valid UTF-8"},
		{"NUL in username", Account{Address: "alice@domaine.com", Username: "alice\x00"}, aliceNames, "Account.Username holds the character U+0000"},
		{"NUL in address", Account{Address: "al\x00ice@domaine.com"}, aliceNames, "Account.Address holds the character U+0000"},
		{"no at sign", Account{Address: "alice"}, aliceNames, "is not an e-mail address"},
		{"no local part", Account{Address: "@domaine.com"}, aliceNames, "is not an e-mail address"},
		{"bad domain", Account{Address: "alice@<&]]>"}, aliceNames, "invalid domain name"},
		{"empty profile name", alice, Names{Description: "d", Account: "a"}, "Names.Profile is empty"},
		{"blank account name", alice, Names{Profile: "p", Description: "d", Account: " \t"}, "Names.Account is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Build(defaultDomain, tc.a, tc.n)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("no error; profile:\n%.2000s", b)
				}
				if !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %q, want one wrapping ErrInvalidInput and containing %q", err, tc.wantErr)
				}
				if len(err.Error()) > 400 {
					t.Errorf("error message of %d bytes", len(err.Error()))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkRoundTrip(t, b, tc.a, tc.n)
		})
	}
}

// checkRoundTrip checks that a profile reads back with the very strings
// it was built from.
func checkRoundTrip(t testing.TB, b []byte, a Account, n Names) {
	t.Helper()
	m := readBack(t, b)
	p := mailPayloadOf(t, m)
	user := a.Username
	if user == "" {
		user = a.Address
	}
	for _, c := range []struct {
		key  string
		got  any
		want string
	}{
		{"PayloadDisplayName", m["PayloadDisplayName"], n.Profile},
		{"PayloadDescription", m["PayloadDescription"], n.Description},
		{"EmailAccountDescription", p["EmailAccountDescription"], n.Account},
		{"EmailAddress", p["EmailAddress"], a.Address},
		{"IncomingMailServerUsername", p["IncomingMailServerUsername"], user},
		{"OutgoingMailServerUsername", p["OutgoingMailServerUsername"], user},
	} {
		if c.got != c.want {
			t.Errorf("%s read back as %q, want %q", c.key, fmt.Sprint(c.got), c.want)
		}
	}
	if org, ok := m["PayloadOrganization"]; n.Organization == "" && ok || n.Organization != "" && org != n.Organization {
		t.Errorf("PayloadOrganization read back as %#v, want %q", org, n.Organization)
	}
	checkNoPassword(t, m)
}

func TestBuildRefusesUnsafeServers(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    knowledge.Domain
		want string
	}{
		{"no host", knowledge.Domain{Name: "domaine.com"}, "has no host name"},
		{"optional TLS", knowledge.Domain{Name: "domaine.com", Host: "bm.domaine.com", SMTP: knowledge.Endpoint{Port: 25, Security: knowledge.OptionalTLS}}, "security"},
		{"unknown security", knowledge.Domain{Name: "domaine.com", Host: "bm.domaine.com", IMAP: knowledge.Endpoint{Port: 993, Security: "none"}}, "security"},
		{"bad port", knowledge.Domain{Name: "domaine.com", Host: "bm.domaine.com", IMAP: knowledge.Endpoint{Port: 70000, Security: knowledge.ImplicitTLS}}, "not a TCP port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Build(tc.d, alice, aliceNames)
			if !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want ErrInvalidInput containing %q", err, tc.want)
			}
		})
	}
}

func FuzzBuild(f *testing.F) {
	f.Add("alice@domaine.com", "", "Mail – alice@domaine.com", "Adds the account", "alice@domaine.com", "")
	f.Add(`"a<b>"@Domaine.COM`, "a&b", "]]>", "<!--", "\x00", "\xff")
	f.Add("x@société.fr", "x\r\ny", "\t", "\uFFFE", "é", "Org")
	f.Fuzz(func(t *testing.T, address, username, profileName, description, account, org string) {
		a := Account{Address: address, Username: username}
		n := Names{Profile: profileName, Description: description, Account: account, Organization: org}
		b, err := Build(defaultDomain, a, n)
		if err != nil {
			if !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("error %v does not wrap ErrInvalidInput", err)
			}
			if !utf8.ValidString(err.Error()) {
				t.Errorf("error message is not valid UTF-8: %q", err)
			}
			return
		}
		checkRoundTrip(t, b, a, n)
		// The identity depends on the address alone.
		other, err := Build(overriddenDomain, Account{Address: address}, aliceNames)
		if err != nil {
			t.Fatalf("the address was accepted once, then refused: %v", err)
		}
		m1, m2 := readBack(t, b), readBack(t, other)
		if m1["PayloadUUID"] != m2["PayloadUUID"] || m1["PayloadIdentifier"] != m2["PayloadIdentifier"] {
			t.Errorf("identity changed with the names: %v %v, %v %v", m1["PayloadUUID"], m1["PayloadIdentifier"], m2["PayloadUUID"], m2["PayloadIdentifier"])
		}
	})
}
