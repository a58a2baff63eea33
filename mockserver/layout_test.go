package mockserver_test

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

var _ = Describe("the reference target's other correct layouts", func() {
	It("can have an issuer without a path, its metadata at the root well-known URLs", func(SpecContext) {
		s := start(mockserver.WithRootIssuer())
		asOrigin := mustOrigin(s.IssuerURL())
		Expect(s.IssuerURL()).To(Equal(asOrigin))
		Expect(get(asOrigin + rfc8414).json()).To(HaveKeyWithValue("issuer", asOrigin))
		Expect(get(asOrigin + openIDSuffix).json()).To(HaveKeyWithValue("token_endpoint", asOrigin+"/token"))
		Expect(get(mustOrigin(s.MCPURL()) + prmSuffix + "/mcp").json()).To(HaveKeyWithValue("authorization_servers", ConsistOf(asOrigin)))
	}, NodeTimeout(specTimeout))

	for _, rev := range spec.From(spec.Rev20250618) {
		It("can serve protected resource metadata only where the challenge says, at "+string(rev), func(SpecContext) {
			s := start(mockserver.WithRevision(rev), mockserver.WithMetadataOnlyInChallenge())
			origin := mustOrigin(s.MCPURL())
			custom := origin + "/mcp-resource-metadata"
			Expect(postMCP(s, "").header.Get("WWW-Authenticate")).To(ContainSubstring(`resource_metadata="` + custom + `"`))
			Expect(get(custom).json()).To(HaveKeyWithValue("resource", s.MCPURL()))
			Expect(get(origin + prmSuffix + "/mcp").status).To(Equal(http.StatusNotFound))
			Expect(get(origin + prmSuffix).status).To(Equal(http.StatusNotFound))
			Expect(s.URLs()).To(HaveKeyWithValue("protected resource metadata", custom))
		}, NodeTimeout(specTimeout))
	}
})
