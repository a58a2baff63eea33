package mockserver_test

import (
	"maps"
	"net/http"

	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockserver"
)

// refreshFaultChecks show, against the reference, what each fault of
// refresh_faults.go changes.
var refreshFaultChecks = map[fault.Name]func(s *mockserver.Server){
	fault.ASRefreshWidenResource: func(s *mockserver.Server) {
		const foreign = "https://unrelated.example/"
		elsewhere := func(s *mockserver.Server) answer {
			return postToken(s, with(refreshForm(publicApp, refreshTokenOf(publicTokens(s))), "resource", foreign))
		}
		expectTokenError(elsewhere(startAS()), http.StatusBadRequest, "invalid_target")
		doc := expectTokens(elsewhere(addOAuthClients(s)))
		Expect(claimsOf(accessTokenOf(doc)).Audience).To(ConsistOf(foreign))
		// Scope stays within the grant.
		form := refreshForm(publicApp, refreshTokenOf(publicTokens(s)))
		expectTokenError(postToken(s, with(form, "scope", "mcp:tools mcp:write")), http.StatusBadRequest, "invalid_scope")
	},
}

func init() { maps.Copy(faultChecks, refreshFaultChecks) }
