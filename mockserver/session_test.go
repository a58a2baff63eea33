package mockserver_test

import (
	"context"
	"maps"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

// inSession sends tools/list carrying the session ID, and authorization
// unless empty.
func inSession(s *mockserver.Server, authorization, sessionID string) answer {
	GinkgoHelper()
	return postRPC(s, authorization, listTools, func(r *http.Request) { r.Header.Set("Mcp-Session-Id", sessionID) })
}

var _ = Describe("MCP session IDs", func() {
	for _, rev := range []spec.Revision{spec.Rev20250326, spec.Rev20250618, spec.Rev20251125} {
		It("are assigned at initialize at "+string(rev)+", and authorize nothing", func(SpecContext) {
			s := start(mockserver.WithRevision(rev))
			id := postMCP(s, bearer(s)).header.Get("Mcp-Session-Id")
			Expect(id).NotTo(BeEmpty())
			Expect(inSession(s, bearer(s), id).status).To(Equal(http.StatusOK))
			Expect(inSession(s, "", id).status).To(Equal(http.StatusUnauthorized))
		})
	}

	It("are not assigned at 2026-07-28, which has no sessions", func(SpecContext) {
		s := start(mockserver.WithRevision(spec.Rev20260728))
		Expect(postMCP(s, bearer(s)).header.Values("Mcp-Session-Id")).To(BeEmpty())
	})

	It("are not assigned WithoutSessionIDs", func(SpecContext) {
		s := start(mockserver.WithRevision(spec.Rev20251125), mockserver.WithoutSessionIDs())
		Expect(postMCP(s, bearer(s)).header.Values("Mcp-Session-Id")).To(BeEmpty())
	})

	It("leave an SDK client served", func(SpecContext) {
		s := start(mockserver.WithRevision(spec.Rev20251125))
		ctx, cancel := context.WithTimeout(context.Background(), specTimeout)
		defer cancel()
		_, err := connectSDK(ctx, s, bearer(s, "mcp:tools")).ListTools(ctx, nil)
		Expect(err).NotTo(HaveOccurred())
	})
})

var sessionFaultChecks = map[fault.Name]func(s *mockserver.Server){
	fault.RSSessionAuthorizes: func(s *mockserver.Server) {
		// 2026-07-28 has no sessions: no ID stands in for the token.
		Expect(postMCP(s, bearer(s)).header.Values("Mcp-Session-Id")).To(BeEmpty())

		sessions := start(mockserver.WithRevision(spec.Rev20251125), mockserver.WithFaults(fault.RSSessionAuthorizes))
		id := postMCP(sessions, bearer(sessions)).header.Get("Mcp-Session-Id")
		Expect(inSession(sessions, "", id).status).To(Equal(http.StatusOK))
		Expect(inSession(sessions, "", "not-assigned").status).To(Equal(http.StatusUnauthorized))
		Expect(postMCP(sessions, "").status).To(Equal(http.StatusUnauthorized), "without a session ID a token is still needed")
	},
}

func init() { maps.Copy(faultChecks, sessionFaultChecks) }
