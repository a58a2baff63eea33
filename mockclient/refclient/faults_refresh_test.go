package refclient_test

import (
	"net/http"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient/refclient"
	"github.com/mcpconform/mcpconform/mockserver"
)

// expiring serves a target whose first two access tokens expire while the
// client uses them, rotating every refresh token: the refresh scenario.
func expiring(opts ...mockserver.Option) *mockserver.Server {
	GinkgoHelper()
	return serve(append([]mockserver.Option{mockserver.WithRequestCapture(),
		mockserver.WithExpiringTokens(2), mockserver.WithRefreshRotation()}, opts...)...)
}

// tokenForms are the forms of the token requests s captured with
// grant_type grant.
func tokenForms(s *mockserver.Server, grant string) []url.Values {
	var out []url.Values
	for _, r := range s.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/token") && r.Form().Get("grant_type") == grant {
			out = append(out, r.Form())
		}
	}
	return out
}

var _ = Describe("the reference client's refresh", func() {
	DescribeTable("refreshes each expired access token with the refresh token it got last",
		func(rev spec.Revision) {
			s := expiring(mockserver.WithRevision(rev))
			Expect(runClient(s)).To(Succeed())
			issued := s.IssuedRefreshTokens()
			Expect(issued).To(HaveLen(3))
			refreshes := tokenForms(s, "refresh_token")
			Expect(refreshes).To(HaveLen(2))
			for i, form := range refreshes {
				Expect(form.Get("refresh_token")).To(Equal(issued[i]))
				if rev.UsesProtectedResourceMetadata() {
					Expect(form["resource"]).To(ConsistOf(s.MCPURL()))
				} else {
					Expect(form.Has("resource")).To(BeFalse(), "no resource in the 2025-03-26 layout")
				}
			}
			Expect(requests(s, http.MethodGet, "/authorize")).To(HaveLen(1))
		},
		Entry("2025-03-26", spec.Rev20250326),
		Entry("latest", spec.Latest))

	It("ends the run when a renewed token is refused too", func() {
		s := serve(mockserver.WithRequestCapture(), mockserver.WithFaults(fault.RSExpectsOriginAudience))
		Expect(runClient(s)).To(MatchError(ContainSubstring("refused the renewed access token")))
		Expect(tokenForms(s, "refresh_token")).To(HaveLen(1))
	})

	It("ends the run without a refresh token to renew with", func() {
		s := serve(mockserver.WithRequestCapture(), mockserver.WithFaults(fault.RSExpectsOriginAudience),
			mockserver.WithClient(mockserver.Client{ID: "code-only", RedirectURIs: []string{"http://127.0.0.1/callback"},
				GrantTypes: []string{"authorization_code"}}))
		Expect(runWith(s, refclient.Config{Context: map[string]any{"client_id": "code-only"}})).
			To(MatchError(ContainSubstring("no refresh token")))
		Expect(tokenForms(s, "refresh_token")).To(BeEmpty())
	})

	It(string(fault.ClientNoRefresh)+" authorizes again instead of refreshing", func() {
		s := expiring()
		Expect(runClient(s, fault.ClientNoRefresh)).To(Succeed())
		Expect(tokenForms(s, "refresh_token")).To(BeEmpty())
		Expect(tokenForms(s, "authorization_code")).To(HaveLen(3))
		Expect(requests(s, http.MethodGet, "/authorize")).To(HaveLen(3))
	})

	It(string(fault.ClientRefreshWithoutResource)+" refreshes without resource", func() {
		s := expiring()
		Expect(runClient(s, fault.ClientRefreshWithoutResource)).To(Succeed())
		Expect(authorizationRequest(s).Get("resource")).To(Equal(s.MCPURL()))
		Expect(tokenForms(s, "authorization_code")[0].Get("resource")).To(Equal(s.MCPURL()))
		refreshes := tokenForms(s, "refresh_token")
		Expect(refreshes).To(HaveLen(2))
		for _, form := range refreshes {
			Expect(form.Has("resource")).To(BeFalse())
		}
	})

	It(string(fault.ClientReuseRefreshToken)+" sends the first refresh token again, which ends the grant", func() {
		s := expiring()
		Expect(runClient(s, fault.ClientReuseRefreshToken)).To(MatchError(ContainSubstring("invalid_grant")))
		refreshes := tokenForms(s, "refresh_token")
		Expect(refreshes).To(HaveLen(2))
		Expect(refreshes[1].Get("refresh_token")).To(Equal(refreshes[0].Get("refresh_token")))
	})

	It(string(fault.ClientRefreshTokenToMCP)+" sends its refresh token to the MCP server", func() {
		leaked := func(s *mockserver.Server) []string {
			var out []string
			for _, r := range s.Requests() {
				if r.URL.Path == "/mcp" {
					out = append(out, r.Header.Values("X-Refresh-Token")...)
				}
			}
			return out
		}
		s := serve(mockserver.WithRequestCapture())
		Expect(runClient(s)).To(Succeed())
		Expect(leaked(s)).To(BeEmpty())

		s = serve(mockserver.WithRequestCapture())
		Expect(runClient(s, fault.ClientRefreshTokenToMCP)).To(Succeed())
		Expect(leaked(s)).NotTo(BeEmpty())
		Expect(leaked(s)).To(HaveEach(s.IssuedRefreshTokens()[0]))
	})

	It(string(fault.ClientNoReauthorization)+" gives up when its access token expires without a refresh token", func() {
		expiring := []mockserver.Option{mockserver.WithExpiringTokens(1), mockserver.WithoutRefreshTokens()}
		s := serve(expiring...)
		Expect(runClient(s)).To(Succeed(), "the reference authorizes again")
		Expect(requests(s, http.MethodGet, "/authorize")).To(HaveLen(2))
		Expect(s.IssuedRefreshTokens()).To(BeEmpty())

		s = serve(expiring...)
		Expect(runClient(s, fault.ClientNoReauthorization)).To(MatchError(ContainSubstring("no refresh token")))
		Expect(requests(s, http.MethodGet, "/authorize")).To(HaveLen(1))
	})
})
