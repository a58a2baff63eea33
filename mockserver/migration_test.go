package mockserver_test

import (
	"net/http"
	"net/url"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

var _ = Describe("WithAuthorizationServerMigration", func() {
	authorizationServers := func(s *mockserver.Server) any {
		GinkgoHelper()
		return get(prmURLs(s)[0]).json()["authorization_servers"]
	}

	It("moves to the second authorization server once a token of the first was served", func() {
		s := start(mockserver.WithAuthorizationServerMigration(), mockserver.WithRequestCapture())
		next := s.NextAuthorizationServer()
		Expect(next).NotTo(BeNil())
		first, second := url.URL{}, url.URL{}
		Expect(first.UnmarshalBinary([]byte(s.IssuerURL()))).To(Succeed())
		Expect(second.UnmarshalBinary([]byte(next.IssuerURL()))).To(Succeed())
		Expect(second.Host).NotTo(Equal(first.Host), "an origin of its own")
		Expect(authorizationServers(s)).To(ConsistOf(s.IssuerURL()))

		old := bearer(s)
		Expect(postMCP(s, old).status).To(Equal(http.StatusOK))
		Expect(s.Migrated()).To(BeTrue())
		Expect(authorizationServers(s)).To(ConsistOf(next.IssuerURL()))

		refused := postMCP(s, old)
		Expect(refused.status).To(Equal(http.StatusUnauthorized))
		Expect(refused.header.Get("WWW-Authenticate")).To(ContainSubstring(`error="invalid_token"`))
		Expect(postMCP(s, bearer(next)).status).To(Equal(http.StatusOK))
		Expect(postMCP(s, bearer(s)).status).To(Equal(http.StatusUnauthorized), "no new token of the first either")

		for _, u := range asURLs(next) {
			Expect(get(u).json()["issuer"]).To(Equal(next.IssuerURL()), u)
		}
		Expect(s.Requests()).To(ContainElement(HaveField("URL.Host", second.Host)), "one capture of both")
	})

	It("does not move while no token was served", func() {
		s := start(mockserver.WithAuthorizationServerMigration())
		Expect(postMCP(s, "").status).To(Equal(http.StatusUnauthorized))
		Expect(s.Migrated()).To(BeFalse())
		Expect(authorizationServers(s)).To(ConsistOf(s.IssuerURL()))
	})

	It("needs an authorization server of its own", func() {
		_, err := mockserver.Run(GinkgoT().Context(), mockserver.WithRevision(spec.Rev20250326), mockserver.WithAuthorizationServerMigration())
		Expect(err).To(MatchError(ContainSubstring("protected resource metadata")))
	})
})

var _ = Describe("WithoutClientIDMetadataDocuments", func() {
	It("neither advertises nor resolves client ID metadata documents", func() {
		s := start(mockserver.WithoutClientIDMetadataDocuments())
		for _, u := range asURLs(s) {
			Expect(get(u).json()).NotTo(HaveKey("client_id_metadata_document_supported"), u)
		}
		answer := newAuthRequest("https://client.example/metadata.json").send(s)
		Expect(answer.status).To(Equal(http.StatusBadRequest))
		Expect(string(answer.body)).To(ContainSubstring("unknown client"))
	})
})
