package mockserver

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
	"net"
	"net/http"
	"time"
)

const (
	// certificateValidity is short: the CA key lives only in memory, so the
	// certificate is useless once the process ends anyway.
	certificateValidity = 24 * time.Hour
	// clockSkew backdates the certificates so a client whose clock is a
	// little behind still accepts them.
	clockSkew = 5 * time.Minute
)

// WithTLS serves every listener over HTTPS, and advertises https URLs, with a
// certificate for 127.0.0.1, ::1 and localhost issued at Run by a throwaway
// CA. Clients trust it through CACertPEM.
func WithTLS() Option {
	return func(c *config) { c.tls = true }
}

// CACertPEM is the PEM-encoded CA certificate that issued the server's
// certificate; nil without WithTLS.
func (s *Server) CACertPEM() []byte {
	if s.tls == nil {
		return nil
	}
	return s.tls.caPEM
}

// tlsIdentity is the generated CA and the server certificate it issued; a
// nil *tlsIdentity means plain HTTP.
type tlsIdentity struct {
	caPEM  []byte
	config *tls.Config
}

func newTLSIdentity(now time.Time) (*tlsIdentity, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("mockserver: ca key: %w", err)
	}
	caTemplate, err := certificateTemplate(now)
	if err != nil {
		return nil, err
	}
	caTemplate.Subject = pkix.Name{CommonName: "mcpconform reference CA"}
	caTemplate.IsCA = true
	caTemplate.BasicConstraintsValid = true
	caTemplate.MaxPathLenZero = true
	caTemplate.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("mockserver: ca certificate: %w", err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, fmt.Errorf("mockserver: ca certificate: %w", err)
	}

	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("mockserver: server key: %w", err)
	}
	leafTemplate, err := certificateTemplate(now)
	if err != nil {
		return nil, err
	}
	leafTemplate.Subject = pkix.Name{CommonName: "mcpconform reference"}
	leafTemplate.DNSNames = []string{"localhost"}
	leafTemplate.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	leafTemplate.KeyUsage = x509.KeyUsageDigitalSignature
	leafTemplate.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTemplate, ca, &leafKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("mockserver: server certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(leafDER)
	if err != nil {
		return nil, fmt.Errorf("mockserver: server certificate: %w", err)
	}
	return &tlsIdentity{
		caPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		config: &tls.Config{
			MinVersion:   tls.VersionTLS12,
			Certificates: []tls.Certificate{{Certificate: [][]byte{leafDER}, PrivateKey: leafKey, Leaf: leaf}},
		},
	}, nil
}

func certificateTemplate(now time.Time) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, fmt.Errorf("mockserver: certificate serial: %w", err)
	}
	return &x509.Certificate{
		SerialNumber: serial,
		NotBefore:    now.Add(-clockSkew),
		NotAfter:     now.Add(certificateValidity),
	}, nil
}

func (t *tlsIdentity) scheme() string {
	if t == nil {
		return "http"
	}
	return "https"
}

// serverConfig is nil for plain HTTP.
func (t *tlsIdentity) serverConfig() *tls.Config {
	if t == nil {
		return nil
	}
	return t.config.Clone() // each http.Server changes its own
}

// serve serves srv on ln: plain HTTP when t is nil, else TLS with the
// certificate of srv.TLSConfig (serverConfig).
func (t *tlsIdentity) serve(srv *http.Server, ln net.Listener) error {
	if t == nil {
		return srv.Serve(ln)
	}
	return srv.ServeTLS(ln, "", "")
}
