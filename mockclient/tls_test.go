package mockclient_test

import (
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/mockclient"
)

var _ = Describe("HTTPS targets", func() {
	var srv *httptest.Server
	BeforeEach(func() {
		srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
		DeferCleanup(srv.Close)
	})

	newClient := func(opts mockclient.Options) *mockclient.Client {
		opts.Timeout = 2 * time.Second
		return mockclient.New(opts)
	}

	It("refuses a certificate from a CA it does not trust as unreachable, and says how to trust it", func(ctx SpecContext) {
		resp, err := newClient(mockclient.Options{}).Get(ctx, srv.URL, nil)
		Expect(err).To(MatchError(mockclient.ErrUnreachable))
		Expect(err).To(MatchError(ContainSubstring("x509: certificate signed by unknown authority")))
		Expect(err).To(MatchError(ContainSubstring("--ca-file")))
		Expect(resp.Exchanges).To(HaveLen(1))
		Expect(resp.Exchanges[0].Error).To(ContainSubstring("certificate"))
	})

	It("trusts the CAs it is given", func(ctx SpecContext) {
		roots := x509.NewCertPool()
		roots.AddCert(srv.Certificate())
		resp, err := newClient(mockclient.Options{RootCAs: roots}).Get(ctx, srv.URL, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.Status).To(Equal(http.StatusOK))
	})

	It("refuses a trusted certificate for another name, without the CA hint", func(ctx SpecContext) {
		roots := x509.NewCertPool()
		roots.AddCert(srv.Certificate())
		// The test certificate names 127.0.0.1 and example.com, not localhost.
		_, err := newClient(mockclient.Options{RootCAs: roots}).Get(ctx, strings.Replace(srv.URL, "127.0.0.1", "localhost", 1), nil)
		Expect(err).To(MatchError(mockclient.ErrUnreachable))
		Expect(err).To(MatchError(ContainSubstring("not localhost")))
		Expect(err).NotTo(MatchError(ContainSubstring("--ca-file")))
	})

	It("accepts any certificate when told to skip verification", func(ctx SpecContext) {
		resp, err := newClient(mockclient.Options{InsecureSkipVerify: true}).Get(ctx, srv.URL, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.Status).To(Equal(http.StatusOK))
	})
})
