// Package testpki makes a throw-away certificate authority and server
// certificates for tests: valid, expired, not yet valid, for the wrong
// name, or self-signed.
package testpki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// CA is a test certificate authority.
type CA struct {
	Cert *x509.Certificate
	key  *ecdsa.PrivateKey
	// PEM is the CA certificate, PEM-encoded.
	PEM []byte
}

// NewCA makes a CA valid from an hour ago for ten years.
func NewCA() (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("testpki: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "mailhelp test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().AddDate(10, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("testpki: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("testpki: %w", err)
	}
	return &CA{Cert: cert, key: key, PEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}, nil
}

// Pool returns a pool trusting only this CA.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.Cert)
	return p
}

// Leaf is a server certificate and its key.
type Leaf struct {
	CertPEM, KeyPEM []byte
	TLS             tls.Certificate
}

// Issue makes a server certificate for names, valid between notBefore and
// notAfter. With selfSigned it signs itself instead of using the CA.
func (ca *CA) Issue(names []string, notBefore, notAfter time.Time, selfSigned bool) (*Leaf, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("testpki: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: names[0], Organization: []string{"mailhelp tests"}},
		DNSNames:     names,
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	parent, signer := ca.Cert, ca.key
	if selfSigned {
		parent, signer = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		return nil, fmt.Errorf("testpki: %w", err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("testpki: %w", err)
	}
	l := &Leaf{
		CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		KeyPEM:  pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}),
	}
	if l.TLS, err = tls.X509KeyPair(l.CertPEM, l.KeyPEM); err != nil {
		return nil, fmt.Errorf("testpki: %w", err)
	}
	return l, nil
}

// Valid issues a certificate for names valid from yesterday for a year.
func (ca *CA) Valid(names ...string) (*Leaf, error) {
	return ca.Issue(names, time.Now().Add(-24*time.Hour), time.Now().AddDate(1, 0, 0), false)
}

// WriteFiles writes the certificate and key as name.crt and name.key in
// dir, and a name.pem with both (key first), and returns their paths.
func (l *Leaf) WriteFiles(dir, name string) (crt, key, both string, err error) {
	crt = filepath.Join(dir, name+".crt")
	key = filepath.Join(dir, name+".key")
	both = filepath.Join(dir, name+".pem")
	for path, data := range map[string][]byte{crt: l.CertPEM, key: l.KeyPEM, both: append(append([]byte{}, l.KeyPEM...), l.CertPEM...)} {
		if err = os.WriteFile(path, data, 0o600); err != nil {
			return "", "", "", fmt.Errorf("testpki: %w", err)
		}
	}
	return crt, key, both, nil
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	return n
}

// NewLeaf makes a throw-away CA and a certificate for names it signed,
// valid from yesterday for a year, failing t on error.
func NewLeaf(t testing.TB, names ...string) (*CA, *Leaf) {
	t.Helper()
	ca, err := NewCA()
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := ca.Valid(names...)
	if err != nil {
		t.Fatal(err)
	}
	return ca, leaf
}
