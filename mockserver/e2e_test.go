package mockserver_test

import (
	"context"
	"net/url"

	"github.com/modelcontextprotocol/go-sdk/oauthex"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/mcpconform/mcpconform/mockserver"
)

// End to end with independent clients only: the MCP SDK registers the
// client, golang.org/x/oauth2 runs the grant, the MCP SDK calls the tools.
var _ = Describe("a client that only knows the standards", func() {
	register := func(ctx context.Context, s *mockserver.Server, meta *oauthex.ClientRegistrationMetadata) *oauthex.ClientRegistrationResponse {
		GinkgoHelper()
		reg, err := oauthex.RegisterClient(ctx, s.IssuerURL()+"/register", meta, client)
		Expect(err).NotTo(HaveOccurred())
		return reg
	}

	// authorize runs the browser's part: the authorization server
	// auto-approves and redirects to the callback with a code.
	authorize := func(s *mockserver.Server, cfg *oauth2.Config, verifier string) string {
		GinkgoHelper()
		resp, err := userAgent.Get(cfg.AuthCodeURL("state-1", oauth2.S256ChallengeOption(verifier),
			oauth2.SetAuthURLParam("resource", s.MCPURL())))
		Expect(err).NotTo(HaveOccurred())
		resp.Body.Close()
		callback, err := url.Parse(resp.Header.Get("Location"))
		Expect(err).NotTo(HaveOccurred())
		Expect(callback.Query().Get("state")).To(Equal("state-1"))
		Expect(callback.Query().Get("iss")).To(Equal(s.IssuerURL()))
		return callback.Query().Get("code")
	}

	It("registers, authorizes with PKCE, refreshes, steps up and calls tools", func(ctx SpecContext) {
		s := start()
		reg := register(ctx, s, &oauthex.ClientRegistrationMetadata{
			RedirectURIs: []string{callbackURL}, TokenEndpointAuthMethod: "none",
			GrantTypes: []string{"authorization_code", "refresh_token"}, ClientName: "e2e",
		})
		Expect(reg.ClientSecret).To(BeEmpty())
		cfg := oauthConfig(s, reg.ClientID, "", oauth2.AuthStyleInParams)
		verifier := oauth2.GenerateVerifier()
		token, err := cfg.Exchange(oauthContext(ctx), authorize(s, cfg, verifier), oauth2.VerifierOption(verifier),
			oauth2.SetAuthURLParam("resource", s.MCPURL()))
		Expect(err).NotTo(HaveOccurred())
		Expect(token.RefreshToken).NotTo(BeEmpty())

		session := connectSDK(ctx, s, "Bearer "+token.AccessToken)
		Expect(callText(ctx, session, "echo", map[string]any{"text": "hi"})).To(Equal("hi"))
		_, err = callText(ctx, session, "write_note", map[string]any{"text": "x"})
		Expect(err).To(HaveOccurred(), "mcp:write was not granted")

		refreshed, err := cfg.TokenSource(oauthContext(ctx), &oauth2.Token{RefreshToken: token.RefreshToken}).Token()
		Expect(err).NotTo(HaveOccurred())
		Expect(refreshed.RefreshToken).NotTo(Equal(token.RefreshToken), "public clients get a rotated refresh token")
		Expect(callText(ctx, connectSDK(ctx, s, "Bearer "+refreshed.AccessToken), "echo", map[string]any{"text": "again"})).To(Equal("again"))

		cfg.Scopes = []string{"mcp:tools", "mcp:write"}
		verifier = oauth2.GenerateVerifier()
		stepped, err := cfg.Exchange(oauthContext(ctx), authorize(s, cfg, verifier), oauth2.VerifierOption(verifier))
		Expect(err).NotTo(HaveOccurred())
		Expect(callText(ctx, connectSDK(ctx, s, "Bearer "+stepped.AccessToken), "write_note", map[string]any{"text": "x"})).
			To(Equal("noted: x"))
	}, NodeTimeout(specTimeout))

	It("registers a confidential client and gets a token with client credentials", func(ctx SpecContext) {
		s := start()
		reg := register(ctx, s, &oauthex.ClientRegistrationMetadata{
			TokenEndpointAuthMethod: "client_secret_basic", GrantTypes: []string{"client_credentials"},
			ResponseTypes: []string{}, ClientName: "e2e-service", Scope: "mcp:tools",
		})
		Expect(reg.ClientSecret).NotTo(BeEmpty())
		cc := clientcredentials.Config{
			ClientID: reg.ClientID, ClientSecret: reg.ClientSecret, TokenURL: s.IssuerURL() + "/token",
			Scopes: []string{"mcp:tools"}, AuthStyle: oauth2.AuthStyleInHeader,
			EndpointParams: url.Values{"resource": {s.MCPURL()}},
		}
		token, err := cc.Token(oauthContext(ctx))
		Expect(err).NotTo(HaveOccurred())
		Expect(callText(ctx, connectSDK(ctx, s, "Bearer "+token.AccessToken), "echo", map[string]any{"text": "svc"})).To(Equal("svc"))
	}, NodeTimeout(specTimeout))
})
