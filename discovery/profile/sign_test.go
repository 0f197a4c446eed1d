package profile

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/smallstep/pkcs7"

	"github.com/mailhelp/mailhelp/internal/testpki"
)

// issued is a certificate made by the tests, with its key.
type issued struct {
	cert *x509.Certificate
	key  crypto.Signer
	pem  []byte // the certificate
}

// issue makes a certificate for key, signed by parent (nil: self-signed).
func issue(t *testing.T, cn string, key crypto.Signer, parent *issued, isCA bool) *issued {
	t.Helper()
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 100))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	if isCA {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage |= x509.KeyUsageCertSign
	}
	parentCert, parentKey := tmpl, key
	if parent != nil {
		parentCert, parentKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, key.Public(), parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &issued{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

func ecKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var rsaKeyOnce = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

func rsaKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsaKeyOnce()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func pkcs8(t *testing.T, k any) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return pemBlock("PRIVATE KEY", der)
}

// verify parses a signature, checks it, that its signer chains to roots,
// that it is SHA-256 and that it carries profile; it returns the parsed
// signature.
func verify(t *testing.T, der []byte, roots *x509.CertPool, profile []byte) *pkcs7.PKCS7 {
	t.Helper()
	p7, err := pkcs7.Parse(der)
	if err != nil {
		t.Fatalf("pkcs7.Parse: %v", err)
	}
	if err := p7.Verify(); err != nil {
		t.Errorf("Verify: %v", err)
	}
	if err := p7.VerifyWithChain(roots); err != nil {
		t.Errorf("VerifyWithChain: %v", err)
	}
	if !bytes.Equal(p7.Content, profile) {
		t.Errorf("the signed content differs from the profile")
	}
	if len(p7.Signers) != 1 {
		t.Fatalf("%d signers, want 1", len(p7.Signers))
	}
	if alg := p7.Signers[0].DigestAlgorithm.Algorithm; !alg.Equal(pkcs7.OIDDigestAlgorithmSHA256) {
		t.Errorf("digest algorithm %v, want SHA-256", alg)
	}
	return p7
}

func TestSignTestPKI(t *testing.T) {
	ca, leaf := testpki.NewLeaf(t, "mailhelp.domaine.com")
	s, err := NewSigner(leaf.CertPEM, leaf.KeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	profile, err := Build(defaultDomain, alice, aliceNames)
	if err != nil {
		t.Fatal(err)
	}
	der, err := s.Sign(profile)
	if err != nil {
		t.Fatal(err)
	}
	p7 := verify(t, der, ca.Pool(), profile)
	if signer := p7.GetOnlySigner(); signer == nil || !bytes.Equal(signer.Raw, leaf.TLS.Certificate[0]) {
		t.Errorf("the signer is not the leaf certificate")
	}
	if len(p7.Certificates) != 1 {
		t.Errorf("%d certificates included, want 1", len(p7.Certificates))
	}
	// The content is the profile, readable as such.
	checkRoundTrip(t, p7.Content, alice, aliceNames)

	// A root that did not issue the leaf is refused.
	other, err := testpki.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	if err := p7.VerifyWithChain(other.Pool()); err == nil {
		t.Error("VerifyWithChain succeeded with an unrelated root")
	}

	// One file holding the key and the certificate serves as both.
	both := append(append([]byte{}, leaf.KeyPEM...), leaf.CertPEM...)
	s2, err := NewSigner(both, both)
	if err != nil {
		t.Fatalf("combined file: %v", err)
	}
	der2, err := s2.Sign(profile)
	if err != nil {
		t.Fatal(err)
	}
	verify(t, der2, ca.Pool(), profile)
}

func TestSignRSA(t *testing.T) {
	root := issue(t, "RSA test root", ecKey(t), nil, true)
	key := rsaKey(t)
	leaf := issue(t, "mailhelp.domaine.com", key, root, false)
	roots := x509.NewCertPool()
	roots.AddCert(root.cert)
	profile, err := Build(overriddenDomain, alice, aliceNames)
	if err != nil {
		t.Fatal(err)
	}
	for name, keyPEM := range map[string][]byte{
		"PKCS#8": pkcs8(t, key),
		"PKCS#1": pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key)),
	} {
		t.Run(name, func(t *testing.T) {
			s, err := NewSigner(leaf.pem, keyPEM)
			if err != nil {
				t.Fatal(err)
			}
			der, err := s.Sign(profile)
			if err != nil {
				t.Fatal(err)
			}
			verify(t, der, roots, profile)
		})
	}
}

func TestSignECPKCS8(t *testing.T) {
	root := issue(t, "EC test root", ecKey(t), nil, true)
	key := ecKey(t)
	leaf := issue(t, "mailhelp.domaine.com", key, root, false)
	roots := x509.NewCertPool()
	roots.AddCert(root.cert)
	s, err := NewSigner(leaf.pem, pkcs8(t, key))
	if err != nil {
		t.Fatal(err)
	}
	der, err := s.Sign([]byte("<plist/>"))
	if err != nil {
		t.Fatal(err)
	}
	verify(t, der, roots, []byte("<plist/>"))
}

func TestSignWithIntermediate(t *testing.T) {
	root := issue(t, "test root", ecKey(t), nil, true)
	inter := issue(t, "test intermediate", ecKey(t), root, true)
	key := ecKey(t)
	leaf := issue(t, "mailhelp.domaine.com", key, inter, false)
	roots := x509.NewCertPool()
	roots.AddCert(root.cert)
	ecDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := pemBlock("EC PRIVATE KEY", ecDER)
	profile, err := Build(defaultDomain, alice, aliceNames)
	if err != nil {
		t.Fatal(err)
	}

	chain := append(append([]byte{}, leaf.pem...), inter.pem...)
	s, err := NewSigner(chain, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	der, err := s.Sign(profile)
	if err != nil {
		t.Fatal(err)
	}
	p7 := verify(t, der, roots, profile)
	if len(p7.Certificates) != 2 || !p7.Certificates[0].Equal(leaf.cert) || !p7.Certificates[1].Equal(inter.cert) {
		t.Errorf("certificates included: %d, want the leaf then the intermediate", len(p7.Certificates))
	}

	// Without the intermediate, the signature does not chain to the root:
	// that is why it must be included.
	s, err = NewSigner(leaf.pem, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	der, err = s.Sign(profile)
	if err != nil {
		t.Fatal(err)
	}
	p7, err = pkcs7.Parse(der)
	if err != nil {
		t.Fatal(err)
	}
	if err := p7.VerifyWithChain(roots); err == nil {
		t.Error("a signature without the intermediate chains to the root")
	}

	// Certificates out of order are refused when loading, not when signing.
	_, err = NewSigner(append(append([]byte{}, leaf.pem...), root.pem...), keyPEM)
	if !errors.Is(err, ErrBadCertificate) {
		t.Errorf("leaf then root (intermediate missing): error %v, want ErrBadCertificate", err)
	}
}

func TestNewSignerErrors(t *testing.T) {
	ca, leaf := testpki.NewLeaf(t, "mailhelp.domaine.com")
	other, err := ca.Valid("other.domaine.com")
	if err != nil {
		t.Fatal(err)
	}
	rsaPEM := pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey(t)))
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	garbage := []byte("this is not PEM at all\n")

	for _, tc := range []struct {
		name          string
		certPEM, key  []byte
		want          error
		wantSubstring string
	}{
		{"mismatched key", leaf.CertPEM, other.KeyPEM, ErrKeyMismatch, "does not match"},
		{"mismatched key type", leaf.CertPEM, rsaPEM, ErrKeyMismatch, "RSA key of 2048 bits"},
		{"garbage certificate", garbage, leaf.KeyPEM, ErrNoCertificate, "CERTIFICATE"},
		{"garbage key", leaf.CertPEM, garbage, ErrNoKey, "PRIVATE KEY"},
		{"key file with no key", leaf.CertPEM, leaf.CertPEM, ErrNoKey, "no private key"},
		{"certificate file with no certificate", leaf.KeyPEM, leaf.KeyPEM, ErrNoCertificate, "no certificate"},
		{"empty files", nil, nil, ErrNoCertificate, ""},
		{"corrupt certificate", pemBlock("CERTIFICATE", []byte("garbage")), leaf.KeyPEM, ErrBadCertificate, "certificate 1"},
		{"corrupt key", leaf.CertPEM, pemBlock("EC PRIVATE KEY", []byte("garbage")), ErrBadKey, "EC PRIVATE KEY"},
		{"encrypted PKCS#8 key", leaf.CertPEM, pemBlock("ENCRYPTED PRIVATE KEY", []byte("x")), ErrBadKey, "encrypted"},
		{"encrypted PKCS#1 key", leaf.CertPEM, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-128-CBC,00"}, Bytes: []byte("x")}), ErrBadKey, "encrypted"},
		{"Ed25519 key", leaf.CertPEM, pkcs8(t, edKey), ErrBadKey, "ed25519"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewSigner(tc.certPEM, tc.key)
			if s != nil || !errors.Is(err, tc.want) {
				t.Fatalf("NewSigner = %v, %v; want an error wrapping %v", s, err, tc.want)
			}
			if !bytes.Contains([]byte(err.Error()), []byte(tc.wantSubstring)) {
				t.Errorf("error %q does not mention %q", err, tc.wantSubstring)
			}
		})
	}
}
