package server

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/suites/check"
)

func describeChallenge(s *Session) {
	Describe("The unauthenticated challenge", func() {
		It("answers an unauthenticated MCP request with 401", check.ID("RS-AUTH-001"), func(ctx SpecContext) {
			resp := check.Require(s.discovery.Unauthenticated(ctx))
			Expect(resp.Status).To(Equal(http.StatusUnauthorized),
				"an MCP request without a token must be refused with 401")
		})

		It("challenges with the Bearer scheme on 401", check.ID("RS-AUTH-002"), func(ctx SpecContext) {
			resp := check.Need(s.discovery.Unauthenticated(ctx))
			if resp.Status != http.StatusUnauthorized {
				Skip(check.PrerequisitePrefix + "no 401 to inspect")
			}
			check.Require(s.discovery.BearerChallenge(ctx))
		})

		It("names resource_metadata in the 401 challenge", check.ID("RS-AUTH-003"), func(ctx SpecContext) {
			resp := check.Need(s.discovery.Unauthenticated(ctx))
			if resp.Status != http.StatusUnauthorized {
				Skip(check.PrerequisitePrefix + "no 401 to inspect")
			}
			challenge := check.Require(s.discovery.BearerChallenge(ctx))
			Expect(challenge.Params).To(HaveKeyWithValue("resource_metadata", Not(BeEmpty())),
				"the Bearer challenge must carry resource_metadata")
		})

		It("sends no error code when the request had no credentials", check.ID("RS-AUTH-004"), func(ctx SpecContext) {
			challenge := check.Need(s.discovery.BearerChallenge(ctx))
			Expect(challenge.Params).NotTo(HaveKey("error"),
				"a request without credentials should get a challenge without an error code")
		})

		It("names the needed scope in the 401 challenge", check.ID("RS-AUTH-005"), func(ctx SpecContext) {
			challenge := check.Need(s.discovery.BearerChallenge(ctx))
			Expect(challenge.Params).To(HaveKeyWithValue("scope", Not(BeEmpty())),
				"the Bearer challenge should name the scope the request needs")
		})

		It("refuses a request of an authorized session that carries no access token", check.ID("RS-AUTH-006"), func(ctx SpecContext) {
			if resp := check.Need(s.discovery.Unauthenticated(ctx)); resp.Status != http.StatusUnauthorized {
				Skip(check.PrerequisitePrefix + "the MCP endpoint does not refuse a request without a token (RS-AUTH-001 judges that)")
			}
			tokens := check.Need(s.UsableToken(ctx))
			session := check.Need(s.openMCP(ctx, "Bearer "+tokens.AccessToken()))
			if session.sessionID == "" {
				Skip(check.NotRunPrefix + "the MCP endpoint assigned no Mcp-Session-Id at initialize: no session to continue without the token")
			}
			resp := check.Require(session.ListToolsWithoutToken(ctx))
			Expect(resp.Status).To(Equal(http.StatusUnauthorized),
				"a request carrying the Mcp-Session-Id of an authorized session but no access token must be refused with 401: "+
					"authorization must be included in every HTTP request, and a session ID is no credential "+
					"(MCP token requirements; security best practices, session hijacking); the MCP endpoint answered %d", resp.Status)
		})
	})
}
