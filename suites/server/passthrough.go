package server

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/suites/check"
)

func describePassthrough(s *Session) {
	Describe("Token passthrough", func() {

		It("does not pass the client's access token on to an upstream API", check.ID("RS-PASS-001"), func(ctx SpecContext) {
			if s.upstream.Canary == nil || s.upstream.Tool == "" {
				Skip(check.NotRunPrefix + CanaryHint)
			}
			accepted := check.Need(s.AcceptedToken(ctx))
			conversation := check.Need(s.openMCP(ctx, "Bearer "+accepted.AccessToken()))
			before := len(s.upstream.Canary.Requests())
			check.Require(conversation.CallTool(ctx, s.upstream.Tool, map[string]any{}))
			received := s.upstream.Canary.Requests()[before:]
			if len(received) == 0 {
				Skip(check.NotRunPrefix + "the canary at " + s.upstream.Canary.URL + " received no request when " + s.upstream.Tool +
					" was called: point the server's upstream API at it")
			}
			for _, r := range received {
				Expect(r.Carried(accepted.AccessToken())).To(BeFalse(),
					"the upstream API received the client's access token (%s %s): the server must use a token of its own there", r.Method, r.Path)
			}
		})
	})
}
