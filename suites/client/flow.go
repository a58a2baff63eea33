package client

import (
	"fmt"
	"net/url"

	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/suites/check"
)

func describeFlow(s *Session) {
	Describe("The authorization flow and the token", func() {
		It("completes the authorization code flow and calls the MCP server with the token", check.ID("CL-FLOW-001"), func() {
			check.Require(s.completedFlow())
		})

		It("sends the access token only in the Authorization header", check.ID("CL-TOK-001"), func() {
			o := check.Need(s.completedFlow())
			for _, r := range o.MCPRequests() {
				if r.URL.Query().Has("access_token") || r.Form().Has("access_token") {
					Fail(fmt.Sprintf("the client put an access token in the %s of an MCP request: tokens belong in the Authorization header only",
						where(r.URL.Query())))
				}
			}
		})

		It("sends the access token on every MCP request", check.ID("CL-TOK-002"), func() {
			o := check.Need(s.completedFlow())
			authorized := false
			for i, r := range o.MCPRequests() {
				has := r.Header.Get("Authorization") != ""
				if authorized && !has {
					Fail(fmt.Sprintf("MCP request %d (%s) carried no Authorization header after the client had a token: "+
						"every request must carry it", i+1, r.Method))
				}
				authorized = authorized || has
			}
		})
	})
}

func where(query url.Values) string {
	if query.Has("access_token") {
		return "query"
	}
	return "body"
}
