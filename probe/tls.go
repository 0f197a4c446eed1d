package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"
)

// TLSInfo describes a TLS session and the server's certificate.
type TLSInfo struct {
	Version string    `json:"version"`
	Cipher  string    `json:"cipher"`
	Cert    *CertInfo `json:"cert,omitempty"`
}

// CertInfo describes the server's certificate as the probe judged it.
// Subject, SANs and issuer come from the server: untrusted text.
type CertInfo struct {
	Subject  string    `json:"subject"`
	SANs     []string  `json:"sans,omitempty"`
	Issuer   string    `json:"issuer"`
	NotAfter time.Time `json:"not_after"`
	DaysLeft int       `json:"days_left"`
	Verified bool      `json:"verified"`
	Error    string    `json:"error,omitempty"`
}

// expiringSoon is when a valid certificate earns a warning.
const expiringSoon = 14 * 24 * time.Hour

// handshake runs a TLS client handshake on raw for host and judges the
// certificate. Verification is done by hand after the handshake (the
// handshake itself accepts any certificate), so that an expired, wrong-name
// or untrusted certificate is described instead of just refused.
func (c *Checker) handshake(ctx context.Context, raw net.Conn, host string) (*tls.Conn, *TLSInfo, []Problem, error) {
	cfg := &tls.Config{
		InsecureSkipVerify: true, // verified below, with every problem named
		MinVersion:         tls.VersionTLS10,
	}
	if _, err := netip.ParseAddr(host); err != nil {
		cfg.ServerName = host
	}
	tc := tls.Client(raw, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, nil, nil, err
	}
	st := tc.ConnectionState()
	info := &TLSInfo{Version: tls.VersionName(st.Version), Cipher: tls.CipherSuiteName(st.CipherSuite)}
	var probs []Problem
	if st.Version < tls.VersionTLS12 {
		probs = append(probs, problem(CodeTLSOld, "the server negotiated %s; devices and libraries are dropping it", info.Version))
	}
	cert, certProbs := c.judgeCert(st.PeerCertificates, host)
	info.Cert = cert
	return tc, info, append(probs, certProbs...), nil
}

// judgeCert verifies a chain for host against the configured roots and
// names every problem found.
func (c *Checker) judgeCert(chain []*x509.Certificate, host string) (*CertInfo, []Problem) {
	if len(chain) == 0 {
		return nil, []Problem{problem(CodeCertUntrusted, "the server sent no certificate")}
	}
	leaf := chain[0]
	now := c.now()
	info := &CertInfo{
		Subject:  leaf.Subject.String(),
		SANs:     append([]string(nil), leaf.DNSNames...),
		Issuer:   leaf.Issuer.String(),
		NotAfter: leaf.NotAfter.UTC(),
		DaysLeft: int(leaf.NotAfter.Sub(now).Hours() / 24),
	}
	for _, ip := range leaf.IPAddresses {
		info.SANs = append(info.SANs, ip.String())
	}
	var probs []Problem
	switch {
	case now.After(leaf.NotAfter):
		probs = append(probs, problem(CodeCertExpired, "expired on %s", leaf.NotAfter.UTC().Format(time.DateOnly)))
	case now.Before(leaf.NotBefore):
		probs = append(probs, problem(CodeCertNotYetValid, "valid only from %s", leaf.NotBefore.UTC().Format(time.DateOnly)))
	case leaf.NotAfter.Sub(now) < expiringSoon:
		probs = append(probs, problem(CodeCertExpiringSoon, "expires on %s", leaf.NotAfter.UTC().Format(time.DateOnly)))
	}
	if err := leaf.VerifyHostname(host); err != nil {
		probs = append(probs, problem(CodeCertHostname, "the certificate is for %s, not %s", certNames(leaf), host))
	}
	inter := x509.NewCertPool()
	for _, ic := range chain[1:] {
		inter.AddCert(ic)
	}
	_, err := leaf.Verify(x509.VerifyOptions{
		Roots: c.roots(), Intermediates: inter, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) && invalid.Reason == x509.Expired && hasTimeProblem(probs) {
		// Already reported as expired or not yet valid; judge trust at a
		// moment the certificate was valid. If the authority was not valid
		// then either, only the dates are wrong.
		_, err = leaf.Verify(x509.VerifyOptions{
			Roots: c.roots(), Intermediates: inter,
			CurrentTime: leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore) / 2),
			KeyUsages:   []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		})
		if errors.As(err, &invalid) && invalid.Reason == x509.Expired {
			err = nil
		}
	}
	if err != nil {
		detail := "no trusted authority signed it"
		var ua x509.UnknownAuthorityError
		if errors.As(err, &ua) && leaf.Issuer.String() == leaf.Subject.String() {
			detail = "it is self-signed"
		} else if !errors.As(err, &ua) {
			detail = err.Error()
		}
		probs = append(probs, problem(CodeCertUntrusted, "%s", detail))
	}
	info.Verified = !hasFailure(probs)
	if len(probs) > 0 {
		var msgs []string
		for _, p := range probs {
			msgs = append(msgs, p.Detail)
		}
		info.Error = strings.Join(msgs, "; ")
	}
	return info, probs
}

func certNames(leaf *x509.Certificate) string {
	names := append([]string(nil), leaf.DNSNames...)
	if len(names) == 0 {
		names = append(names, leaf.Subject.CommonName)
	}
	if len(names) > 5 {
		names = append(names[:5], "…")
	}
	return strings.Join(names, ", ")
}

func hasTimeProblem(probs []Problem) bool {
	for _, p := range probs {
		if p.Code == CodeCertExpired || p.Code == CodeCertNotYetValid {
			return true
		}
	}
	return false
}

func hasFailure(probs []Problem) bool {
	for _, p := range probs {
		if p.Severity == SeverityFail {
			return true
		}
	}
	return false
}

// tlsProblem names a failed handshake.
func tlsProblem(err error, afterSTARTTLS bool) Problem {
	var rh tls.RecordHeaderError
	if afterSTARTTLS && errors.As(err, &rh) {
		return problem(CodeSTARTTLSInjection, "plaintext arrived where the TLS handshake should start")
	}
	if isTimeout(err) {
		return problem(CodeTimeout, "no TLS handshake: %v", err)
	}
	return problem(CodeTLSHandshake, "%s", fmt.Sprint(err))
}
