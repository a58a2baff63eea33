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
	})
}
