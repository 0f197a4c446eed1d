package config

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// fastDocs are documents whose domain list the scanner reads.
var fastDocs = map[string]string{
	"flow": "default_language: en\naudit: {file: \"off\"}\ndomains:\n  - {domain: d0.example, host: mail.d0.example}\n  - {domain: d1.example, host: mail.d1.example}\n",
	"block": `# mailhelp
default_language: fr
domains:
  # the first one
  - domain: Example.ORG        # a comment
    aliases: [paris.example.org, 'lyon.example.org']
    host: mail.example.org
    webmail: https://webmail.example.org/?a=b#top
    support: "ext. 4321, or #help"
    language: en
    imap: {host: imap.example.org, port: 143}
    smtp:
      port: 465
      security: ssl

  - domain: société.fr
    aliases:
      - xn--socit-esab.example
      - 'it''s.example'
    host: mail.xn--socit-esab.fr
    support: Call  us on 0123 # spaces kept, comment not
check:
  budget: 10s
web: {listen: "127.0.0.1:8081"}
`,
	"indentless":   "domains:\n- {domain: a.com, host: m.a.com}\n- domain: b.com\n  host: m.b.com\n  smtp: {port: 587, security: starttls}\naudit:\n  file: \"off\"\n",
	"no final eol": "domains:\n  - {domain: a.com, host: m.a.com, support: +33 1 23 45 67 89}",
	"last":         "audit: {file: \"off\"}\n\ndomains:   # all of them\n\n  - domain: a.com\n    host: m.a.com\n\n# the end\n",
	"empty list":   "domains:\n  - {domain: a.com, host: m.a.com, aliases: []}\n",
	"odd values":   "domains:\n  - {domain: true, host: 1.5, webmail: 0x1F, support: 2001-12-14, language: yes}\n  - {domain: a, host: (b), support: a#b, webmail: /c}\n",
	"invalid":      "domains:\n  - {domain: 'a b', host: m.a.com, imap: {port: 70000}}\n  - {domain: a.com, smtp: {security: tls}}\n",
}

// slowDocs are documents the scanner leaves to yaml.v3.
var slowDocs = map[string]string{
	"empty":             "",
	"no domains":        "default_language: en\n",
	"null domains":      "domains:\naudit: {file: \"off\"}\n",
	"inline list":       "domains: [{domain: a.com, host: m.a.com}]\n",
	"json":              `{"domains": [{"domain": "a.com", "host": "m.a.com"}]}`,
	"document start":    "---\ndomains:\n  - {domain: a.com, host: m.a.com}\n",
	"unknown field":     "domains:\n  - domain: a.com\n    hots: x\n",
	"twice":             "domains:\n  - {domain: a.com, host: m.a.com, host: n.a.com}\n",
	"null value":        "domains:\n  - {domain: a.com, host: ~}\n",
	"null word":         "domains:\n  - {domain: a.com, host: null}\n",
	"empty value":       "domains:\n  - domain: a.com\n    host:\n",
	"tab":               "domains:\n  - {domain: a.com,\thost: m.a.com}\n",
	"crlf":              "domains:\r\n  - {domain: a.com, host: m.a.com}\r\n",
	"anchor":            "domains:\n  - {domain: &d a.com, host: m.a.com}\nweb: {listen: *d}\n",
	"tag":               "domains:\n  - {domain: !!str a.com, host: m.a.com}\n",
	"escape":            "domains:\n  - {domain: \"a\\x2ecom\", host: m.a.com}\n",
	"multi-line":        "domains:\n  - domain: a.com\n    host: m.a.com\n      n.a.com\n",
	"multi-line flow":   "domains:\n  - {domain: a.com,\n     host: m.a.com}\n",
	"quoted port":       "domains:\n  - {domain: a.com, host: m.a.com, imap: {port: '993'}}\n",
	"octal port":        "domains:\n  - {domain: a.com, host: m.a.com, imap: {port: 0993}}\n",
	"block scalar":      "domains:\n  - domain: a.com\n    host: m.a.com\n    support: |\n      ext. 42\n",
	"second document":   "domains:\n  - {domain: a.com, host: m.a.com}\n---\nx: 1\n",
	"twice the key":     "domains:\n  - {domain: a.com, host: m.a.com}\ndomains:\n  - {domain: b.com, host: m.b.com}\n",
	"in a flow mapping": "{default_language: en,\ndomains:\n  - {domain: a.com, host: m.a.com}\n}\n",
	"in a string":       "web: {listen: \"a\ndomains:\n  - {domain: a.com, host: m.a.com}\n\"}\n",
	"question mark":     "domains:\n  - {domain: a.com, host: m.a.com, webmail: https://w/?a}\n",
	"mapping in list":   "domains:\n  - {domain: a.com, host: m.a.com, aliases: [b.com: c]}\n",
	"nel":               "domains:\n  - {domain: a.com, host: m.a\u0085.com}\n",
	"line separator":    "domains:\n  - {domain: a.com, host: m.a\u2028.com}\n",
	"bom":               "\ufeffdomains:\n  - {domain: a.com, host: m.a.com}\n",
	"comment unspaced":  "domains:\n  - {domain: a.com, host: m.a.com}# no\n",
	"deeper next line":  "domains:\n  - {domain: a.com, host: m.a.com}\n    - {domain: b.com, host: m.b.com}\n",
	"key after list":    "domains:\n  - {domain: a.com, host: m.a.com}\n web: {}\n",
}

// TestFastDomains: the scanner reads the documents it should, and
// leaves the others to yaml.v3; either way, the result is yaml.v3's.
func TestFastDomains(t *testing.T) {
	for name, doc := range fastDocs {
		t.Run(name, func(t *testing.T) {
			fast, ok := decodeFast([]byte(doc))
			if !ok {
				t.Fatal("left to yaml.v3")
			}
			slow, err := decode([]byte(doc))
			if err != nil || !reflect.DeepEqual(fast, slow) {
				t.Errorf("scanner %+v\nyaml.v3 %+v %v", fast, slow, err)
			}
		})
	}
	for name, doc := range slowDocs {
		t.Run(name, func(t *testing.T) {
			if f, ok := decodeFast([]byte(doc)); ok {
				t.Errorf("read by the scanner: %+v", f)
			}
		})
	}
	big := domainsYAML(1000)
	if f, ok := decodeFast(big); !ok || len(f.Domains) != 1000 || f.Domains[999].Host != "mail.d999.example" {
		t.Errorf("domainsYAML(1000) not read by the scanner")
	}
}

// TestFastDomainsFields: the scanner reads the fields of the file's
// domains and endpoints, no more, no fewer: a field added, renamed or
// removed there must be so in the scanner too.
func TestFastDomainsFields(t *testing.T) {
	tags := func(v any) []string {
		var out []string
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			out = append(out, typ.Field(i).Tag.Get("yaml"))
		}
		slices.Sort(out)
		return out
	}
	var d domainFile
	var read []string
	for _, key := range append(tags(domainFile{}), "hots", "port", "security") {
		if s, _ := domainString(key, &d); s != nil {
			read = append(read, key)
		}
		if e, _ := domainEndpoint(key, &d); e != nil {
			read = append(read, key)
		}
	}
	read = append(read, "aliases") // read by domainFlowValue and domainBlockValue
	slices.Sort(read)
	if want := tags(domainFile{}); !slices.Equal(read, want) {
		t.Errorf("the scanner reads the domain fields %v, the file has %v", read, want)
	}
	if want := tags(endpointFile{}); !slices.Equal(want, []string{"host", "port", "security"}) {
		t.Errorf("the scanner reads the endpoint fields host, port and security, the file has %v", want)
	}
}

// TestFastDomainsLines: problems found in a document whose list the
// scanner read are on the lines of the document.
func TestFastDomainsLines(t *testing.T) {
	doc := "default_language: en\ndomains:\n  - {domain: a.com, host: m.a.com}\n  - domain: b.com\n    host: m.b.com\n    imap: {port: 70000}\n" +
		"  - {domain: A.com, host: n.a.com}\ncheck:\n  budget: forever\n"
	if _, ok := decodeFast([]byte(doc)); !ok {
		t.Fatal("left to yaml.v3")
	}
	_, err := Parse([]byte(doc))
	want := "config: line 6: domains[1].imap.port: 70000 is not a TCP port; line 6: domains[1].imap.security: " +
		"port 70000 is not a standard imap port, so its security must be given; line 9: check.budget: " +
		`"forever" is not a duration between 1s and 2m0s`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant  %s", err, want)
	}
	_, err = Parse([]byte(strings.Replace(doc, "70000", "143", 1)))
	if err == nil || !strings.Contains(err.Error(), "check.budget") || strings.Contains(err.Error(), "already") {
		t.Errorf("err = %v (a duplicate is only reported once the rest is right)", err)
	}
	_, err = Parse([]byte(strings.Replace(strings.Replace(doc, "70000", "143", 1), "forever", "10s", 1)))
	want = `config: line 7: domains[2]: "A.com" is already configured by domains[0]`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant  %s", err, want)
	}
}

// FuzzFastDomains: whatever the document, the scanner reads it as
// yaml.v3 does, or leaves it to yaml.v3.
//
//	go test ./config -run XXX -fuzz FuzzFastDomains -fuzztime 5m
func FuzzFastDomains(f *testing.F) {
	for _, doc := range fastDocs {
		f.Add(doc)
	}
	for _, doc := range slowDocs {
		f.Add(doc)
	}
	f.Add(string(defaultYAML))
	f.Fuzz(func(t *testing.T, doc string) {
		fast, ok := decodeFast([]byte(doc))
		if !ok {
			return
		}
		slow, err := decode([]byte(doc))
		if err != nil {
			t.Fatalf("the scanner read what yaml.v3 refuses (%v): %+v", err, fast)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("scanner %+v\nyaml.v3 %+v", fast, slow)
		}
	})
}

// TestFastDomainsGenerated: documents made of the pieces domain lists
// are written with, and of pieces the scanner must leave to yaml.v3,
// give the same result either way; so does Complete.
func TestFastDomainsGenerated(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 2026))
	fast := 0
	for range 10000 {
		doc := []byte(generatedDoc(r))
		if a, b := fmt.Sprint(Complete(doc)), fmt.Sprint(complete(doc, parseRoot)); a != b {
			t.Fatalf("Complete(%q) = %s, with yaml.v3 alone %s", doc, a, b)
		}
		f, ok := decodeFast(doc)
		if !ok {
			continue
		}
		fast++
		slow, err := decode(doc)
		if err != nil || !reflect.DeepEqual(f, slow) {
			t.Fatalf("%q:\nscanner %+v\nyaml.v3 %+v %v", doc, f, slow, err)
		}
	}
	if fast < 300 {
		t.Errorf("the scanner read %d documents only", fast)
	}
}

// Pieces of generated documents: the first few of each list are
// usual, the others rarer or what the scanner must refuse.
var (
	genKeys     = []string{"domain", "host", "webmail", "aliases", "support", "language", "imap", "smtp", "hots", "domain ", "Domain", "port"}
	genEndpoint = []string{"host", "port", "security", "hots", "port "}
	genValues   = []string{"a.com", "m.a.com", "b.a.com", "x", "fr", "en", "993", "143", "0", "0993", "70000", "465", "ssl", "starttls", "tls",
		"null", "~", "Null", "true", "1.5", "0x1F", "https://w.a.com/?a=b", "ext. 42", "a#b", "a #b", "a: b", "a:b", "'q'", "'it''s'",
		`"dq"`, `"a\"b"`, "'", `"`, "[a, b]", "[]", "[a,]", "{port: 993}", "{}", "&a x", "*a", "!!str x", "|", ">", "-", "- x",
		"société.fr", "\t", "a\tb", "?", ",", "é", "\u00a0", "\u2028", "<<", "+1", "(x)", "/p", "_u", ".inf", "a  b", "a ", " ", ""}
	genPorts    = []string{"993", "465", "143", "0", "0993", "993.0", "'993'", "1_000", "x"}
	genSpaces   = []string{" ", "  ", "   ", ""}
	genComments = []string{"", " # c", "  #", "# c", "\t# c"}
)

// genPick picks from l: among its first three, but once in rare times.
func genPick(r *rand.Rand, l []string, rare int) string {
	if r.IntN(rare) != 0 {
		return l[r.IntN(3)]
	}
	return l[r.IntN(len(l))]
}

// genMapping returns the keys of a mapping and their values, as
// "key: value" in flow style, or as block lines at indent.
func genMapping(r *rand.Rand, keys []string, flow bool, indent string, depth int) []string {
	var out []string
	for i, k := range r.Perm(len(keys))[:1+r.IntN(4)] {
		key := keys[k]
		if r.IntN(40) == 0 && i > 0 {
			key = keys[0] // given twice
		}
		if !flow && r.IntN(4) == 0 && depth == 0 && (key == "aliases" || key == "imap" || key == "smtp") {
			nested := indent + strings.Repeat(" ", 1+r.IntN(3))
			lines := []string{key + ":" + genPick(r, genComments, 10)}
			if key == "aliases" {
				for range 1 + r.IntN(3) {
					lines = append(lines, nested+"- "+genPick(r, genValues, 30)+genPick(r, genComments, 10))
				}
			} else {
				for _, l := range genMapping(r, genEndpoint, false, nested, 1) {
					lines = append(lines, nested+l)
				}
			}
			out = append(out, strings.Join(lines, "\n"))
			continue
		}
		var v string
		switch {
		case key == "aliases" && r.IntN(20) != 0:
			var list []string
			for range r.IntN(3) {
				list = append(list, genPick(r, genValues, 30))
			}
			v = "[" + strings.Join(list, ", ") + "]"
		case (key == "imap" || key == "smtp") && depth == 0 && r.IntN(20) != 0:
			v = "{" + strings.Join(genMapping(r, genEndpoint, true, "", 1), ", ") + "}"
		case key == "port":
			v = genPick(r, genPorts, 10)
		default:
			v = genPick(r, genValues, 30)
		}
		sep := ": "
		if r.IntN(30) == 0 {
			sep = ":" + genPick(r, genSpaces, 2)
		}
		comment := ""
		if !flow {
			comment = genPick(r, genComments, 10)
		}
		out = append(out, key+sep+v+comment)
	}
	return out
}

func generatedEntry(r *rand.Rand, indent string) string {
	if r.IntN(2) == 0 {
		sp := genPick(r, genSpaces, 10)
		return indent + "- {" + sp + strings.Join(genMapping(r, genKeys, true, "", 0), ","+genPick(r, genSpaces, 10)) + sp + "}" +
			genPick(r, genComments, 10) + "\n"
	}
	keyIndent := indent + "  " + strings.Repeat(" ", r.IntN(2))
	var b strings.Builder
	for i, line := range genMapping(r, genKeys, false, keyIndent, 0) {
		if i == 0 {
			b.WriteString(indent + "- " + strings.Repeat(" ", len(keyIndent)-len(indent)-2) + line + "\n")
		} else {
			b.WriteString(keyIndent + line + "\n")
		}
		if r.IntN(20) == 0 {
			b.WriteString(genPick(r, []string{"", "  ", "# x", "      more", "\t"}, 3) + "\n")
		}
	}
	return b.String()
}

func generatedDoc(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(4) == 0 {
		b.WriteString(genPick(r, []string{"# head\n", "\n", "default_language: fr\n", "---\n", "x: 1\n", "web: {listen: \"a\n", "check:\n  budget: 10s\n"}, 2))
	}
	b.WriteString("domains:" + genPick(r, genComments, 10) + "\n")
	indent := genPick(r, []string{"  ", "", "    ", " "}, 4)
	for range 1 + r.IntN(4) {
		b.WriteString(generatedEntry(r, indent))
	}
	if r.IntN(2) == 0 {
		b.WriteString(genPick(r, []string{"audit: {file: \"off\"}\n", "# tail\n", "web:\n  listen: nowhere\n", "domains:\n  - x\n",
			" x: 1\n", "---\nx: 1\n", "check:\n  budget:\n", "x\n"}, 3))
	}
	doc := b.String()
	if r.IntN(10) == 0 {
		doc = doc[:r.IntN(len(doc))] // cut short
	}
	return doc
}
