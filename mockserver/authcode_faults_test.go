package mockserver_test

import (
	"maps"
	"net/http"

	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockserver"
)

var authcodeFaultChecks = map[fault.Name]func(s *mockserver.Server){
	fault.ASResourceAcceptAny: func(s *mockserver.Server) {
		const foreign = "https://mcpconform.invalid/mcp"
		reference := startAS()
		refused := newAuthRequest(publicApp).with("resource", foreign)
		expectAuthorizationError(reference, refused.callback(reference), "invalid_target")

		addOAuthClients(s)
		a := newAuthRequest(publicApp).with("resource", foreign)
		doc := expectTokens(postToken(s, with(codeForm(publicApp, a.code(s), a.verifier), "resource", foreign)))
		Expect(claimsOf(accessTokenOf(doc)).Audience).To(ConsistOf(foreign))
		// Only the authorization endpoint is lenient: client credentials still refuse it.
		expectTokenError(postToken(s, with(ccForm(), "resource", foreign), basicAuth(basicApp, basicSecret)),
			http.StatusBadRequest, "invalid_target")
	},
}

func init() { maps.Copy(faultChecks, authcodeFaultChecks) }
