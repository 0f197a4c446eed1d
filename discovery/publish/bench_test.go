package publish_test

import (
	"net/http"
	"testing"

	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/discovery/profile"
	"github.com/mailhelp/mailhelp/internal/testpki"
)

// The documents are built per request from the current configuration:
// these say what one costs.
//
//	go test ./discovery/publish -run XXX -bench . -benchmem

func benchServe(b *testing.B, h http.Handler, method, target, body string) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		if w := do(h, method, target, "", body); w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
	}
}

func BenchmarkAutoconfig(b *testing.B) {
	benchServe(b, newHandler(b, nil), "GET", "/mail/config-v1.1.xml?emailaddress=alice@domaine.com", "")
}

func BenchmarkAutodiscover(b *testing.B) {
	benchServe(b, newHandler(b, nil), "POST", "/autodiscover/autodiscover.xml",
		adRequest("alice@domaine.com", discovery.OutlookResponseSchema))
}

func BenchmarkProfile(b *testing.B) {
	benchServe(b, newHandler(b, nil), "GET", "/mobileconfig?address=alice@domaine.com", "")
}

func BenchmarkSignedProfile(b *testing.B) {
	_, leaf := testpki.NewLeaf(b, "mailhelp.domaine.com")
	signer, err := profile.NewSigner(leaf.CertPEM, leaf.KeyPEM)
	if err != nil {
		b.Fatal(err)
	}
	benchServe(b, newHandler(b, signer), "GET", "/mobileconfig?address=alice@domaine.com", "")
}
