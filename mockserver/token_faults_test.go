package mockserver_test

import (
	"encoding/json"
	"maps"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockserver"
)

// tokenMoreFaultChecks show, against the reference, what each fault of
// token_faults.go changes.
var tokenMoreFaultChecks = map[fault.Name]func(s *mockserver.Server){
	fault.ASRefreshNoRevokeOnReuse: func(s *mockserver.Server) {
		// Rotates, refuses the reuse, and returns the access token and the
		// refresh token that must have been revoked.
		reuse := func(s *mockserver.Server) (accessToken, refreshToken string) {
			old := refreshTokenOf(publicTokens(s))
			next := expectTokens(postToken(s, refreshForm(publicApp, old)))
			expectTokenError(postToken(s, refreshForm(publicApp, old)), http.StatusBadRequest, "invalid_grant")
			return accessTokenOf(next), refreshTokenOf(next)
		}
		reference := startAS()
		accessToken, refreshToken := reuse(reference)
		expectRevoked(reference, accessToken)
		expectTokenError(postToken(reference, refreshForm(publicApp, refreshToken)), http.StatusBadRequest, "invalid_grant")

		accessToken, refreshToken = reuse(addOAuthClients(s))
		expectServed(s, accessToken)
		expectTokens(postToken(s, refreshForm(publicApp, refreshToken)))
	},
	fault.ASRefreshWidenScope: func(s *mockserver.Server) {
		wider := func(s *mockserver.Server) answer {
			return postToken(s, with(refreshForm(publicApp, refreshTokenOf(publicTokens(s))), "scope", "mcp:tools mcp:write"))
		}
		expectTokenError(wider(startAS()), http.StatusBadRequest, "invalid_scope")
		doc := expectTokens(wider(addOAuthClients(s)))
		Expect(doc).To(HaveKeyWithValue("scope", "mcp:tools mcp:write"))
		Expect(claimsOf(accessTokenOf(doc)).Scope).To(Equal("mcp:tools mcp:write"))
	},
	fault.ASCCDisabled: func(s *mockserver.Server) {
		expectTokens(postToken(startAS(), ccForm(), basicAuth(basicApp, basicSecret)))
		addOAuthClients(s)
		Expect(get(asURLs(s)[0]).json()).To(HaveKeyWithValue("grant_types_supported", ContainElement("client_credentials")))
		expectTokenError(postToken(s, ccForm(), basicAuth(basicApp, basicSecret)), http.StatusBadRequest, "unsupported_grant_type")
		a := newAuthRequest(basicApp)
		expectTokens(postToken(s, codeForm(basicApp, a.code(s), a.verifier), basicAuth(basicApp, basicSecret)))
	},
	fault.ASCCPublicClient: func(s *mockserver.Server) {
		reference := startAS()
		expectTokenError(postToken(reference, with(ccForm(), "client_id", publicApp)), http.StatusBadRequest, "unauthorized_client")
		expectTokenError(postToken(reference, with(ccForm(), "client_id", publicCCApp)), http.StatusBadRequest, "unauthorized_client")
		addOAuthClients(s)
		for _, id := range []string{publicApp, publicCCApp} {
			doc := expectTokens(postToken(s, with(ccForm(), "client_id", id)))
			Expect(claimsOf(accessTokenOf(doc)).Subject).To(Equal(id))
		}
		// Other grants a client did not register stay refused.
		expectTokenError(postToken(s, refreshForm(codeOnlyApp, "x")), http.StatusBadRequest, "unauthorized_client")
	},
	fault.ASTokenUnknownGrantInvalidRequest: func(s *mockserver.Server) {
		password := with(ccForm(), "grant_type", "password")
		expectTokenError(postToken(startAS(), password, basicAuth(basicApp, basicSecret)), http.StatusBadRequest, "unsupported_grant_type")
		addOAuthClients(s)
		expectTokenError(postToken(s, password, basicAuth(basicApp, basicSecret)), http.StatusBadRequest, "invalid_request")
		expectTokens(postToken(s, ccForm(), basicAuth(basicApp, basicSecret)))
	},
	fault.ASTokenMissingCodeHTML: func(s *mockserver.Server) {
		noCode := with(codeForm(publicApp, "", "v"), "code")
		expectTokenError(postToken(startAS(), noCode), http.StatusBadRequest, "invalid_request")
		addOAuthClients(s)
		a := postToken(s, noCode)
		Expect(a.status).To(Equal(http.StatusBadRequest))
		Expect(a.header.Get("Content-Type")).To(Equal("text/html; charset=utf-8"))
		Expect(string(a.body)).To(ContainSubstring("'code' is missing"))
		expectTokenError(postToken(s, refreshForm(publicApp, "")), http.StatusBadRequest, "invalid_request")
	},
	fault.ASTokenMalformedJSON: func(s *mockserver.Server) {
		publicTokens(startAS())
		addOAuthClients(s)
		a := newAuthRequest(publicApp)
		answer := postToken(s, codeForm(publicApp, a.code(s), a.verifier))
		Expect(answer.status).To(Equal(http.StatusOK))
		expectNoStore(answer)
		Expect(json.Valid(answer.body)).To(BeFalse(), string(answer.body))
		Expect(string(answer.body)).To(HavePrefix(`{"access_token":"`))
		expectTokenError(postToken(s, ccForm(), basicAuth(basicApp, "wrong")), http.StatusUnauthorized, "invalid_client")
	},
	fault.ASTokenNoAccessToken: func(s *mockserver.Server) {
		publicTokens(startAS())
		addOAuthClients(s)
		a := newAuthRequest(publicApp)
		answer := postToken(s, codeForm(publicApp, a.code(s), a.verifier))
		Expect(answer.status).To(Equal(http.StatusOK))
		expectNoStore(answer)
		doc := answer.json()
		Expect(doc).NotTo(HaveKey("access_token"))
		Expect(doc).To(HaveKeyWithValue("token_type", "Bearer"))
		expectTokenError(postToken(s, ccForm(), basicAuth(basicApp, "wrong")), http.StatusUnauthorized, "invalid_client")
	},
}

var _ = Describe("WithTokenType", func() {
	It("names another token_type in successful token responses", func(SpecContext) {
		s := startAS(mockserver.WithTokenType("bearer"))
		a := newAuthRequest(publicApp)
		answer := postToken(s, codeForm(publicApp, a.code(s), a.verifier))
		Expect(answer.status).To(Equal(http.StatusOK))
		Expect(answer.json()).To(HaveKeyWithValue("token_type", "bearer"))
		expectServed(s, accessTokenOf(answer.json()))
	}, NodeTimeout(specTimeout))
})

func init() { maps.Copy(faultChecks, tokenMoreFaultChecks) }
