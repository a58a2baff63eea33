package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/go-jose/go-jose/v4"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/suites/check"
)

func describeTokenMisuse(s *Session) {
	Describe("Token misuse at the resource server", func() {

		It("refuses an access token signed by a key other than its authorization server's", check.ID("RS-TOK-002"), func(ctx SpecContext) {
			s.expectRefused(ctx, forged(s.needIssuedJWT(ctx).SignedByAttacker(false)),
				"a token signed by a key the authorization server does not hold must be refused with 401")
		})

		It("refuses an unsigned access token (alg none)", check.ID("RS-TOK-003"), func(ctx SpecContext) {
			s.expectRefused(ctx, forged(s.needIssuedJWT(ctx).Unsigned()),
				"a token with alg none must be refused with 401")
		})

		It("refuses an access token whose claims were changed after signing", check.ID("RS-TOK-004"), func(ctx SpecContext) {
			s.expectRefused(ctx, forged(s.needIssuedJWT(ctx).WithLongerLife()),
				"a token whose exp was moved after signing must be refused with 401")
		})

		It("refuses an access token signed by a key embedded in its own header", check.ID("RS-TOK-005"), func(ctx SpecContext) {
			s.expectRefused(ctx, forged(s.needIssuedJWT(ctx).SignedByAttacker(true)),
				"a token verified only by the jwk in its own header must be refused with 401")
		})

		It("refuses an access token MACed with its authorization server's public key (HS256 confusion)", check.ID("RS-TOK-006"), func(ctx SpecContext) {
			token := s.needIssuedJWT(ctx)
			meta := check.Need(s.discovery.AuthorizationServerMetadata(ctx))
			jwksURI, _ := meta.String("jwks_uri")
			if jwksURI == "" {
				Skip(check.NotRunPrefix + "the authorization server metadata names no jwks_uri: no public key to misuse")
			}
			published, err := s.PublishedKey(ctx, jwksURI, token.KeyID())
			check.Attach(published)
			if err != nil {
				Skip(check.NotRunPrefix + "no public key of the authorization server to misuse: " + err.Error())
			}
			s.expectRefused(ctx, forged(token.SignedBy(jose.HS256, published.PEM, false)),
				"a token MACed with the authorization server's public key as HS256 secret must be refused with 401")
		})

		It("does not accept an access token in the query string", check.ID("RS-TOK-007"), func(ctx SpecContext) {
			accepted := check.Need(s.AcceptedToken(ctx))
			resp := check.Require(s.CallMCPWithQueryToken(ctx, accepted.AccessToken()))
			Expect(resp.Status).To(BeElementOf(http.StatusBadRequest, http.StatusUnauthorized),
				"a token in the access_token query parameter must not be accepted: the request has no credentials")
		})

		It("refuses a malformed Bearer authorization header", check.ID("RS-TOK-008"), func(ctx SpecContext) {
			accepted := check.Need(s.AcceptedToken(ctx))
			for _, probe := range []struct{ name, authorization string }{
				{"the Bearer scheme without a token", "Bearer"},
				{"the valid token followed by another word", "Bearer " + accepted.AccessToken() + " mcpconform"},
			} {
				resp := check.Require(s.CallMCP(ctx, probe.authorization))
				Expect(resp.Status).To(BeElementOf(http.StatusBadRequest, http.StatusUnauthorized),
					"an Authorization header of %s is not a Bearer credential and must be refused", probe.name)
			}
		})

		It("answers an invalid access token with 401 invalid_token", check.ID("RS-TOK-009"), func(ctx SpecContext) {
			check.Need(s.discovery.BearerChallenge(ctx))
			resp := check.Require(s.CallMCP(ctx, "Bearer mcpconform-"+mockclient.NewVerifier()))
			Expect(resp.Status).To(Equal(http.StatusUnauthorized), "a token the server never issued must be refused with 401")
			challenge, err := mockclient.ParseBearerChallenge(resp.Header.Values("WWW-Authenticate"))
			Expect(err).NotTo(HaveOccurred(), "a refused token must be answered with a Bearer challenge")
			Expect(challenge.Params).To(HaveKeyWithValue("error", "invalid_token"),
				`the challenge to a refused token should carry error="invalid_token"`)
		})

		It("refuses a tool call whose token lacks the scope the tool needs", check.ID("RS-TOK-010"), func(ctx SpecContext) {
			call := s.needStepUpCall(ctx)
			Expect(call.Call.Status).To(BeElementOf(http.StatusUnauthorized, http.StatusForbidden),
				"%s called with a token without %s must be refused", s.stepUpProbe.Tool, s.stepUpProbe.Scope)
		})

		It("answers a token lacking a needed scope with 403 insufficient_scope", check.ID("RS-TOK-011"), func(ctx SpecContext) {
			call := s.needStepUpCall(ctx)
			if call.Call.Status/100 == 2 {
				Skip(check.PrerequisitePrefix + "the call was served, not refused")
			}
			Expect(call.Call.Status).To(Equal(http.StatusForbidden), "a valid token short of a scope must be answered with 403")
			challenge, err := mockclient.ParseBearerChallenge(call.Call.Header.Values("WWW-Authenticate"))
			Expect(err).NotTo(HaveOccurred(), "the 403 should carry a Bearer challenge")
			Expect(challenge.Params).To(HaveKeyWithValue("error", "insufficient_scope"),
				`the challenge should carry error="insufficient_scope"`)
		})

		It("names the needed scope in the insufficient_scope challenge", check.ID("RS-TOK-012"), func(ctx SpecContext) {
			call := s.needStepUpCall(ctx)
			challenge, err := mockclient.ParseBearerChallenge(call.Call.Header.Values("WWW-Authenticate"))
			if call.Call.Status != http.StatusForbidden || err != nil || challenge.Params["error"] != "insufficient_scope" {
				Skip(check.PrerequisitePrefix + "no 403 insufficient_scope challenge to inspect")
			}
			Expect(strings.Fields(challenge.Params["scope"])).To(ContainElement(s.stepUpProbe.Scope),
				"the insufficient_scope challenge should name the scope %s needs", s.stepUpProbe.Tool)
		})

		It("refuses an access token its authorization server revoked", check.ID("RS-TOK-013"), func(ctx SpecContext) {
			s.needIntrospectionEndpoint(ctx)
			g := check.Need(s.ReplayedGrant(ctx))
			introspection := g.Introspection()
			for _, w := range []witness{g.MCPEndpoint(), introspection} {
				if w.Unusable != "" {
					Skip(check.PrerequisitePrefix + w.Unusable)
				}
			}
			// The authorization server's own word that the token is revoked.
			if !introspection.Revoked {
				Skip(check.PrerequisitePrefix + "the authorization server did not revoke the access token when its code was replayed: " +
					introspection.Still + " (AS-CODE-002 and AS-INTRO-002 judge that)")
			}
			Expect(g.ServedAfter.Status).To(Equal(http.StatusUnauthorized),
				"an access token its authorization server revoked (its introspection says inactive) should be refused with 401")
		})

		It("refuses an access token its authorization server issued for another resource", check.ID("RS-TOK-014"), func(ctx SpecContext) {
			check.Need(s.AcceptedToken(ctx))
			other := check.Need(s.OtherResourceFlow(ctx))
			if audience, visible := jwtAudience(other.AccessToken()); visible && slices.Contains(audience, s.discovery.MCPURL) {
				Skip(check.NotRunPrefix + "the token issued for --other-resource " + s.otherResource +
					" names the MCP server in its aud too, so it is for both (AS-RES-001 judges audiences)")
			}
			resp := check.Require(s.CallMCP(ctx, "Bearer "+other.AccessToken()))
			Expect(resp.Status).To(Equal(http.StatusUnauthorized),
				"the MCP server answered %d to an access token its authorization server issued for resource %s; "+
					"it must accept only tokens issued for itself and refuse others with 401 (MCP token audience binding, RFC 8707 §2)",
				resp.Status, s.otherResource)
		})
	})
}

// needIssuedJWT is the accepted access token as a JWT to forge from; an
// opaque token leaves nothing to forge.
func (s *Session) needIssuedJWT(ctx SpecContext) *issuedJWT {
	accepted := check.Need(s.AcceptedToken(ctx))
	token, ok := parseIssuedJWT(accepted.AccessToken())
	if !ok {
		Skip(check.NotRunPrefix + "opaque access tokens: nothing to forge")
	}
	return token
}

// forged is a forgery, failing the check if the suite could not make it.
func forged(token string, err error) string {
	GinkgoHelper()
	Expect(err).NotTo(HaveOccurred(), "forging the token")
	return token
}

// expectRefused presents a forged token and requires it refused with 401.
func (s *Session) expectRefused(ctx SpecContext, token, requirement string) {
	GinkgoHelper()
	resp := check.Require(s.CallMCP(ctx, "Bearer "+token))
	Expect(resp.Status).To(Equal(http.StatusUnauthorized), requirement)
}

// needStepUpCall is the tool call with a token short of its scope, made
// where the MCP endpoint checks tokens at all; a target without the tool
// offers nothing to try.
func (s *Session) needStepUpCall(ctx SpecContext) *stepUpCall {
	check.Need(s.AcceptedToken(ctx))
	call := check.Need(s.StepUpCall(ctx))
	if call.NotRun != "" {
		Skip(check.NotRunPrefix + call.NotRun)
	}
	return call
}
