package server

import (
	"net/http"
	"slices"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/suites/check"
)

func describeStandardFlow(s *Session) {
	Describe("The standard flow", func() {

		It("completes the authorization code flow a standard MCP client runs", check.ID("AS-FLOW-001"), func(ctx SpecContext) {
			check.Need(s.PublicClient(ctx))
			tokens := check.Require(s.Tokens(ctx))
			Expect(tokens.String("token_type")).To(BeElementOf("Bearer", "bearer"), "token_type must be Bearer")
		})

		It("accepts an access token its authorization server issued for it", check.ID("RS-TOK-001"), func(ctx SpecContext) {
			tokens := check.Need(s.Tokens(ctx))
			audience, visible := jwtAudience(tokens.AccessToken())
			if s.discovery.Revision.UsesProtectedResourceMetadata() && visible && !slices.Contains(audience, s.discovery.MCPURL) {
				Skip(check.PrerequisitePrefix + "the access token was issued for another audience (AS-RES-001 judges that)")
			}
			resp := check.Require(s.CallMCP(ctx, "Bearer "+tokens.AccessToken()))
			Expect(resp.Status).To(Equal(http.StatusOK), "the MCP endpoint must serve a request with a valid access token")
		})
	})
}
