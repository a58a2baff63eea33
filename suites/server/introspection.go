package server

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/suites/check"
)

func describeIntrospection(s *Session) {
	Describe("Token introspection", func() {

		It("refuses token introspection without client authentication", check.ID("AS-INTRO-001"), func(ctx SpecContext) {
			endpoint := s.needIntrospectionEndpoint(ctx)
			tokens := check.Need(s.Tokens(ctx))
			answer := check.Require(s.Introspect(ctx, endpoint, nil, tokens.AccessToken()))
			Expect(answer.Status).To(BeNumerically(">=", http.StatusBadRequest),
				"introspection without client authentication must be refused (RFC 7662 §2.1), or anyone may test and read tokens; it answered %s",
				introspectionOutcome(answer))
		})

		It("reports a revoked access token inactive", check.ID("AS-INTRO-002"), func(ctx SpecContext) {
			s.needIntrospectionEndpoint(ctx)
			g := check.Need(s.ReplayedGrant(ctx))
			introspection := g.Introspection()
			if introspection.Unusable != "" {
				Skip(check.PrerequisitePrefix + introspection.Unusable)
			}
			// Only the other parties can show the access token revoked.
			if !g.MCPEndpoint().Revoked && !g.RefreshToken().Revoked {
				Skip(check.PrerequisitePrefix + "neither the MCP endpoint nor the token endpoint shows the grant revoked after the code was replayed (AS-CODE-002 judges that)")
			}
			Expect(introspection.Revoked).To(BeTrue(),
				"introspection must report an access token inactive once its grant was revoked (RFC 7662 §4), here by replaying its code; %s",
				introspection.Still)
		})
	})
}

// needIntrospectionEndpoint is the introspection endpoint where the
// authorization server metadata names one.
func (s *Session) needIntrospectionEndpoint(ctx SpecContext) string {
	check.Need(s.discovery.AuthorizationServerMetadata(ctx))
	endpoint := check.Need(s.IntrospectionEndpoint(ctx))
	if endpoint == "" {
		Skip(check.NotRunPrefix + "the authorization server metadata names no introspection_endpoint")
	}
	return endpoint
}
