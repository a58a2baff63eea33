package mockserver_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/mockserver"
)

var _ = Describe("offline_access", func() {
	// tokensFor runs publicApp through the code flow asking for scope.
	tokensFor := func(s *mockserver.Server, scope string) map[string]any {
		GinkgoHelper()
		a := newAuthRequest(publicApp).with("scope", scope)
		return expectTokens(postToken(s, codeForm(publicApp, a.code(s), a.verifier)))
	}
	grantedScope := func(s *mockserver.Server, scope string) any {
		GinkgoHelper()
		return tokensFor(s, scope)["scope"]
	}

	It("is listed by the authorization server and granted with WithOfflineAccess, never by the resource", func() {
		s := startAS(mockserver.WithOfflineAccess())
		for _, u := range asURLs(s) {
			Expect(get(u).json()["scopes_supported"]).To(ConsistOf("mcp:tools", "mcp:write", "offline_access"), u)
		}
		for _, u := range prmURLs(s) {
			Expect(get(u).json()["scopes_supported"]).NotTo(ContainElement("offline_access"), u)
		}
		Expect(postMCP(s, "").header.Get("WWW-Authenticate")).NotTo(ContainSubstring("offline_access"))
		Expect(grantedScope(s, "mcp:tools offline_access")).To(Equal("mcp:tools offline_access"))
	})

	It("is neither listed nor granted by default, the rest of the scope granted", func() {
		s := startAS()
		for _, u := range asURLs(s) {
			Expect(get(u).json()["scopes_supported"]).NotTo(ContainElement("offline_access"), u)
		}
		Expect(grantedScope(s, "mcp:tools offline_access")).To(Equal("mcp:tools"))
	})

	It("alone gets a refresh token with WithRefreshOnlyForOfflineAccess", func() {
		s := startAS(mockserver.WithRefreshOnlyForOfflineAccess())
		Expect(tokensFor(s, "mcp:tools")).NotTo(HaveKey("refresh_token"))
		Expect(tokensFor(s, "mcp:tools offline_access")).To(HaveKey("refresh_token"))
		Expect(tokensFor(startAS(), "mcp:tools")).To(HaveKey("refresh_token"), "by default")
	})
})
