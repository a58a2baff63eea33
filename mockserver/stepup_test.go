package mockserver_test

import (
	"context"
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

const listTools = `{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}`

// insufficientScope is the 403 challenge naming scope.
func insufficientScope(s *mockserver.Server, scope string) string {
	return fmt.Sprintf(`Bearer error="insufficient_scope", %s, scope="%s"`, prmChallenge(s), scope)
}

var _ = Describe("step-up scenarios", func() {
	It("lists the tools for the scope of the 401 challenge by default", func(SpecContext) {
		s := start()
		ctx, cancel := context.WithTimeout(context.Background(), specTimeout)
		defer cancel()
		_, err := connectSDK(ctx, s, bearer(s, "mcp:tools")).ListTools(ctx, nil)
		Expect(err).NotTo(HaveOccurred())
	})

	Describe("WithScopeForToolList", func() {
		It("answers tools/list without the scope 403, naming every scope it needs", func(SpecContext) {
			s := start(mockserver.WithScopeForToolList("mcp:write"))
			Expect(postMCP(s, bearer(s, "mcp:tools")).status).To(Equal(http.StatusOK), "initialize needs no more")
			a := postRPC(s, bearer(s, "mcp:tools"), listTools)
			Expect(a.status).To(Equal(http.StatusForbidden))
			Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(insufficientScope(s, "mcp:tools mcp:write")))
			Expect(postRPC(s, bearer(s, "mcp:write"), listTools).header.Values("WWW-Authenticate")).To(
				ConsistOf(insufficientScope(s, "mcp:tools mcp:write")))
		})

		It("lists the tools for a token holding every scope it needs", func(SpecContext) {
			s := start(mockserver.WithScopeForToolList("mcp:write"))
			ctx, cancel := context.WithTimeout(context.Background(), specTimeout)
			defer cancel()
			_, err := connectSDK(ctx, s, bearer(s, "mcp:tools", "mcp:write")).ListTools(ctx, nil)
			Expect(err).NotTo(HaveOccurred())
		})

		It("refuses a scope the authorization server never grants", func() {
			_, err := mockserver.Run(context.Background(), mockserver.WithScopeForToolList("mcp:admin"))
			Expect(err).To(MatchError(ContainSubstring(`"mcp:admin"`)))
		})
	})

	Describe("WithChallengeOmittingHeldScopes", func() {
		It("names only the scopes the token lacks from 2026-07-28", func(SpecContext) {
			s := start(mockserver.WithRevision(spec.Rev20260728), mockserver.WithScopeForToolList("mcp:write"),
				mockserver.WithChallengeOmittingHeldScopes())
			Expect(postRPC(s, bearer(s, "mcp:tools"), listTools).header.Values("WWW-Authenticate")).To(
				ConsistOf(insufficientScope(s, "mcp:write")))
			Expect(postRPC(s, bearer(s, "mcp:write"), listTools).header.Values("WWW-Authenticate")).To(
				ConsistOf(insufficientScope(s, "mcp:tools")))
			a := postMCP(s, bearer(s, "mcp:write"))
			Expect(a.status).To(Equal(http.StatusForbidden))
			Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(insufficientScope(s, "mcp:tools")))
		})

		It("names every scope needed in 2025-11-25, which asks for the held ones too", func(SpecContext) {
			s := start(mockserver.WithRevision(spec.Rev20251125), mockserver.WithScopeForToolList("mcp:write"),
				mockserver.WithChallengeOmittingHeldScopes())
			Expect(postRPC(s, bearer(s, "mcp:tools"), listTools).header.Values("WWW-Authenticate")).To(
				ConsistOf(insufficientScope(s, "mcp:tools mcp:write")))
		})
	})

	Describe("WithToolListAlwaysInsufficient", func() {
		It("answers tools/list 403 whatever the token holds, naming the scopes it needs", func(SpecContext) {
			s := start(mockserver.WithToolListAlwaysInsufficient())
			a := postRPC(s, bearer(s, "mcp:tools", "mcp:write"), listTools)
			Expect(a.status).To(Equal(http.StatusForbidden))
			Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(insufficientScope(s, "mcp:tools")))
			Expect(postMCP(s, bearer(s, "mcp:tools")).status).To(Equal(http.StatusOK), "only tools/list is refused")

			s = start(mockserver.WithToolListAlwaysInsufficient(), mockserver.WithScopeForToolList("mcp:write"))
			Expect(postRPC(s, bearer(s, "mcp:tools", "mcp:write"), listTools).header.Values("WWW-Authenticate")).To(
				ConsistOf(insufficientScope(s, "mcp:tools mcp:write")))
		})

		It("refuses tools/list inside a batch too", func(SpecContext) {
			s := start(mockserver.WithToolListAlwaysInsufficient())
			Expect(postRPC(s, bearer(s, "mcp:tools", "mcp:write"), "["+listTools+"]").status).To(Equal(http.StatusForbidden))
		})
	})

	It("keeps the challenge of each captured answer", func(SpecContext) {
		s := start(mockserver.WithRequestCapture(), mockserver.WithScopeForToolList("mcp:write"))
		postRPC(s, bearer(s, "mcp:tools"), listTools)
		captured := s.Requests()
		Expect(captured).To(HaveLen(1))
		Expect(captured[0].Challenges).To(ConsistOf(insufficientScope(s, "mcp:tools mcp:write")))
		Expect(captured[0].Exchange(&evidence.Redactor{}).ResponseHeaders.Values("WWW-Authenticate")).To(Equal(captured[0].Challenges))
	})
})
