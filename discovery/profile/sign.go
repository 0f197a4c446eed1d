package profile

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/smallstep/pkcs7"
)

// Errors NewSigner wraps, so callers can tell what is wrong with the
// configured files.
var (
	// ErrNoCertificate means the certificate PEM holds no CERTIFICATE block.
	ErrNoCertificate = errors.New("profile: no certificate found")
	// ErrBadCertificate means a CERTIFICATE block does not parse, or the
	// blocks after the first are not its chain in order.
	ErrBadCertificate = errors.New("profile: bad certificate")
	// ErrNoKey means the key PEM holds no private key block.
	ErrNoKey = errors.New("profile: no private key found")
	// ErrBadKey means the private key does not parse, is encrypted, or is
	// of a type other than RSA or ECDSA.
	ErrBadKey = errors.New("profile: bad private key")
	// ErrKeyMismatch means the key is not the certificate's.
	ErrKeyMismatch = errors.New("profile: the private key does not match the certificate")
)

// Signer signs profiles with a certificate (and its chain) and key, so
// that devices show them as verified when they trust the chain.
type Signer struct {
	cert  *x509.Certificate
	chain []*x509.Certificate // intermediates, issuer of cert first
	key   crypto.Signer
}

// NewSigner parses PEM: certPEM holds the signing certificate first, then
// any intermediates (each issued by the next); keyPEM an RSA or ECDSA key
// (PKCS#1, SEC1 or PKCS#8, unencrypted). Blocks of other types are
// skipped, so one file holding both the key and the certificates may be
// passed as both. It checks that the key matches the certificate and that
// the intermediates chain up, and returns errors wrapping ErrNoCertificate,
// ErrBadCertificate, ErrNoKey, ErrBadKey or ErrKeyMismatch otherwise.
func NewSigner(certPEM, keyPEM []byte) (*Signer, error) {
	certs, err := parseCertificates(certPEM)
	if err != nil {
		return nil, err
	}
	key, err := parseKey(keyPEM)
	if err != nil {
		return nil, err
	}
	pub, ok := certs[0].PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(key.Public()) {
		return nil, fmt.Errorf("%w: certificate %q has a %s public key, the private key is %s",
			ErrKeyMismatch, certs[0].Subject.String(), certs[0].PublicKeyAlgorithm, keyKind(key))
	}
	for i := 1; i < len(certs); i++ {
		if err := certs[i-1].CheckSignatureFrom(certs[i]); err != nil {
			return nil, fmt.Errorf("%w: certificate %d (%q) is not issued by certificate %d (%q) that follows it: %w",
				ErrBadCertificate, i, certs[i-1].Subject.String(), i+1, certs[i].Subject.String(), err)
		}
	}
	return &Signer{cert: certs[0], chain: certs[1:], key: key}, nil
}

// Sign returns the DER CMS SignedData with the profile attached, signed
// with SHA-256, with the signing certificate and its intermediates
// included. Signatures differ between calls (they carry the signing time).
func (s *Signer) Sign(profile []byte) ([]byte, error) {
	sd, err := pkcs7.NewSignedData(profile)
	if err != nil {
		return nil, fmt.Errorf("profile: signing: %w", err)
	}
	// Per signature rather than pkcs7.SetDefaultDigestAlgorithm, which
	// changes a global.
	sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	if len(s.chain) == 0 {
		err = sd.AddSigner(s.cert, s.key, pkcs7.SignerInfoConfig{})
	} else {
		err = sd.AddSignerChain(s.cert, s.key, s.chain, pkcs7.SignerInfoConfig{})
	}
	if err != nil {
		return nil, fmt.Errorf("profile: signing: %w", err)
	}
	der, err := sd.Finish()
	if err != nil {
		return nil, fmt.Errorf("profile: signing: %w", err)
	}
	return der, nil
}

// parseCertificates returns the CERTIFICATE blocks of data, in order.
func parseCertificates(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: certificate %d: %w", ErrBadCertificate, len(certs)+1, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("%w: the certificate file has no PEM \"CERTIFICATE\" block", ErrNoCertificate)
	}
	return certs, nil
}

// parseKey returns the first private key of data.
func parseKey(data []byte) (crypto.Signer, error) {
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		var (
			key any
			err error
		)
		switch b.Type {
		case "RSA PRIVATE KEY":
			if _, encrypted := b.Headers["DEK-Info"]; encrypted {
				return nil, fmt.Errorf("%w: the key is encrypted; decrypt it first (openssl rsa)", ErrBadKey)
			}
			key, err = x509.ParsePKCS1PrivateKey(b.Bytes)
		case "EC PRIVATE KEY":
			if _, encrypted := b.Headers["DEK-Info"]; encrypted {
				return nil, fmt.Errorf("%w: the key is encrypted; decrypt it first (openssl ec)", ErrBadKey)
			}
			key, err = x509.ParseECPrivateKey(b.Bytes)
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(b.Bytes)
		case "ENCRYPTED PRIVATE KEY":
			return nil, fmt.Errorf("%w: the key is encrypted; decrypt it first (openssl pkcs8)", ErrBadKey)
		default:
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %q block: %w", ErrBadKey, b.Type, err)
		}
		switch k := key.(type) {
		case *rsa.PrivateKey:
			return k, nil
		case *ecdsa.PrivateKey:
			return k, nil
		}
		return nil, fmt.Errorf("%w: %T keys are not supported; use RSA or ECDSA", ErrBadKey, key)
	}
	return nil, fmt.Errorf("%w: the key file has no PEM \"RSA PRIVATE KEY\", \"EC PRIVATE KEY\" or \"PRIVATE KEY\" block", ErrNoKey)
}

// keyKind names a key's type for an error message.
func keyKind(k crypto.Signer) string {
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return fmt.Sprintf("an RSA key of %d bits", k.N.BitLen())
	case *ecdsa.PrivateKey:
		return "an ECDSA key on " + k.Curve.Params().Name
	}
	return fmt.Sprintf("a %T", k)
}
