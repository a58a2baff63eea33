package mockserver_test

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

// postIntrospection posts token to the introspection endpoint; authenticate sets
// the caller's credentials.
func postIntrospection(s *mockserver.Server, token string, authenticate func(*http.Request)) answer {
	GinkgoHelper()
	return postIntrospectionForm(s, url.Values{"token": {token}}, authenticate)
}

func postIntrospectionForm(s *mockserver.Server, form url.Values, authenticate func(*http.Request)) answer {
	GinkgoHelper()
	req, err := http.NewRequest(http.MethodPost, s.IssuerURL()+"/introspect", strings.NewReader(form.Encode()))
	Expect(err).NotTo(HaveOccurred())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	authenticate(req)
	return do(client, req)
}

func asResourceServer(s *mockserver.Server) func(*http.Request) {
	return func(req *http.Request) {
		id, secret := mockserver.ResourceServerCredentials(s)
		req.SetBasicAuth(id, secret)
	}
}

func anonymously(*http.Request) {}

func tokenOf(s *mockserver.Server, scopes ...string) string {
	GinkgoHelper()
	return strings.TrimPrefix(bearer(s, scopes...), "Bearer ")
}

func init() {
	faultChecks[fault.ASIntrospectionUnauthenticated] = func(*mockserver.Server) {
		for _, faults := range [][]fault.Name{nil, {fault.ASIntrospectionUnauthenticated}} {
			s := start(mockserver.WithOpaqueTokens(), mockserver.WithFaults(faults...))
			a := postIntrospection(s, tokenOf(s), anonymously)
			if faults == nil {
				Expect(a.status).To(Equal(http.StatusUnauthorized))
			} else {
				Expect(a.status).To(Equal(http.StatusOK))
				Expect(a.json()).To(HaveKeyWithValue("active", true))
			}
		}
	}
	faultChecks[fault.ASIntrospectionRevokedActive] = func(*mockserver.Server) {
		for _, faults := range [][]fault.Name{nil, {fault.ASIntrospectionRevokedActive}} {
			s := start(mockserver.WithOpaqueTokens(), mockserver.WithFaults(faults...))
			token := tokenOf(s)
			Expect(mockserver.RevokeAccessToken(s, token)).To(Succeed())
			active := faults != nil
			Expect(postIntrospection(s, token, asResourceServer(s)).json()).To(HaveKeyWithValue("active", active))
			status := http.StatusUnauthorized
			if active {
				status = http.StatusOK // the resource server trusts the answer
			}
			Expect(postMCP(s, "Bearer "+token).status).To(Equal(status))
		}
	}
}

var _ = Describe("opaque tokens", func() {
	var s *mockserver.Server
	BeforeEach(func() { s = start(mockserver.WithOpaqueTokens()) })

	It("are checked by introspection and serve the SDK client", func(ctx SpecContext) {
		token := tokenOf(s)
		Expect(token).NotTo(ContainSubstring("."))
		session := connectSDK(ctx, s, "Bearer "+token)
		Expect(callText(ctx, session, "echo", map[string]any{"text": "hello"})).To(Equal("hello"))
		Expect(s.Events()).To(ContainElement(And(
			HaveField("Method", http.MethodPost), HaveField("Path", "/oauth/introspect"), HaveField("Status", http.StatusOK))))

		a := postRPC(s, "Bearer "+token, writeNoteCall)
		Expect(a.status).To(Equal(http.StatusForbidden))
		Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(stepUpChallenge(s)))
		stepped := connectSDK(ctx, s, "Bearer "+tokenOf(s, "mcp:tools", "mcp:write"))
		Expect(callText(ctx, stepped, "write_note", map[string]any{"text": "hi"})).To(Equal("noted: hi"))
	}, NodeTimeout(specTimeout))

	DescribeTable("are refused with 401 invalid_token when",
		func(forge func(*mockserver.Server) string) {
			a := postMCP(s, "Bearer "+forge(s))
			Expect(a.status).To(Equal(http.StatusUnauthorized))
			Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(invalidTokenChallenge(s, spec.Latest)))
		},
		Entry("unknown", func(*mockserver.Server) string { return "never-issued" }),
		Entry("revoked", func(s *mockserver.Server) string {
			token := tokenOf(s)
			Expect(mockserver.RevokeAccessToken(s, token)).To(Succeed())
			return token
		}),
		Entry("expired", func(s *mockserver.Server) string {
			token := tokenOf(s)
			Expect(mockserver.ExpireAccessToken(s, token)).To(Succeed())
			return token
		}),
		Entry("for another audience", func(s *mockserver.Server) string {
			token, err := mockserver.IssueAccessToken(s, []string{"https://other.example.com/mcp"}, "mcp:tools")
			Expect(err).NotTo(HaveOccurred())
			return token
		}),
	)

	It("are introspected over HTTPS under WithTLS", func() {
		s := start(mockserver.WithOpaqueTokens(), mockserver.WithTLS())
		Expect(s.IssuerURL()).To(HavePrefix("https://"))
		Expect(do(trusting(s), mcpRequest(s, bearer(s))).status).To(Equal(http.StatusOK))
	})

	It("under rs.accept-any-audience, serve a token for another audience", func() {
		s := start(mockserver.WithOpaqueTokens(), mockserver.WithFaults(fault.RSAcceptAnyAudience))
		token, err := mockserver.IssueAccessToken(s, []string{"https://other.example.com/mcp"}, "mcp:tools")
		Expect(err).NotTo(HaveOccurred())
		Expect(postMCP(s, "Bearer "+token).status).To(Equal(http.StatusOK))
	})
})

var _ = Describe("token introspection", func() {
	It("is advertised and serves JWT access tokens too", func() {
		s := start()
		Expect(get(asURLs(s)[0]).json()).To(HaveKeyWithValue("introspection_endpoint", s.IssuerURL()+"/introspect"))
		token := tokenOf(s)
		Expect(postIntrospection(s, token, asResourceServer(s)).json()).To(HaveKeyWithValue("active", true))
		Expect(mockserver.RevokeAccessToken(s, token)).To(Succeed())
		Expect(postIntrospection(s, token, asResourceServer(s)).json()).To(Equal(map[string]any{"active": false}))
	})

	It("lets any confidential client introspect, authenticated as at the token endpoint", func() {
		s := startAS()
		token := tokenOf(s)
		Expect(postIntrospection(s, token, basicAuth(basicApp, basicSecret)).json()).To(HaveKeyWithValue("active", true))
		asPost := url.Values{"token": {token}, "client_id": {postApp}, "client_secret": {postSecret}}
		Expect(postIntrospectionForm(s, asPost, anonymously).json()).To(HaveKeyWithValue("active", true))

		for _, refused := range []answer{
			postIntrospectionForm(s, url.Values{"token": {token}, "client_id": {publicApp}}, anonymously),
			postIntrospection(s, token, basicAuth(postApp, postSecret)), // not the method it registered
		} {
			Expect(refused.status).To(Equal(http.StatusUnauthorized))
			Expect(refused.json()).To(HaveKeyWithValue("error", "invalid_client"))
		}
	})

	Context("with opaque tokens", func() {
		var s *mockserver.Server
		BeforeEach(func() { s = start(mockserver.WithOpaqueTokens()) })

		DescribeTable("refuses a caller that is not an authenticated confidential client with 401 invalid_client",
			func(authenticate func(s *mockserver.Server) func(*http.Request)) {
				a := postIntrospection(s, tokenOf(s), authenticate(s))
				Expect(a.status).To(Equal(http.StatusUnauthorized))
				Expect(a.header.Get("WWW-Authenticate")).To(HavePrefix("Basic "))
				Expect(a.json()).To(HaveKeyWithValue("error", "invalid_client"))
			},
			Entry("no credentials", func(*mockserver.Server) func(*http.Request) { return anonymously }),
			Entry("a wrong secret", func(*mockserver.Server) func(*http.Request) {
				return func(req *http.Request) { req.SetBasicAuth("mcpconform-resource-server", "guess") }
			}),
			Entry("another client", func(s *mockserver.Server) func(*http.Request) {
				_, secret := mockserver.ResourceServerCredentials(s)
				return func(req *http.Request) { req.SetBasicAuth("mcpconform-reference", secret) }
			}),
		)

		It("refuses the right credentials in the form (client_secret_post)", func() {
			id, secret := mockserver.ResourceServerCredentials(s)
			form := url.Values{"token": {tokenOf(s)}, "client_id": {id}, "client_secret": {secret}}
			Expect(postIntrospectionForm(s, form, anonymously).status).To(Equal(http.StatusUnauthorized))
		})

		It("describes an active token (RFC 7662 §2.2)", func() {
			token := tokenOf(s)
			a := postIntrospection(s, token, asResourceServer(s))
			Expect(a.status).To(Equal(http.StatusOK))
			Expect(a.header.Get("Content-Type")).To(Equal("application/json"))
			Expect(a.header.Get("Cache-Control")).To(Equal("no-store"))
			doc := a.json()
			Expect(doc).To(HaveLen(9))
			Expect(doc).To(HaveKeyWithValue("active", true))
			Expect(doc).To(HaveKeyWithValue("scope", "mcp:tools"))
			Expect(doc).To(HaveKeyWithValue("client_id", "mcpconform-reference"))
			Expect(doc).To(HaveKeyWithValue("sub", "mcpconform-reference"))
			Expect(doc).To(HaveKeyWithValue("aud", s.MCPURL()))
			Expect(doc).To(HaveKeyWithValue("iss", s.IssuerURL()))
			Expect(doc).To(HaveKeyWithValue("token_type", "Bearer"))
			Expect(doc["exp"]).To(BeNumerically("~", time.Now().Add(5*time.Minute).Unix(), 5))
			Expect(doc["iat"]).To(BeNumerically("~", time.Now().Unix(), 5))
		})

		DescribeTable("answers only active false for",
			func(forge func(*mockserver.Server) string) {
				a := postIntrospection(s, forge(s), asResourceServer(s))
				Expect(a.status).To(Equal(http.StatusOK))
				Expect(a.json()).To(Equal(map[string]any{"active": false}))
			},
			Entry("an unknown token", func(*mockserver.Server) string { return "never-issued" }),
			Entry("an expired token", func(s *mockserver.Server) string {
				token := tokenOf(s)
				Expect(mockserver.ExpireAccessToken(s, token)).To(Succeed())
				return token
			}),
			Entry("a revoked token", func(s *mockserver.Server) string {
				token := tokenOf(s)
				Expect(mockserver.RevokeAccessToken(s, token)).To(Succeed())
				return token
			}),
			Entry("a JWT naming a known token but signed by another key", func(s *mockserver.Server) string {
				return signedWith(jose.ES256, attackerKey(), jose.SignerOptions{}, accessClaims{Claims: jwt.Claims{ID: tokenOf(s)}})
			}),
		)

		It("reads the jti of a JWT it signed", func() {
			token := signedByServer(s, accessClaims{Claims: jwt.Claims{ID: tokenOf(s)}})
			Expect(postIntrospection(s, token, asResourceServer(s)).json()).To(HaveKeyWithValue("active", true))
		})

		It("answers a request without a token with 400 invalid_request", func() {
			a := postIntrospection(s, "", asResourceServer(s))
			Expect(a.status).To(Equal(http.StatusBadRequest))
			Expect(a.json()).To(HaveKeyWithValue("error", "invalid_request"))
		})
	})
})
