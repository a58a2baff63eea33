package mockserver_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

// httpsClient trusts roots only (the system pool when nil) and never follows
// redirects.
func httpsClient(roots *x509.CertPool) *http.Client {
	c := newClient(3 * time.Second)
	c.Transport = &http.Transport{DisableKeepAlives: true, TLSClientConfig: &tls.Config{RootCAs: roots}}
	return c
}

func trusting(s *mockserver.Server) *http.Client {
	GinkgoHelper()
	roots := x509.NewCertPool()
	Expect(roots.AppendCertsFromPEM(s.CACertPEM())).To(BeTrue(), "CACertPEM holds no certificate")
	return httpsClient(roots)
}

func getWith(c *http.Client, url string) answer {
	GinkgoHelper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	Expect(err).NotTo(HaveOccurred())
	return do(c, req)
}

var _ = Describe("HTTPS", func() {
	It("serves plain HTTP and has no CA without WithTLS", func() {
		s := start()
		Expect(s.CACertPEM()).To(BeNil())
		Expect(s.MCPURL()).To(HavePrefix("http://127.0.0.1:"))
	})

	for _, rev := range spec.Revisions {
		Context("revision "+string(rev), func() {
			var s *mockserver.Server
			BeforeEach(func() { s = start(mockserver.WithRevision(rev), mockserver.WithTLS()) })

			It("advertises only https URLs", func() {
				Expect(s.MCPURL()).To(MatchRegexp(`^https://127\.0\.0\.1:\d+/mcp$`))
				for name, url := range s.URLs() {
					Expect(url).To(HavePrefix("https://127.0.0.1:"), name)
				}
			})

			It("serves the discovery documents and the MCP endpoint to a client that trusts its CA", func() {
				c := trusting(s)
				if rev.UsesProtectedResourceMetadata() {
					prm := getWith(c, s.URLs()["protected resource metadata"])
					Expect(prm.status).To(Equal(http.StatusOK))
					Expect(prm.json()).To(Equal(expectedPRM(s)))
				}
				as := getWith(c, s.URLs()["authorization server metadata"])
				Expect(as.status).To(Equal(http.StatusOK))
				Expect(as.json()).To(HaveKeyWithValue("token_endpoint", HavePrefix("https://127.0.0.1:")))

				challenge := do(c, mcpRequest(s, ""))
				Expect(challenge.status).To(Equal(http.StatusUnauthorized))
				if rev.UsesProtectedResourceMetadata() {
					Expect(challenge.header.Get("WWW-Authenticate")).To(ContainSubstring(`resource_metadata="https://127.0.0.1:`))
				}
				Expect(do(c, mcpRequest(s, bearer(s))).status).To(Equal(http.StatusOK))
			})

			It("is also valid for the localhost name of each origin", func() {
				c := trusting(s)
				offhost := func(url string) string { return strings.Replace(url, "//127.0.0.1:", "//localhost:", 1) }
				Expect(getWith(c, offhost(s.MCPURL())).status).To(Equal(http.StatusUnauthorized))
				Expect(getWith(c, offhost(s.IssuerURL()+"/jwks")).status).To(Equal(http.StatusOK))
			})
		})
	}

	Describe("the certificate", func() {
		var s *mockserver.Server
		BeforeEach(func() { s = start(mockserver.WithTLS()) })

		It("names the IPv4 and IPv6 loopback and localhost, and expires soon", func() {
			resp, err := trusting(s).Get(s.IssuerURL() + "/jwks")
			Expect(err).NotTo(HaveOccurred())
			resp.Body.Close()
			leaf := resp.TLS.PeerCertificates[0]
			Expect(leaf.DNSNames).To(ConsistOf("localhost"))
			Expect(leaf.IPAddresses).To(ConsistOf(
				BeEquivalentTo(net.IPv4(127, 0, 0, 1).To4()), BeEquivalentTo(net.IPv6loopback)))
			Expect(leaf.NotAfter).To(BeTemporally("<=", time.Now().Add(25*time.Hour)))
			Expect(resp.TLS.Version).To(BeNumerically(">=", tls.VersionTLS12))
		})

		It("is refused by a client with only the system roots", func() {
			_, err := httpsClient(nil).Get(s.MCPURL())
			var unknownCA x509.UnknownAuthorityError
			Expect(errors.As(err, &unknownCA)).To(BeTrue(), "got %v", err)
		})

		It("is not offered below TLS 1.2", func() {
			c := trusting(s)
			config := c.Transport.(*http.Transport).TLSClientConfig
			config.MinVersion, config.MaxVersion = tls.VersionTLS10, tls.VersionTLS11
			_, err := c.Get(s.MCPURL())
			Expect(err).To(MatchError(ContainSubstring("protocol version")))
		})
	})
})
