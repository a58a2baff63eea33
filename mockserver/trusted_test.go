package mockserver_test

import (
	"context"
	"maps"
	"net/http"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/mockserver/testissuer"
)

// startIssuer serves a test issuer with a fresh key for the current spec.
func startIssuer() *testissuer.Issuer {
	GinkgoHelper()
	key, err := testissuer.NewKey()
	Expect(err).NotTo(HaveOccurred())
	issuer, err := testissuer.New("http://127.0.0.1:0", key)
	Expect(err).NotTo(HaveOccurred())
	ctx, cancel := context.WithCancel(context.Background())
	Expect(issuer.Serve(ctx)).To(Succeed())
	DeferCleanup(cancel)
	return issuer
}

func trustingIssuer(issuer *testissuer.Issuer) mockserver.Option {
	return mockserver.WithTrustedIssuer(issuer.URL, issuer.JWKSURL())
}

// minted is t, edited, as an Authorization value signed by issuer.
func minted(issuer *testissuer.Issuer, t testissuer.Token) string {
	GinkgoHelper()
	token, err := issuer.Mint(t)
	Expect(err).NotTo(HaveOccurred())
	return "Bearer " + token
}

var _ = Describe("a trusted issuer", func() {
	var (
		issuer *testissuer.Issuer
		s      *mockserver.Server
		valid  testissuer.Token
	)
	BeforeEach(func() {
		issuer = startIssuer()
		s = start(trustingIssuer(issuer))
		valid = issuer.Valid(s.MCPURL(), "mcp:tools")
	})

	It("has its valid tokens accepted, the server's own still too", func(SpecContext) {
		Expect(postMCP(s, minted(issuer, valid)).status).To(Equal(http.StatusOK))
		Expect(postMCP(s, bearer(s)).status).To(Equal(http.StatusOK))
	}, NodeTimeout(specTimeout))

	DescribeTable("has its tokens refused when",
		func(edit func(t *testissuer.Token)) {
			t := valid
			edit(&t)
			Expect(postMCP(s, minted(issuer, t)).status).To(Equal(http.StatusUnauthorized))
		},
		Entry("expired", func(t *testissuer.Token) { t.Expiry = time.Now().Add(-time.Minute) }),
		Entry("not yet valid", func(t *testissuer.Token) { t.NotBefore = time.Now().Add(time.Hour) }),
		Entry("for another audience", func(t *testissuer.Token) { t.Audience = []string{"https://other.example/mcp"} }),
		Entry("naming another issuer", func(t *testissuer.Token) { t.Issuer = "https://other.example" }),
		Entry("naming the server's own issuer", func(t *testissuer.Token) { t.Issuer = s.IssuerURL() }),
	)

	It("has tokens signed by a key it does not publish refused", func(SpecContext) {
		token, err := issuer.MintWithUnpublishedKey(valid)
		Expect(err).NotTo(HaveOccurred())
		Expect(postMCP(s, "Bearer "+token).status).To(Equal(http.StatusUnauthorized))
	}, NodeTimeout(specTimeout))

	It("has tokens lacking the scope the endpoint needs answered 403", func(SpecContext) {
		t := valid
		t.Scope = ""
		Expect(postMCP(s, minted(issuer, t)).status).To(Equal(http.StatusForbidden))
	}, NodeTimeout(specTimeout))

	It("is not trusted by a server not told to", func(SpecContext) {
		untrusting := start()
		Expect(postMCP(untrusting, minted(issuer, issuer.Valid(untrusting.MCPURL(), "mcp:tools"))).status).
			To(Equal(http.StatusUnauthorized))
	}, NodeTimeout(specTimeout))

	DescribeTable("has its bad tokens accepted under",
		func(name fault.Name, edit func(t *testissuer.Token)) {
			faulty := start(trustingIssuer(issuer), mockserver.WithFaults(name))
			t := issuer.Valid(faulty.MCPURL(), "mcp:tools")
			edit(&t)
			Expect(postMCP(faulty, minted(issuer, t)).status).To(Equal(http.StatusOK))
		},
		Entry(nil, fault.RSAcceptExpired, func(t *testissuer.Token) { t.Expiry = time.Now().Add(-time.Minute) }),
		Entry(nil, fault.RSAcceptNotYetValid, func(t *testissuer.Token) { t.NotBefore = time.Now().Add(time.Hour) }),
		Entry(nil, fault.RSAcceptAnyAudience, func(t *testissuer.Token) { t.Audience = []string{"https://other.example/mcp"} }),
		Entry(nil, fault.RSAcceptWrongIssuer, func(t *testissuer.Token) { t.Issuer = "https://other.example" }),
	)

	It("has tokens of unpublished keys accepted under rs.accept-foreign-key", func(SpecContext) {
		faulty := start(trustingIssuer(issuer), mockserver.WithFaults(fault.RSAcceptForeignKey))
		token, err := issuer.MintWithUnpublishedKey(issuer.Valid(faulty.MCPURL(), "mcp:tools"))
		Expect(err).NotTo(HaveOccurred())
		Expect(postMCP(faulty, "Bearer "+token).status).To(Equal(http.StatusOK))
	}, NodeTimeout(specTimeout))
})

var trustedFaultChecks = map[fault.Name]func(s *mockserver.Server){
	fault.RSRefuseTrustedIssuer: func(*mockserver.Server) {
		issuer := startIssuer()
		faulty := start(trustingIssuer(issuer), mockserver.WithFaults(fault.RSRefuseTrustedIssuer))
		Expect(postMCP(faulty, minted(issuer, issuer.Valid(faulty.MCPURL(), "mcp:tools"))).status).
			To(Equal(http.StatusUnauthorized))
		Expect(postMCP(faulty, bearer(faulty)).status).To(Equal(http.StatusOK), "its own tokens still pass")
	},
}

func init() { maps.Copy(faultChecks, trustedFaultChecks) }
