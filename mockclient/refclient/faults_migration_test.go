package refclient_test

import (
	"net/http"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockserver"
)

// capturedAt are the requests s captured at the origin of issuer, to the
// endpoint path ending in suffix.
func capturedAt(s *mockserver.Server, issuer, suffix string) []mockserver.CapturedRequest {
	GinkgoHelper()
	u, err := url.Parse(issuer)
	Expect(err).NotTo(HaveOccurred())
	var out []mockserver.CapturedRequest
	for _, r := range s.Requests() {
		if r.URL.Host == u.Host && strings.HasSuffix(r.URL.Path, suffix) {
			out = append(out, r)
		}
	}
	return out
}

// clientIDs are the client_id query parameters of requests.
func clientIDs(requests []mockserver.CapturedRequest) []string {
	var out []string
	for _, r := range requests {
		out = append(out, r.URL.Query().Get("client_id"))
	}
	return out
}

// How the reference client follows its MCP server to another authorization
// server, and its faults there.
var _ = Describe("the reference client's authorization server migration", func() {
	migrating := func() (*mockserver.Server, *mockserver.Server) {
		GinkgoHelper()
		s := serve(mockserver.WithRequestCapture(), mockserver.WithAuthorizationServerMigration())
		return s, s.NextAuthorizationServer()
	}

	It("registers at the new authorization server and authorizes there as its client", func() {
		s, next := migrating()
		Expect(runClient(s)).To(Succeed())
		Expect(s.Migrated()).To(BeTrue())
		Expect(capturedAt(s, next.IssuerURL(), "/register")).To(HaveLen(1))
		first, second := clientIDs(capturedAt(s, s.IssuerURL(), "/authorize")), clientIDs(capturedAt(s, next.IssuerURL(), "/authorize"))
		Expect(first).To(HaveLen(1))
		Expect(second).To(HaveLen(1))
		Expect(second[0]).NotTo(Equal(first[0]))
		for _, r := range capturedAt(s, next.IssuerURL(), "/token") {
			Expect(r.Form().Get("refresh_token")).To(BeEmpty())
		}
	})

	It("refreshes as before where nothing moved", func() {
		s := expiring()
		Expect(runClient(s)).To(Succeed())
		Expect(tokenForms(s, "refresh_token")).To(HaveLen(2))
	})

	It(string(fault.ClientMigrationNoRediscovery)+" never reaches the new authorization server", func() {
		s, next := migrating()
		Expect(runClient(s, fault.ClientMigrationNoRediscovery)).To(MatchError(ContainSubstring("refused the renewed access token")))
		Expect(s.Migrated()).To(BeTrue())
		Expect(capturedAt(s, next.IssuerURL(), "")).To(BeEmpty())
	})

	It(string(fault.ClientMigrationReuseClient)+" presents the old client_id at the new authorization server", func() {
		s, next := migrating()
		Expect(runClient(s, fault.ClientMigrationReuseClient)).NotTo(Succeed())
		Expect(capturedAt(s, next.IssuerURL(), "/register")).To(BeEmpty())
		Expect(clientIDs(capturedAt(s, next.IssuerURL(), "/authorize"))).To(Equal(clientIDs(capturedAt(s, s.IssuerURL(), "/authorize"))))
	})

	It(string(fault.ClientMigrationRefreshAtNewAS)+" sends the old refresh token to the new token endpoint, then authorizes", func() {
		s, next := migrating()
		Expect(runClient(s, fault.ClientMigrationRefreshAtNewAS)).To(Succeed())
		issued := s.IssuedRefreshTokens()
		Expect(issued).NotTo(BeEmpty())
		refreshes := capturedAt(s, next.IssuerURL(), "/token")
		Expect(refreshes).NotTo(BeEmpty())
		Expect(refreshes[0].Form().Get("refresh_token")).To(Equal(issued[0]))
		Expect(refreshes[0].Form().Get("client_id")).NotTo(Equal(clientIDs(capturedAt(s, s.IssuerURL(), "/authorize"))[0]))
		Expect(capturedAt(s, next.IssuerURL(), "/authorize")).To(HaveLen(1))
		Expect(requests(s, http.MethodPost, "/mcp")).NotTo(BeEmpty())
	})
})
