package publish

import (
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/knowledge"
)

// FuzzLookupAddress: whatever a request's address parameter holds, an
// accepted address is one bare address of a configured domain, with
// nothing a header, an XML document or a plist could be hurt by.
func FuzzLookupAddress(f *testing.F) {
	dir, err := knowledge.NewDirectory([]knowledge.Domain{{Name: "domaine.com", Aliases: []string{"Société.fr"}, Host: "bm.domaine.com"}})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"alice@domaine.com", "a+b@DOMAINE.com", "x@société.fr", "<a>@domaine.com", "a@b@domaine.com", "a\r\n@domaine.com", "o'b&c@domaine.com", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := lookupAddress(dir, s)
		if !ok {
			return
		}
		if strings.Count(a.address, "@") != 1 || strings.ContainsAny(a.address, "<>\"\r\n\t ;,()[]\\") || len(a.address) > maxAddressLen+8 {
			t.Fatalf("accepted %q as %q", s, a.address)
		}
		if !strings.HasSuffix(a.login, "@domaine.com") && !strings.HasSuffix(a.login, "@xn--socit-esab.fr") {
			t.Fatalf("login %q", a.login)
		}
	})
}
