package server

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/suites/check"
)

func describeTokenEndpoint(s *Session) {
	Describe("The token endpoint", func() {

		It("marks token responses Cache-Control: no-store", check.ID("AS-TOKEN-001"), func(ctx SpecContext) {
			tokens := check.Need(s.Tokens(ctx))
			Expect(cacheDirectives(tokens.Header)).To(ContainElement("no-store"),
				"a response carrying tokens must say Cache-Control: no-store")
		})

		It("refuses an unknown grant type with a JSON unsupported_grant_type error", check.ID("AS-TOKEN-002"), func(ctx SpecContext) {
			client := check.Need(s.PublicClient(ctx))
			answer := check.Require(s.tokenEndpointRequest(ctx, client, url.Values{"grant_type": {"urn:mcpconform:unknown-grant"}}))
			expectTokenEndpointError(answer, "unsupported_grant_type", "a grant type the server does not know")
		})

		It("refuses a code exchange without a code with a JSON invalid_request error", check.ID("AS-TOKEN-003"), func(ctx SpecContext) {
			client := check.Need(s.PublicClient(ctx))
			answer := check.Require(s.tokenEndpointRequest(ctx, client, url.Values{"grant_type": {"authorization_code"},
				"redirect_uri": {redirectURI}, "code_verifier": {mockclient.NewVerifier()}}))
			expectTokenEndpointError(answer, "invalid_request", "a code exchange without code")
		})

		It("refuses a replayed authorization code with a JSON invalid_grant error", check.ID("AS-TOKEN-004"), func(ctx SpecContext) {
			g := check.Need(s.CodeGrant(ctx))
			check.Need(g.RedeemTokens(ctx))
			// A replay that gets tokens is AS-CODE-001's finding.
			replay := check.Need(refusedStep(g.Redeem(ctx)))
			expectTokenEndpointError(replay, "invalid_grant", "an authorization code redeemed a second time")
		})
	})
}

func describeRefreshTokens(s *Session) {
	Describe("Refresh tokens", func() {

		rotates := func(ctx SpecContext) {
			f := check.Need(s.RefreshableFlow(ctx))
			check.Require(s.Rotate(ctx, f))
		}
		It("rotates a public client's refresh token on each refresh", check.ID("AS-REF-001"), rotates)
		It("rotates a public client's refresh token, as 2025-03-26 recommends", check.ID("AS-REF-002"), rotates)

		It("refuses a refresh token it has rotated", check.ID("AS-REF-003"), func(ctx SpecContext) {
			f := check.Need(s.RefreshableFlow(ctx))
			check.Need(s.Rotate(ctx, f))
			reused := check.Require(s.Refresh(ctx, f.Client, f.RefreshToken()))
			expectNoToken(reused, "a refresh token must be refused once it has been rotated")
			Expect(reused.Error()).To(Equal("invalid_grant"), "a rotated refresh token must be refused with invalid_grant")
		})

		It("revokes the newer refresh token when a rotated one is reused", check.ID("AS-REF-004"), func(ctx SpecContext) {
			f := check.Need(s.RefreshableFlow(ctx))
			rotated := check.Need(s.Rotate(ctx, f))
			check.Need(refusedStep(s.Refresh(ctx, f.Client, f.RefreshToken())))
			newer := check.Require(s.Refresh(ctx, f.Client, rotated.String("refresh_token")))
			expectNoToken(newer, "once a rotated refresh token is reused, the refresh token that replaced it must be revoked as well")
		})

		It("refuses a refresh token issued to another client", check.ID("AS-REF-005"), func(ctx SpecContext) {
			f := check.Need(s.RefreshableFlow(ctx))
			other := check.Need(s.OtherPublicClient(ctx))
			stolen := check.Require(s.Refresh(ctx, other, f.RefreshToken()))
			expectNoToken(stolen, "a refresh token must be refused to any client but the one it was issued to")
			Expect(stolen.Error()).To(Equal("invalid_grant"), "another client's refresh token must be refused with invalid_grant")
		})

		It("grants no scope on refresh beyond the original grant", check.ID("AS-REF-006"), func(ctx SpecContext) {
			scopes := check.Need(s.Scopes(ctx))
			narrow, ok := narrowGrant(scopes)
			if !ok {
				return // no scope to leave out of the original grant
			}
			f := check.Need(s.RefreshableFlow(ctx, setParam("scope", narrow)))
			original := strings.Fields(cmp.Or(f.String("scope"), narrow))
			requested := strings.Join(scopes, " ")
			wider := check.Require(s.Refresh(ctx, f.Client, f.RefreshToken(), setParam("scope", requested)))
			Expect(scopeGrantedBeyond(wider, requested, original)).To(BeEmpty(),
				"a refresh must not grant scope the original grant did not have")
		})

		It("refuses a refresh that asks for another resource", check.ID("AS-REF-007"), func(ctx SpecContext) {
			f := check.Need(s.RefreshableFlow(ctx))
			// A resource the authorization server serves shows the grant
			// bound to its resource, where an unknown one may be refused
			// for being unknown.
			other := cmp.Or(s.otherResource, foreignResource)
			elsewhere := check.Require(s.Refresh(ctx, f.Client, f.RefreshToken(), setParam("resource", other)))
			expectNoToken(elsewhere, "a refresh naming resource "+other+
				", which the original grant did not include, should be refused (RFC 8707 §2.2)")
		})
	})
}

func describeClientAuthentication(s *Session) {
	Describe("Client authentication", func() {

		// A wrong secret in the method the confidential client registered.
		wrongSecret := func(ctx SpecContext) (*mockclient.OAuthAnswer, error) {
			client, a := s.confidentialClientCode(ctx)
			return s.Redeem(ctx, client.authenticatingAs(client.AuthMethod, mockclient.NewVerifier()), a)
		}

		It("refuses a wrong client secret with invalid_client", check.ID("AS-CLIENT-001"), func(ctx SpecContext) {
			answer := check.Require(wrongSecret(ctx))
			expectNoToken(answer, "a token request with a wrong client secret must be refused")
			check.ObservedSeverity(spec.SeverityLow) // refused: only the error code is wrong
			Expect(answer.Error()).To(Equal("invalid_client"), "a wrong client secret must be refused with invalid_client")
		})

		It("answers a failed HTTP Basic client authentication with 401 and a Basic challenge", check.ID("AS-CLIENT-002"), func(ctx SpecContext) {
			answer := check.Need(refusedStep(wrongSecret(ctx)))
			Expect(answer.Status).To(Equal(http.StatusUnauthorized),
				"a client that failed to authenticate with HTTP Basic must be answered 401")
			Expect(slices.ContainsFunc(answer.Header.Values("WWW-Authenticate"), func(challenge string) bool {
				scheme, _, _ := strings.Cut(strings.TrimSpace(challenge), " ")
				return strings.EqualFold(scheme, "Basic")
			})).To(BeTrue(), "the 401 must carry a WWW-Authenticate challenge for the Basic scheme the client used")
		})

		It("refuses a confidential client that leaves out its registered authentication", check.ID("AS-CLIENT-003"), func(ctx SpecContext) {
			client, a := s.confidentialClientCode(ctx)
			answer := check.Require(s.Redeem(ctx, client.authenticatingAs("none", ""), a))
			expectNoToken(answer, "a confidential client's token request without its client authentication must be refused")
			check.ObservedSeverity(spec.SeverityLow) // refused: only the error code is wrong
			Expect(answer.Error()).To(Equal("invalid_client"), "a missing client authentication must be refused with invalid_client")
		})

		It("refuses a client authentication method other than the registered one", check.ID("AS-CLIENT-004"), func(ctx SpecContext) {
			client, a := s.confidentialClientCode(ctx)
			other, ok := otherSecretMethod[client.AuthMethod]
			if !ok {
				Skip(check.NotRunPrefix + "the confidential client authenticates with " + client.AuthMethod + ", not a client secret")
			}
			answer := check.Require(s.Redeem(ctx, client.authenticatingAs(other, client.Secret), a))
			expectNoToken(answer, "a client that registered "+client.AuthMethod+" should be refused when it sends its secret with "+other)
			Expect(answer.Error()).To(Equal("invalid_client"), "an authentication method other than the registered one should be refused with invalid_client")
		})
	})
}

func describeClientCredentials(s *Session) {
	Describe("Client credentials", func() {

		It("issues a token for client credentials when it advertises the grant", check.ID("AS-CC-001"), func(ctx SpecContext) {
			meta := check.Need(s.discovery.AuthorizationServerMetadata(ctx))
			if grants, _ := meta.Strings("grant_types_supported"); !slices.Contains(grants, "client_credentials") {
				return // not offered
			}
			client := check.Need(s.ConfidentialClient(ctx))
			e := check.Need(s.Endpoints(ctx))
			answer := check.Require(s.ClientCredentials(ctx, client, e.Scope))
			Expect(answer.Status).To(Equal(http.StatusOK),
				"a confidential client that registered client_credentials must get a token where grant_types_supported lists it; the token endpoint answered %s",
				tokenOutcome(answer))
			Expect(answer.String("access_token")).NotTo(BeEmpty(), "the client credentials token response must carry an access token")
		})

		It("refuses client credentials to a public client", check.ID("AS-CC-002"), func(ctx SpecContext) {
			client := check.Need(s.PublicClient(ctx))
			answer := check.Require(s.ClientCredentials(ctx, client, ""))
			expectNoToken(answer, "client credentials must never be granted to a public client, which cannot authenticate")
		})

		It("grants client credentials no scope beyond the client's registration", check.ID("AS-CC-003"), func(ctx SpecContext) {
			scopes := check.Need(s.Scopes(ctx))
			if len(scopes) < 2 {
				Skip(fmt.Sprintf("%sthe server advertises %d scope(s): a client registered for fewer needs two", check.NotRunPrefix, len(scopes)))
			}
			narrow := check.Need(s.NarrowClient(ctx, scopes[0]))
			requested := strings.Join(scopes, " ")
			answer := check.Require(s.ClientCredentials(ctx, narrow, requested))
			Expect(scopeGrantedBeyond(answer, requested, scopes[:1])).To(BeEmpty(),
				"client credentials must not grant scope the client did not register")
		})

		It("refuses a wrong client secret on the client credentials grant with invalid_client", check.ID("AS-CC-004"), func(ctx SpecContext) {
			meta := check.Need(s.discovery.AuthorizationServerMetadata(ctx))
			if grants, _ := meta.Strings("grant_types_supported"); !slices.Contains(grants, "client_credentials") {
				Skip(check.NotRunPrefix + "grant_types_supported does not list client_credentials")
			}
			client := check.Need(s.ConfidentialClient(ctx))
			e := check.Need(s.Endpoints(ctx))
			// With the right secret the grant works: only the secret can get
			// the next request refused.
			check.Need(grantedStep(s.ClientCredentials(ctx, client, e.Scope)))
			answer := check.Require(s.ClientCredentials(ctx, client.authenticatingAs(client.AuthMethod, mockclient.NewVerifier()), e.Scope))
			expectNoToken(answer, "a client credentials request with a wrong client secret must be refused (RFC 6749 §4.4.2, §2.3.1)")
			Expect(answer.Error()).To(Equal("invalid_client"),
				"a wrong client secret must be refused with invalid_client (RFC 6749 §5.2); the token endpoint answered %s", tokenOutcome(answer))
			if client.AuthMethod == "client_secret_basic" {
				Expect(answer.Status).To(Equal(http.StatusUnauthorized),
					"a client that failed to authenticate with HTTP Basic must be answered 401 (RFC 6749 §5.2); the token endpoint answered %d", answer.Status)
			}
		})
	})
}

// otherSecretMethod is, for each client secret method, the other one.
var otherSecretMethod = map[string]string{"client_secret_basic": "client_secret_post", "client_secret_post": "client_secret_basic"}

// confidentialClientCode is an authorization of the confidential client
// that ended in a code, for a check to redeem with bent authentication.
func (s *Session) confidentialClientCode(ctx SpecContext) (*registeredClient, *authorization) {
	client := check.Need(s.ConfidentialClient(ctx))
	a := check.Need(s.Authorize(ctx, client))
	check.Need(a.Code())
	return client, a
}

// expectTokenEndpointError judges an RFC 6749 §5.2 error answer to request.
func expectTokenEndpointError(answer *mockclient.OAuthAnswer, code, request string) {
	GinkgoHelper()
	Expect(answer.Status).To(Equal(http.StatusBadRequest), "%s must be answered 400 (RFC 6749 §5.2); the token endpoint answered %s",
		request, tokenOutcome(answer))
	Expect(answer.ContentType()).To(Equal("application/json"), "%s must be answered with a JSON error (RFC 6749 §5.2)", request)
	Expect(answer.Error()).To(Equal(code), "%s must be refused with %s (RFC 6749 §5.2)", request, code)
}
