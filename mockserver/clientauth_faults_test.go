package mockserver_test

import (
	"maps"
	"net/http"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockserver"
)

// clientAuthFaultChecks show, against the reference, what each fault of
// clientauth_faults.go changes.
var clientAuthFaultChecks = map[fault.Name]func(s *mockserver.Server){
	fault.ASClientAcceptOtherSecretMethod: func(s *mockserver.Server) {
		basicAsPost := with(with(ccForm(), "client_id", basicApp), "client_secret", basicSecret)
		expectTokenError(postToken(startAS(), basicAsPost), http.StatusUnauthorized, "invalid_client")
		expectTokenError(postToken(startAS(), ccForm(), basicAuth(postApp, postSecret)), http.StatusUnauthorized, "invalid_client")
		addOAuthClients(s)
		expectTokens(postToken(s, basicAsPost))
		expectTokens(postToken(s, ccForm(), basicAuth(postApp, postSecret)))
		// The secret is still checked, and a secret stays required.
		expectTokenError(postToken(s, with(basicAsPost, "client_secret", "wrong")), http.StatusUnauthorized, "invalid_client")
		expectTokenError(postToken(s, with(ccForm(), "client_id", basicApp)), http.StatusUnauthorized, "invalid_client")
	},
	fault.ASCCAcceptWrongSecret: func(s *mockserver.Server) {
		expectTokenError(postToken(startAS(), ccForm(), basicAuth(basicApp, "wrong")), http.StatusUnauthorized, "invalid_client")
		addOAuthClients(s)
		expectTokens(postToken(s, ccForm(), basicAuth(basicApp, "wrong")))
		expectTokens(postToken(s, with(with(ccForm(), "client_id", postApp), "client_secret", "wrong")))
		// The other grants still check the secret.
		expectTokenError(postToken(s, refreshForm(basicApp, "any"), basicAuth(basicApp, "wrong")), http.StatusUnauthorized, "invalid_client")
	},
}

func init() { maps.Copy(faultChecks, clientAuthFaultChecks) }
