package mockserver_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

func mustOrigin(url string) string {
	GinkgoHelper()
	o, err := spec.Origin(url)
	Expect(err).NotTo(HaveOccurred())
	return o
}

func expectedASMetadata(rev spec.Revision, issuer string, openID bool) map[string]any {
	doc := map[string]any{
		"issuer":                                           issuer,
		"authorization_endpoint":                           issuer + "/authorize",
		"token_endpoint":                                   issuer + "/token",
		"registration_endpoint":                            issuer + "/register",
		"introspection_endpoint":                           issuer + "/introspect",
		"jwks_uri":                                         issuer + "/jwks",
		"response_types_supported":                         []any{"code"},
		"grant_types_supported":                            []any{"authorization_code", "refresh_token", "client_credentials"},
		"code_challenge_methods_supported":                 []any{"S256"},
		"token_endpoint_auth_methods_supported":            []any{"none", "client_secret_basic", "client_secret_post", "private_key_jwt"},
		"token_endpoint_auth_signing_alg_values_supported": []any{"ES256", "RS256"},
		"scopes_supported":                                 []any{"mcp:tools", "mcp:write"},
		"authorization_response_iss_parameter_supported":   true,
	}
	if rev.AtLeast(spec.Rev20251125) {
		doc["client_id_metadata_document_supported"] = true
	}
	if openID {
		doc["subject_types_supported"] = []any{"public"}
		doc["id_token_signing_alg_values_supported"] = []any{"ES256"}
	}
	return doc
}

func expectedPRM(s *mockserver.Server) map[string]any {
	return map[string]any{
		"resource":                 s.MCPURL(),
		"authorization_servers":    []any{s.IssuerURL()},
		"scopes_supported":         []any{"mcp:tools", "mcp:write"},
		"bearer_methods_supported": []any{"header"},
		"resource_name":            "mcpconform reference",
	}
}

func expectDocument(url string, want map[string]any) {
	GinkgoHelper()
	a := get(url)
	Expect(a.status).To(Equal(http.StatusOK), url)
	Expect(a.header.Get("Content-Type")).To(Equal("application/json"))
	Expect(a.json()).To(Equal(want))
}

// bearerTransport adds an access token to every request of the SDK client.
type bearerTransport struct{ authorization string }

func (t bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", t.authorization)
	return http.DefaultTransport.RoundTrip(req)
}

// protocolVersion is the MCP protocol a client of revision r speaks; the
// draft has no version string of its own, so the SDK's latest is used.
func protocolVersion(r spec.Revision) string {
	if r == spec.RevDraft {
		return ""
	}
	return string(r)
}

var _ = Describe("the reference target", func() {
	for _, rev := range spec.Revisions {
		Context("revision "+string(rev), func() {
			var s *mockserver.Server
			BeforeEach(func() { s = start(mockserver.WithRevision(rev)) })

			if rev.UsesProtectedResourceMetadata() {
				It("separates the resource server from a path issuer on its own origin", func() {
					mcpOrigin := mustOrigin(s.MCPURL())
					asOrigin := mustOrigin(s.IssuerURL())
					Expect(s.MCPURL()).To(MatchRegexp(`^http://127\.0\.0\.1:\d+/mcp$`))
					Expect(s.IssuerURL()).To(Equal(asOrigin + "/oauth"))
					Expect(asOrigin).NotTo(Equal(mcpOrigin))
				})

				It("serves protected resource metadata at the path-inserted and root URLs", func() {
					mcpOrigin := mustOrigin(s.MCPURL())
					expectDocument(mcpOrigin+prmSuffix+"/mcp", expectedPRM(s))
					expectDocument(mcpOrigin+prmSuffix, expectedPRM(s))
				})

				It("serves RFC 8414 metadata at the inserted URL of the issuer only", func() {
					asOrigin := mustOrigin(s.IssuerURL())
					expectDocument(asOrigin+rfc8414+"/oauth", expectedASMetadata(rev, s.IssuerURL(), false))
					Expect(get(s.IssuerURL() + rfc8414).status).To(Equal(http.StatusNotFound))
					Expect(get(asOrigin + rfc8414).status).To(Equal(http.StatusNotFound))
				})

				It("answers a request without a token with the metadata challenge", func() {
					a := postMCP(s, "")
					Expect(a.status).To(Equal(http.StatusUnauthorized))
					Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(
						fmt.Sprintf(`Bearer resource_metadata="%s%s/mcp", scope="mcp:tools"`, mustOrigin(s.MCPURL()), prmSuffix)))
				})
			} else {
				It("is its own authorization server at the MCP origin", func() {
					mcpOrigin := mustOrigin(s.MCPURL())
					Expect(s.MCPURL()).To(Equal(mcpOrigin + "/mcp"))
					Expect(s.IssuerURL()).To(Equal(mcpOrigin))
					expectDocument(mcpOrigin+rfc8414, expectedASMetadata(rev, mcpOrigin, false))
					Expect(get(mcpOrigin + prmSuffix).status).To(Equal(http.StatusNotFound))
					Expect(get(mcpOrigin + prmSuffix + "/mcp").status).To(Equal(http.StatusNotFound))
				})

				It("answers a request without a token with a realm challenge", func() {
					a := postMCP(s, "")
					Expect(a.status).To(Equal(http.StatusUnauthorized))
					Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(`Bearer realm="mcp"`))
				})
			}

			if rev.AllowsOpenIDDiscovery() {
				It("serves OpenID discovery appended to the issuer", func() {
					expectDocument(s.IssuerURL()+openIDSuffix, expectedASMetadata(rev, s.IssuerURL(), true))
				})
			} else {
				It("serves no OpenID discovery", func() {
					Expect(get(s.IssuerURL() + openIDSuffix).status).To(Equal(http.StatusNotFound))
				})
			}

			It("publishes the key that verifies its tokens", func() {
				a := get(s.IssuerURL() + "/jwks")
				Expect(a.status).To(Equal(http.StatusOK))
				Expect(a.header.Get("Content-Type")).To(Equal("application/json"))
				var set jose.JSONWebKeySet
				Expect(json.Unmarshal(a.body, &set)).To(Succeed())
				Expect(set.Keys).To(HaveLen(1))
				Expect(set.Keys[0].IsPublic()).To(BeTrue())

				token, err := s.MintAccessToken()
				Expect(err).NotTo(HaveOccurred())
				parsed, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256})
				Expect(err).NotTo(HaveOccurred())
				Expect(parsed.Headers[0].KeyID).To(Equal(set.Keys[0].KeyID))
				var claims struct {
					jwt.Claims
					Scope    string `json:"scope"`
					ClientID string `json:"client_id"`
				}
				Expect(parsed.Claims(set.Keys[0].Key, &claims)).To(Succeed())
				Expect(claims.Issuer).To(Equal(s.IssuerURL()))
				Expect(claims.Audience).To(ConsistOf(s.MCPURL()))
				Expect(claims.Scope).To(Equal("mcp:tools"))
				Expect(claims.ClientID).To(Equal("mcpconform-reference"))
				Expect(claims.ID).NotTo(BeEmpty())
				Expect(claims.Expiry.Time()).To(BeTemporally("~", time.Now().Add(5*time.Minute), 5*time.Second))
			})

			It("serves an MCP session to a client with a valid token", func(ctx SpecContext) {
				c := mcp.NewClient(&mcp.Implementation{Name: "mockserver-test", Version: "1"}, nil)
				transport := &mcp.StreamableClientTransport{
					Endpoint:             s.MCPURL(),
					HTTPClient:           &http.Client{Transport: bearerTransport{bearer(s)}, Timeout: 3 * time.Second},
					DisableStandaloneSSE: true,
					MaxRetries:           -1,
				}
				session, err := c.Connect(ctx, transport, &mcp.ClientSessionOptions{ProtocolVersion: protocolVersion(rev)})
				Expect(err).NotTo(HaveOccurred())
				defer session.Close()
				res, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{"text": "hello"}})
				Expect(err).NotTo(HaveOccurred())
				Expect(res.IsError).To(BeFalse())
				Expect(res.Content).To(HaveLen(1))
				Expect(res.Content[0].(*mcp.TextContent).Text).To(Equal("hello"))
			}, NodeTimeout(specTimeout))

			It("accepts the Bearer scheme in any case", func() {
				Expect(postMCP(s, "bEaReR "+bearer(s)[len("Bearer "):]).status).To(Equal(http.StatusOK))
			})

			It("treats another scheme as no credentials", func() {
				a := postMCP(s, "Basic dXNlcjpwYXNz")
				Expect(a.status).To(Equal(http.StatusUnauthorized))
				Expect(a.header.Get("WWW-Authenticate")).NotTo(ContainSubstring("error="))
			})

			DescribeTable("rejects a bad token with invalid_token",
				func(forge func(*mockserver.Server) string) {
					a := postMCP(s, "Bearer "+forge(s))
					Expect(a.status).To(Equal(http.StatusUnauthorized))
					Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(invalidTokenChallenge(s, rev)))
				},
				Entry("another audience", func(s *mockserver.Server) string {
					return sign(s, claimsFor(s, func(c *jwt.Claims) { c.Audience = jwt.Audience{"https://other.example.com/mcp"} }))
				}),
				Entry("expired", func(s *mockserver.Server) string {
					return sign(s, claimsFor(s, func(c *jwt.Claims) {
						c.IssuedAt = jwt.NewNumericDate(time.Now().Add(-time.Hour))
						c.Expiry = jwt.NewNumericDate(time.Now().Add(-time.Minute))
					}))
				}),
				Entry("no expiry", func(s *mockserver.Server) string {
					return sign(s, claimsFor(s, func(c *jwt.Claims) { c.Expiry = nil }))
				}),
				Entry("another issuer", func(s *mockserver.Server) string {
					return sign(s, claimsFor(s, func(c *jwt.Claims) { c.Issuer = "https://other.example.com" }))
				}),
				Entry("signed by another key", func(s *mockserver.Server) string {
					return signWithOtherKey(claimsFor(s, func(*jwt.Claims) {}))
				}),
				Entry("not a JWT", func(*mockserver.Server) string { return "not-a-jwt" }),
			)

			It("answers a token without the required scope with insufficient_scope", func() {
				a := postMCP(s, bearer(s, "other:scope"))
				Expect(a.status).To(Equal(http.StatusForbidden))
				want := `Bearer realm="mcp", error="insufficient_scope", scope="mcp:tools"`
				if rev.UsesProtectedResourceMetadata() {
					want = fmt.Sprintf(`Bearer error="insufficient_scope", resource_metadata="%s%s/mcp", scope="mcp:tools"`,
						mustOrigin(s.MCPURL()), prmSuffix)
				}
				Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(want))
			})
		})
	}
})

func invalidTokenChallenge(s *mockserver.Server, rev spec.Revision) string {
	if !rev.UsesProtectedResourceMetadata() {
		return `Bearer realm="mcp", error="invalid_token"`
	}
	return fmt.Sprintf(`Bearer error="invalid_token", resource_metadata="%s%s/mcp", scope="mcp:tools"`,
		mustOrigin(s.MCPURL()), prmSuffix)
}

// claimsFor is a valid token's claims, changed by edit.
func claimsFor(s *mockserver.Server, edit func(*jwt.Claims)) jwt.Claims {
	now := time.Now()
	c := jwt.Claims{
		Issuer:   s.IssuerURL(),
		Subject:  "mcpconform-reference",
		Audience: jwt.Audience{s.MCPURL()},
		IssuedAt: jwt.NewNumericDate(now),
		Expiry:   jwt.NewNumericDate(now.Add(time.Minute)),
		ID:       "test",
	}
	edit(&c)
	return c
}

func sign(s *mockserver.Server, c jwt.Claims) string {
	GinkgoHelper()
	token, err := mockserver.SignAccessToken(s, c, "mcp:tools")
	Expect(err).NotTo(HaveOccurred())
	return token
}

func signWithOtherKey(c jwt.Claims) string {
	GinkgoHelper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	Expect(err).NotTo(HaveOccurred())
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, nil)
	Expect(err).NotTo(HaveOccurred())
	token, err := jwt.Signed(signer).Claims(c).Claims(map[string]any{"scope": "mcp:tools"}).Serialize()
	Expect(err).NotTo(HaveOccurred())
	return token
}
