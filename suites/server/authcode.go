package server

import (
	"fmt"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/suites/check"
)

// Each attack runs its own authorization: the shared flow's code and
// tokens stay untouched.
func describeAuthorizationCode(s *Session) {
	Describe("The authorization code grant", func() {

		It("refuses an authorization request without a code challenge", check.ID("AS-PKCE-001"), func(ctx SpecContext) {
			client := check.Need(s.PublicClient(ctx))
			a := check.Require(s.Authorize(ctx, client, dropParams("code_challenge", "code_challenge_method")))
			expectNoCode(a, "an authorization request of a public client without code_challenge must be refused (PKCE is required)")
		})

		It("refuses the plain code challenge method", check.ID("AS-PKCE-002"), func(ctx SpecContext) {
			client := check.Need(s.PublicClient(ctx))
			a := check.Require(s.Authorize(ctx, client,
				setParam("code_challenge", mockclient.NewVerifier()), setParam("code_challenge_method", "plain")))
			expectNoCode(a, "code_challenge_method=plain should be refused: only S256 keeps the verifier secret from who sees the request")
		})

		It("refuses a token request without the code verifier", check.ID("AS-PKCE-003"), func(ctx SpecContext) {
			g := check.Need(s.CodeGrant(ctx))
			answer := check.Require(g.Redeem(ctx, dropParams("code_verifier")))
			expectNoToken(answer, "a token request without code_verifier must be refused for a code issued with a code_challenge")
		})

		It("refuses a code verifier that does not match the code challenge", check.ID("AS-PKCE-004"), func(ctx SpecContext) {
			g := check.Need(s.CodeGrant(ctx))
			answer := check.Require(g.Redeem(ctx, setParam("code_verifier", mockclient.NewVerifier())))
			expectNoToken(answer, "a code_verifier whose S256 transform is not the code_challenge must be refused")
		})

		It("refuses the code challenge sent back as the code verifier", check.ID("AS-PKCE-005"), func(ctx SpecContext) {
			g := check.Need(s.CodeGrant(ctx))
			answer := check.Require(g.Redeem(ctx, setParam("code_verifier", g.Params.Get("code_challenge"))))
			expectNoToken(answer, "the code_challenge sent as code_verifier must be refused: whoever saw the authorization request could redeem the code")
		})

		It("refuses a code verifier for a code issued without a code challenge", check.ID("AS-PKCE-006"), func(ctx SpecContext) {
			client := check.Need(s.PublicClient(ctx))
			a := check.Need(s.Authorize(ctx, client, dropParams("code_challenge", "code_challenge_method")))
			if _, err := a.Code(); err != nil {
				return // no code without a challenge: the downgrade cannot happen
			}
			// The standard exchange sends a verifier, here one no challenge was made for.
			answer := check.Require(s.Redeem(ctx, client, a))
			expectNoToken(answer, "a code_verifier must be refused for a code issued without code_challenge (PKCE downgrade, RFC 9700 §4.8.2)")
		})

		It("refuses a code verifier that is not 43 to 128 unreserved characters", check.ID("AS-PKCE-007"), func(ctx SpecContext) {
			random := mockclient.NewVerifier() // 43 unreserved characters
			for _, bad := range []struct{ what, verifier string }{
				{"42 characters", random[:42]},
				{"129 characters", random + random + random},
				{"characters outside [A-Za-z0-9-._~]", random[:40] + "+/="},
			} {
				// The challenge matches: only the format can get the verifier refused.
				g := check.Need(s.CodeGrant(ctx, setParam("code_challenge", mockclient.S256(bad.verifier))))
				answer := check.Require(g.Redeem(ctx, setParam("code_verifier", bad.verifier)))
				expectNoToken(answer, "a code_verifier of "+bad.what+" should be refused even when it matches the challenge: "+
					"it must be 43 to 128 characters of [A-Za-z0-9-._~]")
			}
		})

		It("accepts every code challenge method it advertises", check.ID("AS-PKCE-008"), func(ctx SpecContext) {
			meta := check.Need(s.discovery.AuthorizationServerMetadata(ctx))
			methods, _ := meta.Strings("code_challenge_methods_supported")
			known := slices.DeleteFunc(slices.Clone(methods), func(m string) bool { return m != pkceS256 && m != pkcePlain })
			if len(known) == 0 {
				Skip(fmt.Sprintf("%scode_challenge_methods_supported lists no method the suite knows (S256, plain): %q", check.NotRunPrefix, methods))
			}
			const requirement = "a code challenge method the authorization server metadata lists in code_challenge_methods_supported must work (RFC 8414 §2)"
			if slices.Contains(known, pkceS256) {
				check.Need(s.Tokens(ctx)) // the standard flow is S256 from end to end
			}
			if slices.Contains(known, pkcePlain) {
				client := check.Need(s.PublicClient(ctx))
				verifier := mockclient.NewVerifier()
				s.client.Redact(verifier)
				a := check.Require(s.Authorize(ctx, client, setParam("code_challenge", verifier), setParam("code_challenge_method", pkcePlain)))
				Expect(a.AuthorizationResult.Params().Has("code")).To(BeTrue(),
					"%s; with code_challenge_method=plain the authorization server %s", requirement, authorizationOutcome(a))
				answer := check.Require(s.Redeem(ctx, client, a, setParam("code_verifier", verifier)))
				Expect(accessTokenIssued(answer)).To(BeTrue(),
					"%s; the code of a plain challenge redeemed with its verifier got %s", requirement, tokenOutcome(answer))
			}
		})

		It("refuses a code challenge method it does not support", check.ID("AS-PKCE-009"), func(ctx SpecContext) {
			client := check.Need(s.PublicClient(ctx))
			a := check.Require(s.Authorize(ctx, client, setParam("code_challenge_method", unknownChallengeMethod)))
			expectNoCode(a, "code_challenge_method="+unknownChallengeMethod+" must be refused with invalid_request by a server "+
				"that does not support it (RFC 7636 §4.4.1), never taken for another method")
		})

		It("refuses an authorization code redeemed a second time", check.ID("AS-CODE-001"), func(ctx SpecContext) {
			g := check.Need(s.CodeGrant(ctx))
			check.Need(g.RedeemTokens(ctx))
			replay := check.Require(g.Redeem(ctx))
			expectNoToken(replay, "an authorization code must be refused when it is redeemed a second time")
		})

		It("revokes the tokens issued from an authorization code that is replayed", check.ID("AS-CODE-002"), func(ctx SpecContext) {
			g := check.Need(s.ReplayedGrant(ctx))
			// Any party refusing after the replay what it accepted before shows
			// the revocation; which party failed to learn of it is for its own
			// check (AS-INTRO-002, RS-TOK-013).
			var revoked bool
			var unusable, still []string
			for _, w := range g.Witnesses() {
				switch {
				case w.Unusable != "":
					unusable = append(unusable, w.Unusable)
				case w.Revoked:
					revoked = true
				default:
					still = append(still, w.Still)
				}
			}
			if !revoked && len(still) == 0 {
				Skip(check.NotRunPrefix + "nothing can show the tokens revoked: " + strings.Join(unusable, "; "))
			}
			Expect(revoked).To(BeTrue(),
				"the tokens issued from a code should be revoked when the code is replayed; after the replay %s", strings.Join(still, ", "))
		})

		It("refuses an authorization code redeemed by another client", check.ID("AS-CODE-003"), func(ctx SpecContext) {
			g := check.Need(s.CodeGrant(ctx))
			other := check.Need(s.OtherPublicClient(ctx))
			// Everything else is right, the verifier included: only the
			// code's binding to its client can get the request refused.
			stolen := check.Require(s.Redeem(ctx, other, g.authorization))
			expectNoToken(stolen, "an authorization code must be refused to any client but the one it was issued to (OAuth 2.1 §4.1.3)")
			Expect(stolen.Error()).To(Equal("invalid_grant"),
				"a code issued to another client must be refused with invalid_grant (RFC 6749 §5.2); the token endpoint answered %s", tokenOutcome(stolen))
		})

		It("refuses a redirect URI that extends a registered one, without redirecting to it", check.ID("AS-REDIR-001"), func(ctx SpecContext) {
			client := check.Need(s.PublicClient(ctx))
			a := check.Require(s.Authorize(ctx, client, setParam("redirect_uri", extendedRedirectURI)))
			Expect(a.Callback == nil).To(BeTrue(),
				"a redirect_uri that only starts with a registered one must be refused (exact matching) and never redirected to; the authorization server %s",
				authorizationOutcome(a))
		})

		It("refuses a token request whose redirect URI differs from the authorization request's", check.ID("AS-REDIR-002"), func(ctx SpecContext) {
			g := check.Need(s.CodeGrant(ctx))
			answer := check.Require(g.Redeem(ctx, setParam("redirect_uri", otherPortRedirectURI)))
			expectNoToken(answer, "a token request must be refused when its redirect_uri is not the one of the authorization request")
		})

		It("does not redirect an error about an unknown client to the redirect URI it names", check.ID("AS-REDIR-003"), func(ctx SpecContext) {
			check.Need(s.Endpoints(ctx))
			unknown := &registeredClient{ID: "mcpconform-unknown-" + mockclient.NewVerifier()}
			a := check.Require(s.Authorize(ctx, unknown, setParam("redirect_uri", attackerRedirectURI)))
			Expect(a.Callback == nil).To(BeTrue(),
				"an error about an unknown client must not be redirected to the unvalidated redirect_uri (an open redirector); the authorization server %s",
				authorizationOutcome(a))
		})

		It("returns state unchanged in the authorization response", check.ID("AS-AUTHZ-001"), func(ctx SpecContext) {
			state := "mcpconform " + mockclient.NewVerifier() + " +/=~%20"
			g := check.Need(s.CodeGrant(ctx, setParam("state", state)))
			Expect(g.AuthorizationResult.Params()["state"]).To(Equal([]string{state}),
				"the authorization response must return the request's state once, unchanged")
		})

		It("returns its issuer as iss in the authorization response when it advertises it", check.ID("AS-AUTHZ-002"), func(ctx SpecContext) {
			check.Need(s.discovery.AuthorizationServerMetadata(ctx))
			e := check.Need(s.Endpoints(ctx))
			if !e.IssuerInResponse {
				Skip(check.NotRunPrefix + "the authorization server metadata does not set authorization_response_iss_parameter_supported")
			}
			g := check.Need(s.CodeGrant(ctx))
			Expect(g.AuthorizationResult.Params()["iss"]).To(Equal([]string{e.Issuer}),
				"an authorization server advertising authorization_response_iss_parameter_supported must return its issuer as iss (RFC 9207 §2)")
		})

		It("returns no access token in the authorization response", check.ID("AS-AUTHZ-003"), func(ctx SpecContext) {
			g := check.Need(s.CodeGrant(ctx))
			Expect(g.AuthorizationResult.Params()).NotTo(HaveKey("access_token"),
				"the authorization response of the code flow should carry a code, never a token: the front channel leaks it (RFC 9700 §2.1.2)")
		})

		It("issues access tokens whose audience is the requested resource", check.ID("AS-RES-001"), func(ctx SpecContext) {
			tokens := check.Need(s.Tokens(ctx))
			audience, visible := jwtAudience(tokens.AccessToken())
			if !visible {
				Skip(check.NotRunPrefix + "opaque token: audience not visible")
			}
			resource := tokens.Authorization.Params.Get("resource")
			Expect(audience).To(ContainElement(resource),
				"an access token requested with resource %s should name it in its aud claim (RFC 8707 §2.2)", resource)
		})

		It("refuses a resource it does not serve with invalid_target", check.ID("AS-RES-002"), func(ctx SpecContext) {
			client := check.Need(s.PublicClient(ctx))
			a := check.Require(s.Authorize(ctx, client, setParam("resource", foreignResource)))
			const requirement = "a resource the authorization server does not serve should be refused with invalid_target"
			if _, err := a.Code(); err != nil {
				Expect(a.AuthorizationResult.Params().Get("error")).To(Equal("invalid_target"),
					"%s; the authorization server %s", requirement, authorizationOutcome(a))
				return
			}
			// RFC 8707 lets the token endpoint refuse it instead.
			answer := check.Require(s.Redeem(ctx, client, a, setParam("resource", foreignResource)))
			Expect(tokenIssued(answer)).To(BeFalse(), "%s; the token endpoint answered %s", requirement, tokenOutcome(answer))
			Expect(answer.Error()).To(Equal("invalid_target"), requirement)
		})
	})
}

// expectNoCode judges an authorization request the server must refuse.
func expectNoCode(a *authorization, requirement string) {
	GinkgoHelper()
	Expect(a.AuthorizationResult.Params().Has("code")).To(BeFalse(),
		"%s; the authorization server %s", requirement, authorizationOutcome(a))
}

// expectNoToken judges a token request the server must refuse.
func expectNoToken(answer *mockclient.OAuthAnswer, requirement string) {
	GinkgoHelper()
	Expect(tokenIssued(answer)).To(BeFalse(), "%s; the token endpoint answered %s", requirement, tokenOutcome(answer))
}
