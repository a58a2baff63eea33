package server

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v4"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/mockserver/testissuer"
	"github.com/mcpconform/mcpconform/suites/check"
)

// otherResource and otherIssuer are identifiers no target can be.
const (
	otherResource = "https://resource.mcpconform.invalid/mcp"
	otherIssuer   = "https://issuer.mcpconform.invalid"
)

func describeTrustedIssuerClaims(s *Session) {
	Describe("Token claims at the resource server", func() {

		It("accepts a valid access token of an issuer it trusts", check.ID("RS-TRUST-001"), func(ctx SpecContext) {
			s.needTrustedIssuer(ctx)
			check.Require(s.trustedToken(ctx))
		})

		It("refuses an expired access token", check.ID("RS-TRUST-002"), func(ctx SpecContext) {
			s.expectClaimsRefused(ctx, "an access token that expired an hour ago must be refused with 401",
				func(t *testissuer.Token) {
					t.IssuedAt, t.Expiry = time.Now().Add(-2*time.Hour), time.Now().Add(-time.Hour)
				})
		})

		It("refuses an access token that is not valid yet", check.ID("RS-TRUST-003"), func(ctx SpecContext) {
			s.expectClaimsRefused(ctx, "an access token whose nbf is an hour ahead must be refused with 401",
				func(t *testissuer.Token) { t.NotBefore = time.Now().Add(time.Hour) })
		})

		It("refuses an access token issued for another resource", check.ID("RS-TRUST-004"), func(ctx SpecContext) {
			s.expectClaimsRefused(ctx, "an access token whose aud is "+otherResource+" must be refused with 401",
				func(t *testissuer.Token) { t.Audience = []string{otherResource} })
		})

		It("refuses an access token naming another issuer than its signing key's", check.ID("RS-TRUST-005"), func(ctx SpecContext) {
			s.expectClaimsRefused(ctx, "an access token signed by the trusted issuer's key but naming iss "+otherIssuer+" must be refused with 401",
				func(t *testissuer.Token) { t.Issuer = otherIssuer })
		})

		It("refuses an access token signed by a key its issuer does not publish", check.ID("RS-TRUST-006"), func(ctx SpecContext) {
			accepted := s.needTrustedToken(ctx)
			token, err := s.trust.issuer.MintWithUnpublishedKey(accepted.Claims)
			Expect(err).NotTo(HaveOccurred(), "minting the token")
			s.expectRefused(ctx, token, "an access token signed by a key its issuer's JWKS does not list must be refused with 401")
		})

		It("refuses an unsigned access token (alg none) naming an issuer it trusts", check.ID("RS-TRUST-008"), func(ctx SpecContext) {
			s.expectRefused(ctx, forged(s.needTrustedJWT(ctx).Unsigned()),
				"a token with alg none must be refused with 401, whatever issuer it names")
		})

		It("refuses an access token MACed with its trusted issuer's public key (HS256 confusion)", check.ID("RS-TRUST-009"), func(ctx SpecContext) {
			token := s.needTrustedJWT(ctx)
			published, err := s.PublishedKey(ctx, s.trust.issuer.JWKSURL(), token.KeyID())
			check.Attach(published)
			Expect(err).NotTo(HaveOccurred(), "the trusted issuer's public key")
			s.expectRefused(ctx, forged(token.SignedBy(jose.HS256, published.PEM, false)),
				"a token MACed with its issuer's public key as HS256 secret must be refused with 401")
		})

		It("refuses an access token naming an issuer it trusts, signed by a key in its own header", check.ID("RS-TRUST-010"), func(ctx SpecContext) {
			s.expectRefused(ctx, forged(s.needTrustedJWT(ctx).SignedByAttacker(true)),
				"a token verified only by the jwk in its own header must be refused with 401, whatever issuer it names")
		})

		It("refuses an access token without the scope it requires", check.ID("RS-TRUST-007"), func(ctx SpecContext) {
			accepted, token := s.needScopelessToken(ctx)
			if accepted.Claims.Scope == "" {
				s.expectScopeNeededFurtherIn(ctx, token)
				return
			}
			resp := check.Require(s.CallMCP(ctx, "Bearer "+token))
			Expect(resp.Status).To(BeElementOf(http.StatusUnauthorized, http.StatusForbidden),
				"an access token without the scope %q the server asked for must be refused", accepted.Claims.Scope)
		})

		It("answers a token without a scope it needs with 403 insufficient_scope", check.ID("RS-TRUST-011"), func(ctx SpecContext) {
			_, token := s.needScopelessToken(ctx)
			where := "every request"
			resp := check.Require(s.CallMCP(ctx, "Bearer "+token))
			if resp.Status/100 == 2 {
				// The scope is needed further in, if anywhere.
				var ran *mockclient.Response
				if resp, ran, where = s.scopeRefusalFurtherIn(ctx, token); ran != nil {
					Skip(check.PrerequisitePrefix + "the token without scope was served everywhere (RS-TRUST-007 judges that)")
				}
			}
			Expect(resp.Status).To(Equal(http.StatusForbidden),
				"a valid token without the scope %s needs must be answered 403 (RFC 6750 §3.1, MCP error handling); the MCP endpoint answered %d",
				where, resp.Status)
			challenge, err := mockclient.ParseBearerChallenge(resp.Header.Values("WWW-Authenticate"))
			Expect(err == nil && challenge.Params["error"] == "insufficient_scope").To(BeTrue(),
				`the 403 for a token short of the scope %s needs must carry a Bearer challenge with error="insufficient_scope" `+
					"(RFC 6750 §3.1, MCP step-up); the MCP endpoint sent WWW-Authenticate %q", where, resp.Header.Values("WWW-Authenticate"))
		})
	})
}

// expectScopeNeededFurtherIn judges a server that served initialize to a
// token without scope although it names one it needs: MCP lets it need the
// scope per operation (a 403 insufficient_scope at runtime), so the token
// must be refused where the scope is needed (scopeRefusalFurtherIn).
func (s *Session) expectScopeNeededFurtherIn(ctx SpecContext, token string) {
	GinkgoHelper()
	if _, ran, _ := s.scopeRefusalFurtherIn(ctx, token); ran != nil {
		Fail(fmt.Sprintf("%s, which needs %s, ran for a token without any scope (%d): a token without the scope an operation "+
			"needs must be refused there (401, or 403 insufficient_scope)", s.stepUpProbe.Tool, s.stepUpProbe.Scope, ran.Status))
	}
}

// scopeRefusalFurtherIn follows a token without scope that initialize
// served into an MCP session: to tools/list, then to the step-up tool,
// which needs a scope the token lacks. It returns the first refusal and
// where it came, or else the step-up tool's answer as ran; it skips the
// check, not run, where nothing shows where the scope is needed.
func (s *Session) scopeRefusalFurtherIn(ctx SpecContext, token string) (refusal, ran *mockclient.Response, where string) {
	GinkgoHelper()
	conversation, err := s.openMCP(ctx, "Bearer "+token)
	defer check.Attach(conversation)
	var tools []string
	if err == nil {
		tools, err = conversation.ToolNames(ctx)
	}
	if last := conversation.last(); refused(last) {
		return last, nil, "the MCP session"
	}
	if err != nil {
		Skip(check.NotRunPrefix + "the MCP session with a token without scope went no further: " + err.Error())
	}
	if !slices.Contains(tools, s.stepUpProbe.Tool) {
		Skip(check.NotRunPrefix + "the server served a token without any scope for initialize and tools/list, and lists no " +
			s.stepUpProbe.Tool + " tool known to need " + s.stepUpProbe.Scope + ": where it needs the scope it names cannot " +
			"be probed (name such a tool with --step-up-tool and --step-up-scope)")
	}
	call, err := conversation.CallTool(ctx, s.stepUpProbe.Tool, s.stepUpProbe.Arguments)
	switch {
	case err != nil:
		Skip(check.NotRunPrefix + "calling " + s.stepUpProbe.Tool + " with a token without scope: " + err.Error())
	case call.Status/100 == 2:
		return nil, call, ""
	case !refused(call):
		Skip(fmt.Sprintf("%s%s answered %d to a token without scope: neither served nor refused for its token",
			check.NotRunPrefix, s.stepUpProbe.Tool, call.Status))
	}
	return call, nil, s.stepUpProbe.Tool
}

// refused reports whether the MCP endpoint refused a request for its
// token: 401 or 403.
func refused(resp *mockclient.Response) bool {
	return resp != nil && (resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden)
}

// needTrustedIssuer skips the check when no trusted issuer is configured,
// saying how to configure one, and when the MCP endpoint does not check
// tokens at all.
func (s *Session) needTrustedIssuer(ctx SpecContext) {
	if !s.trust.Configured() {
		Skip(check.NotRunPrefix + TrustHint())
	}
	resp := check.Need(s.discovery.Unauthenticated(ctx))
	if resp.Status != http.StatusUnauthorized {
		Skip(check.PrerequisitePrefix + "the MCP endpoint serves requests without a token")
	}
}

// needTrustedToken is the trusted issuer's token the endpoint serves.
func (s *Session) needTrustedToken(ctx SpecContext) *trustedToken {
	s.needTrustedIssuer(ctx)
	return check.Need(s.trustedToken(ctx))
}

// needScopelessToken is the accepted trusted token minted again without
// scope; not run where the server names no scope it requires.
func (s *Session) needScopelessToken(ctx SpecContext) (accepted *trustedToken, scopeless string) {
	GinkgoHelper()
	accepted = s.needTrustedToken(ctx)
	if !accepted.ScopeRequired {
		Skip(check.NotRunPrefix + "the server names no scope it requires, in its 401 challenge or a 403")
	}
	claims := accepted.Claims
	claims.Scope = ""
	scopeless, err := s.trust.issuer.Mint(claims)
	Expect(err).NotTo(HaveOccurred(), "minting the token")
	return accepted, scopeless
}

// needTrustedJWT is the accepted trusted token, split to forge from.
func (s *Session) needTrustedJWT(ctx SpecContext) *issuedJWT {
	GinkgoHelper()
	minted, err := s.trust.issuer.Mint(s.needTrustedToken(ctx).Claims)
	Expect(err).NotTo(HaveOccurred(), "minting the token")
	token, ok := parseIssuedJWT(minted)
	Expect(ok).To(BeTrue(), "the minted token is a JWT")
	return token
}

// expectClaimsRefused presents the accepted token's claims, edited, and
// requires the token refused with 401.
func (s *Session) expectClaimsRefused(ctx SpecContext, requirement string, edit func(*testissuer.Token)) {
	GinkgoHelper()
	claims := s.needTrustedToken(ctx).Claims
	edit(&claims)
	token, err := s.trust.issuer.Mint(claims)
	Expect(err).NotTo(HaveOccurred(), "minting the token")
	s.expectRefused(ctx, token, requirement)
}
