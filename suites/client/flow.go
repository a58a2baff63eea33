package client

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/suites/check"
)

func describeFlow(s *Session) {
	Describe("The authorization flow and the token", func() {
		It("completes the authorization code flow and calls the MCP server with the token", check.ID("CL-FLOW-001"), func() {
			check.Require(s.completedFlow())
		})

		It("authorizes when a later request is answered 401, not only the first", check.ID("CL-FLOW-002"), func() {
			check.Need(s.completedFlow())
			o := check.Need(s.Observe("auth/authorization-after-initialize"))
			refused := slices.IndexFunc(o.MCPRequests(), func(r mockserver.CapturedRequest) bool {
				return r.Status == http.StatusUnauthorized
			})
			if refused < 0 {
				Skip(check.NotRunPrefix + "in auth/authorization-after-initialize the client sent nothing past initialize that " +
					"needed a token (" + o.Ending() + ")")
			}
			if !o.servedWithToken() {
				Fail(fmt.Sprintf("in auth/authorization-after-initialize the MCP server answered initialize without a token, then "+
					"%q with 401 and a Bearer challenge, and the client never got a request served with a token (%d authorization "+
					"request(s); %s): a 401 at any request asks it to authorize, as at the first (MCP authorization; RFC 6750 §3)",
					strings.Join(rpcMethods(o.MCPRequests()[refused].Body), ", "), len(o.AuthorizationRequests()), o.Ending()))
			}
		})

		It("sends its access token to no server but the one it was issued for, redirects included", check.ID("CL-TOK-005"), func() {
			check.Need(s.completedFlow())
			name := "auth/redirect-to-second-server"
			o := check.Need(s.Observe(name))
			redirected := slices.ContainsFunc(o.MCPRequests(), func(r mockserver.CapturedRequest) bool {
				return r.Status == http.StatusTemporaryRedirect
			})
			if !redirected {
				Skip(check.NotRunPrefix + "in " + name + " no request with a token reached the MCP server (" + o.Ending() + ")")
			}
			for _, r := range o.To(o.URLs["second mcp"]) {
				if a := r.Header.Get("Authorization"); a != "" || r.URL.Query().Has("access_token") {
					Fail(fmt.Sprintf("in %s the client followed the MCP server's redirect to %s, another origin, and sent it "+
						"its access token: a token is for the MCP server it was issued for, and goes nowhere else (MCP token "+
						"handling, audience binding)", name, o.URLs["second mcp"]))
				}
			}
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
