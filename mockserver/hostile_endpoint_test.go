package mockserver_test

import (
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/mockserver"
)

var _ = Describe("hostile authorization endpoints", func() {
	It("advertises an authorization endpoint carrying a shell command, and serves it as the real one", func() {
		s := start(mockserver.WithShellCommandInAuthorizationEndpoint())
		endpoint := get(s.URLs()["authorization server metadata"]).json()["authorization_endpoint"].(string)
		Expect(endpoint).To(Equal(s.OAuthEndpoints().Authorization))
		Expect(endpoint).To(HaveSuffix("/authorize'$(touch$IFS" + s.ShellMarker() + ")'"))
		Expect(s.ShellMarker()).NotTo(ContainSubstring(" "))
		// An unknown client gets the authorization endpoint's own error
		// page, not a 404.
		answer := get(endpoint + "?response_type=code&client_id=nobody")
		Expect(answer.status).To(Equal(http.StatusBadRequest), string(answer.body))
	})

	It("advertises a javascript: authorization endpoint", func() {
		s := start(mockserver.WithScriptAuthorizationEndpoint())
		Expect(get(s.URLs()["authorization server metadata"]).json()).To(
			HaveKeyWithValue("authorization_endpoint", mockserver.ScriptAuthorizationEndpoint))
		Expect(s.OAuthEndpoints().Authorization).To(HavePrefix("http://"))
		Expect(s.ShellMarker()).To(BeEmpty())
	})

	It("advertises a plain-http authorization endpoint off loopback", func() {
		s := start(mockserver.WithPlainHTTPAuthorizationEndpoint())
		Expect(get(s.URLs()["authorization server metadata"]).json()).To(
			HaveKeyWithValue("authorization_endpoint", mockserver.PlainHTTPAuthorizationEndpoint))
	})

	It("serves decoy authorization server metadata at the MCP server's origin", func() {
		s := start(mockserver.WithOriginMetadataDecoy())
		origin := strings.TrimSuffix(s.MCPURL(), "/mcp")
		decoy := get(origin + "/.well-known/oauth-authorization-server").json()
		Expect(decoy).To(HaveKeyWithValue("issuer", origin))
		Expect(decoy).To(HaveKeyWithValue("registration_endpoint", origin+"/register"))
		Expect(s.IssuerURL()).NotTo(Equal(origin))
	})

	It("redirects an authorized MCP request to a second server at another origin, which needs no token", func() {
		s := start(mockserver.WithRedirectToSecondServer())
		Expect(s.SecondMCPURL()).To(HavePrefix("http://localhost:"))
		answer := postMCP(s, bearer(s))
		Expect(answer.status).To(Equal(http.StatusTemporaryRedirect))
		Expect(answer.header.Get("Location")).To(Equal(s.SecondMCPURL()))
		Expect(postMCP(s, "").status).To(Equal(http.StatusUnauthorized), "the first server still asks for a token")
	})

	It("counts connections whose TLS handshake the client broke off", func() {
		s := start(mockserver.WithTLS())
		_, err := http.Get(s.MCPURL())
		Expect(err).To(MatchError(ContainSubstring("certificate")))
		Eventually(s.Connections).Should(BeNumerically(">=", 1))
		Expect(strings.HasPrefix(s.MCPURL(), "https://")).To(BeTrue())
	})
})
