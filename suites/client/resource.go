package client

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/suites/check"
)

func describeResource(s *Session) {
	Describe("Resource indicators", func() {
		It("names the MCP server as resource in its authorization and token requests", check.ID("CL-RES-001"), func() {
			o := check.Need(s.completedFlow())
			expectResource(o, o.AuthorizationRequests(), "authorization", func(r mockserver.CapturedRequest) []string { return r.URL.Query()["resource"] })
			expectResource(o, codeExchanges(o), "token", formResource)
			// A client credentials token is for the MCP server just as well.
			for _, name := range []string{scenarioCCBasic, scenarioCCJWT} {
				if cc, err := s.Observe(name); err == nil {
					check.Attach(cc)
					expectResource(cc, grantRequests(cc, grantClientCreds), "client credentials token", formResource)
				}
			}
		})

		It("asks for the resource exactly as the protected resource metadata names it", check.ID("CL-RES-002"), func() {
			if o := check.Need(s.Observe("auth/origin-resource")); !fetchedAny(o, []string{docPRMRoot}) {
				Skip(check.PrerequisitePrefix + "in auth/origin-resource the client never fetched the protected resource metadata " +
					"at the root well-known URL, where a challenge without resource_metadata sends it (CL-DISC-008)")
			}
			o := s.expectAnswered("auth/origin-resource")
			published, err := spec.Origin(o.MCPURL)
			Expect(err).NotTo(HaveOccurred())
			for _, r := range o.AuthorizationRequests() {
				if got := r.URL.Query()["resource"]; len(got) != 1 || got[0] != published {
					Fail(fmt.Sprintf("in auth/origin-resource the protected resource metadata names the resource %s (the "+
						"origin, which the MCP server protects as a whole), and the authorization request's resource is %q: "+
						"a token is for the resource the server identifies itself as, exactly (RFC 8707 §2, RFC 9728 §3.3), "+
						"or the server will not take it", published, got))
				}
			}
		})
	})
}

func formResource(r mockserver.CapturedRequest) []string { return r.Form()["resource"] }

func expectResource(o *Observation, requests []mockserver.CapturedRequest, kind string, resource func(mockserver.CapturedRequest) []string) {
	for _, r := range requests {
		if got := resource(r); len(got) != 1 || got[0] != o.MCPURL {
			Fail(fmt.Sprintf("in %s the %s request's resource is %q, not the MCP server's URL %s (RFC 8707)", o.Scenario.Name, kind, got, o.MCPURL))
		}
	}
}
