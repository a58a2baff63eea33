package client

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/suites/check"
)

func describeResource(s *Session) {
	Describe("Resource indicators", func() {
		It("names the MCP server as resource in its authorization and token requests", check.ID("CL-RES-001"), func() {
			o := check.Need(s.completedFlow())
			expectResource(o, o.AuthorizationRequests(), "authorization", func(r mockserver.CapturedRequest) []string { return r.URL.Query()["resource"] })
			expectResource(o, codeExchanges(o), "token", func(r mockserver.CapturedRequest) []string { return r.Form()["resource"] })
		})
	})
}

func expectResource(o *Observation, requests []mockserver.CapturedRequest, kind string, resource func(mockserver.CapturedRequest) []string) {
	for _, r := range requests {
		if got := resource(r); len(got) != 1 || got[0] != o.MCPURL {
			Fail(fmt.Sprintf("the %s request's resource is %q, not the MCP server's URL %s (RFC 8707)", kind, got, o.MCPURL))
		}
	}
}
