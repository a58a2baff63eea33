package mockserver_test

import (
	"encoding/base64"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

func tokenURL(s *mockserver.Server) string { return s.IssuerURL() + "/token" }

// postToken sends a token request; edits add credentials or bend the request.
func postToken(s *mockserver.Server, form url.Values, edits ...func(*http.Request)) answer {
	GinkgoHelper()
	req, err := http.NewRequest(http.MethodPost, tokenURL(s), strings.NewReader(form.Encode()))
	Expect(err).NotTo(HaveOccurred())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, edit := range edits {
		edit(req)
	}
	return do(client, req)
}

// basicAuth sends client_secret_basic credentials, form-encoded first.
func basicAuth(id, secret string) func(*http.Request) {
	return func(req *http.Request) { req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret)) }
}

// codeForm redeems a code; a public client is identified by client_id.
func codeForm(clientID, code, verifier string) url.Values {
	return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {callbackURL},
		"code_verifier": {verifier}, "client_id": {clientID}}
}

func refreshForm(clientID, refreshToken string) url.Values {
	return url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}, "client_id": {clientID}}
}

func ccForm() url.Values { return url.Values{"grant_type": {"client_credentials"}} }

// with returns form with one parameter set, or removed without values.
func with(form url.Values, name string, values ...string) url.Values {
	out := maps.Clone(form)
	if len(values) == 0 {
		delete(out, name)
	} else {
		out[name] = values
	}
	return out
}

// expectNoStore checks the headers every token endpoint answer carries.
func expectNoStore(a answer) {
	GinkgoHelper()
	Expect(a.header.Get("Content-Type")).To(Equal("application/json"))
	Expect(a.header.Get("Cache-Control")).To(Equal("no-store"))
	Expect(a.header.Get("Pragma")).To(Equal("no-cache"))
}

// expectTokens checks a successful token response and returns it.
func expectTokens(a answer) map[string]any {
	GinkgoHelper()
	Expect(a.status).To(Equal(http.StatusOK), string(a.body))
	expectNoStore(a)
	doc := a.json()
	Expect(doc).To(HaveKeyWithValue("token_type", "Bearer"))
	Expect(doc).To(HaveKeyWithValue("expires_in", float64(300)))
	Expect(doc).To(HaveKeyWithValue("access_token", Not(BeEmpty())))
	return doc
}

// expectTokenError checks an RFC 6749 §5.2 error answer.
func expectTokenError(a answer, status int, code string) {
	GinkgoHelper()
	Expect(a.status).To(Equal(status), string(a.body))
	expectNoStore(a)
	doc := a.json()
	Expect(doc).To(HaveKeyWithValue("error", code))
	Expect(doc).To(HaveKeyWithValue("error_description", HavePrefix("mockserver: ")))
	if status == http.StatusUnauthorized {
		Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(`Basic realm="mcpconform"`))
	} else {
		Expect(a.header.Values("WWW-Authenticate")).To(BeEmpty())
	}
}

func accessTokenOf(doc map[string]any) string { return doc["access_token"].(string) }

func refreshTokenOf(doc map[string]any) string {
	GinkgoHelper()
	Expect(doc).To(HaveKeyWithValue("refresh_token", Not(BeEmpty())))
	return doc["refresh_token"].(string)
}

// redeem redeems a code of publicApp and returns the access token.
func redeem(s *mockserver.Server, code, verifier string) string {
	GinkgoHelper()
	return accessTokenOf(expectTokens(postToken(s, codeForm(publicApp, code, verifier))))
}

// publicTokens runs publicApp through the code flow.
func publicTokens(s *mockserver.Server) map[string]any {
	GinkgoHelper()
	a := newAuthRequest(publicApp)
	return expectTokens(postToken(s, codeForm(publicApp, a.code(s), a.verifier)))
}

// clientAssertion is a valid private_key_jwt assertion of jwtApp, edited.
func clientAssertion(s *mockserver.Server, edit func(*jwt.Claims)) string {
	GinkgoHelper()
	now := time.Now()
	claims := jwt.Claims{
		Issuer: jwtApp, Subject: jwtApp, Audience: jwt.Audience{tokenURL(s)},
		IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(time.Minute)), ID: oauth2.GenerateVerifier(),
	}
	edit(&claims)
	return signAssertion(jose.ES256, jose.JSONWebKey{Key: clientKey, KeyID: clientKeyID}, claims)
}

func signAssertion(alg jose.SignatureAlgorithm, key jose.JSONWebKey, claims jwt.Claims) string {
	GinkgoHelper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, nil)
	Expect(err).NotTo(HaveOccurred())
	token, err := jwt.Signed(signer).Claims(claims).Serialize()
	Expect(err).NotTo(HaveOccurred())
	return token
}

func withAssertion(form url.Values, assertion string) url.Values {
	out := maps.Clone(form)
	out.Set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
	out.Set("client_assertion", assertion)
	return out
}

func unchangedClaims(*jwt.Claims) {}

var _ = Describe("the token endpoint", func() {
	var s *mockserver.Server
	BeforeEach(func() { s = startAS() })

	Context("authenticating clients", func() {
		It("accepts client_secret_basic with form-encoded credentials from golang.org/x/oauth2", func(ctx SpecContext) {
			cfg := oauthConfig(s, basicApp, basicSecret, oauth2.AuthStyleInHeader)
			a := newAuthRequest(basicApp)
			token, err := cfg.Exchange(oauthContext(ctx), a.code(s), oauth2.VerifierOption(a.verifier))
			Expect(err).NotTo(HaveOccurred())
			Expect(claimsOf(token.AccessToken).ClientID).To(Equal(basicApp))
			expectServed(s, token.AccessToken)
		}, NodeTimeout(specTimeout))

		It("accepts client_secret_post from golang.org/x/oauth2", func(ctx SpecContext) {
			cfg := oauthConfig(s, postApp, postSecret, oauth2.AuthStyleInParams)
			a := newAuthRequest(postApp)
			token, err := cfg.Exchange(oauthContext(ctx), a.code(s), oauth2.VerifierOption(a.verifier))
			Expect(err).NotTo(HaveOccurred())
			expectServed(s, token.AccessToken)
		}, NodeTimeout(specTimeout))

		It("accepts a private_key_jwt assertion signed with the client's ES256 key", func() {
			a := newAuthRequest(jwtApp)
			form := with(codeForm(jwtApp, a.code(s), a.verifier), "client_id")
			doc := expectTokens(postToken(s, withAssertion(form, clientAssertion(s, unchangedClaims))))
			Expect(claimsOf(accessTokenOf(doc)).ClientID).To(Equal(jwtApp))
			expectServed(s, accessTokenOf(doc))

			issuerAudience := clientAssertion(s, func(c *jwt.Claims) { c.Audience = jwt.Audience{"x", s.IssuerURL()} })
			expectTokens(postToken(s, withAssertion(with(ccForm(), "client_id", jwtApp), issuerAudience)))
		})

		It("accepts each assertion once", func() {
			assertion := clientAssertion(s, unchangedClaims)
			expectTokens(postToken(s, withAssertion(ccForm(), assertion)))
			expectTokenError(postToken(s, withAssertion(ccForm(), assertion)), http.StatusUnauthorized, "invalid_client")
		})

		DescribeTable("refuses a bad client assertion with 401 invalid_client",
			func(assertion func(*mockserver.Server) string) {
				expectTokenError(postToken(s, withAssertion(ccForm(), assertion(s))), http.StatusUnauthorized, "invalid_client")
			},
			Entry("for another audience", func(s *mockserver.Server) string {
				return clientAssertion(s, func(c *jwt.Claims) { c.Audience = jwt.Audience{s.MCPURL()} })
			}),
			Entry("expired", func(s *mockserver.Server) string {
				return clientAssertion(s, func(c *jwt.Claims) { c.Expiry = jwt.NewNumericDate(time.Now().Add(-time.Minute)) })
			}),
			Entry("not yet valid", func(s *mockserver.Server) string {
				return clientAssertion(s, func(c *jwt.Claims) { c.NotBefore = jwt.NewNumericDate(time.Now().Add(time.Hour)) })
			}),
			Entry("without exp", func(s *mockserver.Server) string {
				return clientAssertion(s, func(c *jwt.Claims) { c.Expiry = nil })
			}),
			Entry("without jti", func(s *mockserver.Server) string {
				return clientAssertion(s, func(c *jwt.Claims) { c.ID = "" })
			}),
			Entry("issued by another party", func(s *mockserver.Server) string {
				return clientAssertion(s, func(c *jwt.Claims) { c.Issuer = basicApp })
			}),
			Entry("for another client", func(s *mockserver.Server) string {
				return clientAssertion(s, func(c *jwt.Claims) { c.Subject = basicApp })
			}),
			Entry("signed by a key the client did not register", func(s *mockserver.Server) string {
				claims := jwt.Claims{Issuer: jwtApp, Subject: jwtApp, Audience: jwt.Audience{tokenURL(s)},
					Expiry: jwt.NewNumericDate(time.Now().Add(time.Minute)), ID: "other-key"}
				return signAssertion(jose.ES256, jose.JSONWebKey{Key: newClientKey(), KeyID: clientKeyID}, claims)
			}),
			Entry("naming an unknown key", func(s *mockserver.Server) string {
				claims := jwt.Claims{Issuer: jwtApp, Subject: jwtApp, Audience: jwt.Audience{tokenURL(s)},
					Expiry: jwt.NewNumericDate(time.Now().Add(time.Minute)), ID: "unknown-kid"}
				return signAssertion(jose.ES256, jose.JSONWebKey{Key: clientKey, KeyID: "unknown"}, claims)
			}),
			Entry("signed with HS256", func(s *mockserver.Server) string {
				claims := jwt.Claims{Issuer: jwtApp, Subject: jwtApp, Audience: jwt.Audience{tokenURL(s)},
					Expiry: jwt.NewNumericDate(time.Now().Add(time.Minute)), ID: "hs256"}
				return signAssertion(jose.HS256, jose.JSONWebKey{Key: []byte(strings.Repeat("k", 32))}, claims)
			}),
			Entry("unsigned (alg none)", func(s *mockserver.Server) string {
				encode := func(v string) string { return base64.RawURLEncoding.EncodeToString([]byte(v)) }
				return encode(`{"alg":"none"}`) + "." + encode(`{"iss":"jwt-app","sub":"jwt-app","aud":"`+tokenURL(s)+`","exp":4102444800,"jti":"none"}`) + "."
			}),
			Entry("that is no JWT", func(*mockserver.Server) string { return "not-a-jwt" }),
		)

		It("refuses an unknown client_assertion_type, and an assertion without its type", func() {
			form := withAssertion(ccForm(), clientAssertion(s, unchangedClaims))
			expectTokenError(postToken(s, with(form, "client_assertion_type", "urn:example:other")), http.StatusUnauthorized, "invalid_client")
			expectTokenError(postToken(s, with(form, "client_assertion_type")), http.StatusBadRequest, "invalid_request")
		})

		DescribeTable("refuses a failed client authentication with 401 invalid_client and a Basic challenge",
			func(form url.Values, edits ...func(*http.Request)) {
				expectTokenError(postToken(s, form, edits...), http.StatusUnauthorized, "invalid_client")
			},
			Entry("a wrong secret in HTTP Basic", ccForm(), basicAuth(basicApp, "wrong")),
			Entry("a secret sent without form-encoding in HTTP Basic", ccForm(), func(req *http.Request) { req.SetBasicAuth(basicApp, basicSecret) }),
			Entry("a wrong client_secret", with(with(ccForm(), "client_id", postApp), "client_secret", "wrong")),
			Entry("an unknown client in HTTP Basic", ccForm(), basicAuth("nobody", "x")),
			Entry("an unknown client_id", with(ccForm(), "client_id", "nobody")),
			Entry("no client at all", ccForm()),
			Entry("client_secret_post from a client_secret_basic client", with(with(ccForm(), "client_id", basicApp), "client_secret", basicSecret)),
			Entry("no authentication from a client_secret_basic client", with(ccForm(), "client_id", basicApp)),
			Entry("HTTP Basic from a client_secret_post client", ccForm(), basicAuth(postApp, postSecret)),
			Entry("HTTP Basic from a public client", ccForm(), basicAuth(publicApp, "")),
			Entry("a secret from a private_key_jwt client", with(with(ccForm(), "client_id", jwtApp), "client_secret", "x")),
			Entry("another Authorization scheme", ccForm(), func(req *http.Request) { req.Header.Set("Authorization", "Bearer x") }),
		)

		It("takes an empty client_secret from a public client for none", func() {
			a := newAuthRequest(publicApp)
			expectTokens(postToken(s, with(codeForm(publicApp, a.code(s), a.verifier), "client_secret", "")))
		})

		It("refuses two authentication methods in one request", func() {
			form := with(with(ccForm(), "client_id", basicApp), "client_secret", basicSecret)
			expectTokenError(postToken(s, form, basicAuth(basicApp, basicSecret)), http.StatusBadRequest, "invalid_request")
		})

		It("refuses credentials in the request URI", func() {
			req, err := http.NewRequest(http.MethodPost, tokenURL(s)+"?client_secret="+postSecret,
				strings.NewReader(with(ccForm(), "client_id", postApp).Encode()))
			Expect(err).NotTo(HaveOccurred())
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			expectTokenError(do(client, req), http.StatusBadRequest, "invalid_request")
		})

		It("refuses a client_id that is not the client of the HTTP Basic credentials", func() {
			expectTokenError(postToken(s, with(ccForm(), "client_id", postApp), basicAuth(basicApp, basicSecret)),
				http.StatusBadRequest, "invalid_request")
		})
	})

	Context("reading requests", func() {
		It("takes only form POSTs", func() {
			req, err := http.NewRequest(http.MethodPost, tokenURL(s), strings.NewReader(`{"grant_type":"client_credentials"}`))
			Expect(err).NotTo(HaveOccurred())
			req.Header.Set("Content-Type", "application/json")
			expectTokenError(do(client, req), http.StatusBadRequest, "invalid_request")
			Expect(get(tokenURL(s) + "?grant_type=client_credentials").status).To(Equal(http.StatusMethodNotAllowed))
		})

		It("refuses unsupported and missing grant types", func() {
			password := url.Values{"grant_type": {"password"}, "username": {"u"}, "password": {"p"}}
			expectTokenError(postToken(s, password, basicAuth(basicApp, basicSecret)), http.StatusBadRequest, "unsupported_grant_type")
			expectTokenError(postToken(s, with(ccForm(), "grant_type"), basicAuth(basicApp, basicSecret)), http.StatusBadRequest, "invalid_request")
		})

		It("refuses a repeated parameter", func() {
			expectTokenError(postToken(s, with(ccForm(), "scope", "mcp:tools", "mcp:tools"), basicAuth(basicApp, basicSecret)),
				http.StatusBadRequest, "invalid_request")
		})

		It("refuses a grant the client did not register", func() {
			expectTokenError(postToken(s, refreshForm(codeOnlyApp, "x")), http.StatusBadRequest, "unauthorized_client")
			expectTokenError(postToken(s, codeForm(ccOnlyApp, "x", "y"), basicAuth(ccOnlyApp, ccSecret)), http.StatusBadRequest, "unauthorized_client")
		})
	})

	Context("redeeming authorization codes", func() {
		DescribeTable("refuses a redemption with 400 invalid_grant, leaving the code usable",
			func(clientID string, edit func(form url.Values, a *authRequest) url.Values) {
				a := newAuthRequest(clientID)
				code := a.code(s)
				form := codeForm(clientID, code, a.verifier)
				expectTokenError(postToken(s, edit(form, a)), http.StatusBadRequest, "invalid_grant")
				expectTokens(postToken(s, form))
			},
			Entry("without code_verifier", publicApp, func(form url.Values, _ *authRequest) url.Values {
				return with(form, "code_verifier")
			}),
			Entry("with another verifier", publicApp, func(form url.Values, _ *authRequest) url.Values {
				return with(form, "code_verifier", oauth2.GenerateVerifier())
			}),
			Entry("with the challenge as verifier", publicApp, func(form url.Values, a *authRequest) url.Values {
				return with(form, "code_verifier", a.params.Get("code_challenge"))
			}),
			Entry("from another client", publicApp, func(form url.Values, _ *authRequest) url.Values {
				return with(form, "client_id", twoRedirectsApp)
			}),
			Entry("with another registered redirect_uri", twoRedirectsApp, func(form url.Values, _ *authRequest) url.Values {
				return with(form, "redirect_uri", otherCallbackURL)
			}),
			Entry("without the redirect_uri of the authorization request", publicApp, func(form url.Values, _ *authRequest) url.Values {
				return with(form, "redirect_uri")
			}),
		)

		It("refuses a verifier outside the syntax even when it matches", func() {
			for _, verifier := range []string{"a", strings.Repeat("a", 129), strings.Repeat("a", 42) + "+"} {
				a := newAuthRequest(publicApp).with("code_challenge", oauth2.S256ChallengeFromVerifier(verifier))
				expectTokenError(postToken(s, codeForm(publicApp, a.code(s), verifier)), http.StatusBadRequest, "invalid_grant")
			}
		})

		It("binds each verifier to its own code", func() {
			first, second := newAuthRequest(publicApp), newAuthRequest(publicApp)
			firstCode, secondCode := first.code(s), second.code(s)
			expectTokenError(postToken(s, codeForm(publicApp, firstCode, second.verifier)), http.StatusBadRequest, "invalid_grant")
			expectTokenError(postToken(s, codeForm(publicApp, secondCode, first.verifier)), http.StatusBadRequest, "invalid_grant")
		})

		It("refuses a redirect_uri the authorization request did not send", func() {
			a := newAuthRequest(publicApp).with("redirect_uri")
			expectTokenError(postToken(s, codeForm(publicApp, a.code(s), a.verifier)), http.StatusBadRequest, "invalid_grant")
		})

		It("refuses unknown and expired codes", func() {
			expectTokenError(postToken(s, codeForm(publicApp, "unknown", oauth2.GenerateVerifier())), http.StatusBadRequest, "invalid_grant")
			a := newAuthRequest(publicApp)
			code := a.code(s)
			mockserver.ExpireGrants(s)
			expectTokenError(postToken(s, codeForm(publicApp, code, a.verifier)), http.StatusBadRequest, "invalid_grant")
		})

		It("keeps the audience within the resources authorized", func() {
			a := newAuthRequest(publicApp).with("resource", s.MCPURL())
			code := a.code(s)
			form := codeForm(publicApp, code, a.verifier)
			expectTokenError(postToken(s, with(form, "resource", "https://unrelated.example/")), http.StatusBadRequest, "invalid_target")
			expectTokenError(postToken(s, with(form, "resource", "relative")), http.StatusBadRequest, "invalid_target")
			token := accessTokenOf(expectTokens(postToken(s, with(form, "resource", s.MCPURL()))))
			Expect(claimsOf(token).Audience).To(ConsistOf(s.MCPURL()))
		})

		It("refuses a replayed code and revokes the tokens it gave", func() {
			a := newAuthRequest(publicApp)
			form := codeForm(publicApp, a.code(s), a.verifier)
			first := expectTokens(postToken(s, form))
			expectServed(s, accessTokenOf(first))

			expectTokenError(postToken(s, form), http.StatusBadRequest, "invalid_grant")
			expectRevoked(s, accessTokenOf(first))
			expectTokenError(postToken(s, refreshForm(publicApp, refreshTokenOf(first))), http.StatusBadRequest, "invalid_grant")
			expectTokenError(postToken(s, form), http.StatusBadRequest, "invalid_grant")
		})

		It("revokes the tokens refreshed from a replayed code too", func() {
			a := newAuthRequest(publicApp)
			form := codeForm(publicApp, a.code(s), a.verifier)
			first := expectTokens(postToken(s, form))
			refreshed := expectTokens(postToken(s, refreshForm(publicApp, refreshTokenOf(first))))
			expectTokenError(postToken(s, form), http.StatusBadRequest, "invalid_grant")
			expectRevoked(s, accessTokenOf(refreshed))
			expectTokenError(postToken(s, refreshForm(publicApp, refreshTokenOf(refreshed))), http.StatusBadRequest, "invalid_grant")
		})

		It("revokes nothing on a replay that fails for another reason", func() {
			a := newAuthRequest(publicApp)
			form := codeForm(publicApp, a.code(s), a.verifier)
			first := expectTokens(postToken(s, form))
			expectTokenError(postToken(s, with(form, "code_verifier", oauth2.GenerateVerifier())), http.StatusBadRequest, "invalid_grant")
			expectTokenError(postToken(s, with(form, "client_id", twoRedirectsApp)), http.StatusBadRequest, "invalid_grant")
			expectServed(s, accessTokenOf(first))
		})

		// A replay among the racers ends the grant, so even the one that
		// won may be refused when it records its tokens.
		It("redeems a code at most once however many requests race for it", func() {
			a := newAuthRequest(publicApp)
			body := codeForm(publicApp, a.code(s), a.verifier).Encode()
			var wg sync.WaitGroup
			statuses := make(chan int, 8)
			for range cap(statuses) {
				wg.Go(func() {
					defer GinkgoRecover()
					resp, err := client.Post(tokenURL(s), "application/x-www-form-urlencoded", strings.NewReader(body))
					Expect(err).NotTo(HaveOccurred())
					resp.Body.Close()
					statuses <- resp.StatusCode
				})
			}
			wg.Wait()
			close(statuses)
			var ok int
			for status := range statuses {
				if status == http.StatusOK {
					ok++
				} else {
					Expect(status).To(Equal(http.StatusBadRequest))
				}
			}
			Expect(ok).To(BeNumerically("<=", 1))
		})

		It("issues a refresh token only to a client that registered the grant", func() {
			a := newAuthRequest(codeOnlyApp)
			doc := expectTokens(postToken(s, codeForm(codeOnlyApp, a.code(s), a.verifier)))
			Expect(doc).NotTo(HaveKey("refresh_token"))
		})
	})

	Context("refreshing", func() {
		It("rotates a public client's refresh token and revokes the grant when an old one is reused", func(ctx SpecContext) {
			cfg := oauthConfig(s, publicApp, "", oauth2.AuthStyleInParams)
			a := newAuthRequest(publicApp)
			token, err := cfg.Exchange(oauthContext(ctx), a.code(s), oauth2.VerifierOption(a.verifier))
			Expect(err).NotTo(HaveOccurred())

			token.Expiry = time.Now().Add(-time.Minute) // makes the token source refresh
			refreshed, err := cfg.TokenSource(oauthContext(ctx), token).Token()
			Expect(err).NotTo(HaveOccurred())
			Expect(refreshed.AccessToken).NotTo(Equal(token.AccessToken))
			Expect(refreshed.RefreshToken).NotTo(BeEmpty())
			Expect(refreshed.RefreshToken).NotTo(Equal(token.RefreshToken))
			expectServed(s, refreshed.AccessToken)

			expectTokenError(postToken(s, refreshForm(publicApp, token.RefreshToken)), http.StatusBadRequest, "invalid_grant")
			expectTokenError(postToken(s, refreshForm(publicApp, refreshed.RefreshToken)), http.StatusBadRequest, "invalid_grant")
			expectRevoked(s, token.AccessToken)
			expectRevoked(s, refreshed.AccessToken)
		}, NodeTimeout(specTimeout))

		It("keeps a confidential client's refresh token", func() {
			a := newAuthRequest(basicApp)
			first := expectTokens(postToken(s, codeForm(basicApp, a.code(s), a.verifier), basicAuth(basicApp, basicSecret)))
			for range 2 {
				doc := expectTokens(postToken(s, refreshForm(basicApp, refreshTokenOf(first)), basicAuth(basicApp, basicSecret)))
				Expect(doc).NotTo(HaveKey("refresh_token"))
				expectServed(s, accessTokenOf(doc))
			}
		})

		It("refuses another client's refresh token", func() {
			refreshToken := refreshTokenOf(publicTokens(s))
			expectTokenError(postToken(s, refreshForm(twoRedirectsApp, refreshToken)), http.StatusBadRequest, "invalid_grant")
			expectTokens(postToken(s, refreshForm(publicApp, refreshToken)))
		})

		It("keeps scope and resources within the grant", func() {
			refreshToken := refreshTokenOf(publicTokens(s))
			form := refreshForm(publicApp, refreshToken)
			expectTokenError(postToken(s, with(form, "scope", "mcp:tools mcp:write")), http.StatusBadRequest, "invalid_scope")
			expectTokenError(postToken(s, with(form, "resource", "https://unrelated.example/")), http.StatusBadRequest, "invalid_target")
			doc := expectTokens(postToken(s, with(with(form, "scope", "mcp:tools"), "resource", s.MCPURL())))
			Expect(doc).To(HaveKeyWithValue("scope", "mcp:tools"))
			Expect(claimsOf(accessTokenOf(doc)).Audience).To(ConsistOf(s.MCPURL()))
		})

		It("refuses unknown and expired refresh tokens", func() {
			expectTokenError(postToken(s, refreshForm(publicApp, "unknown")), http.StatusBadRequest, "invalid_grant")
			refreshToken := refreshTokenOf(publicTokens(s))
			mockserver.ExpireGrants(s)
			expectTokenError(postToken(s, refreshForm(publicApp, refreshToken)), http.StatusBadRequest, "invalid_grant")
			expectTokenError(postToken(s, refreshForm(publicApp, "")), http.StatusBadRequest, "invalid_request")
		})
	})

	Context("granting client credentials", func() {
		It("issues a token to golang.org/x/oauth2 with HTTP Basic, without refresh token", func(ctx SpecContext) {
			cfg := clientcredentials.Config{ClientID: basicApp, ClientSecret: basicSecret, TokenURL: tokenURL(s),
				EndpointParams: url.Values{"resource": {s.MCPURL()}}, AuthStyle: oauth2.AuthStyleInHeader}
			token, err := cfg.Token(oauthContext(ctx))
			Expect(err).NotTo(HaveOccurred())
			Expect(token.RefreshToken).To(BeEmpty())
			claims := claimsOf(token.AccessToken)
			Expect(claims.Subject).To(Equal(basicApp))
			Expect(claims.Audience).To(ConsistOf(s.MCPURL()))
			Expect(claims.Scope).To(Equal("mcp:tools"))
			expectServed(s, token.AccessToken)
		}, NodeTimeout(specTimeout))

		It("issues a token to golang.org/x/oauth2 with client_secret_post", func(ctx SpecContext) {
			cfg := clientcredentials.Config{ClientID: postApp, ClientSecret: postSecret, TokenURL: tokenURL(s),
				Scopes: []string{"mcp:tools", "mcp:write"}, AuthStyle: oauth2.AuthStyleInParams}
			token, err := cfg.Token(oauthContext(ctx))
			Expect(err).NotTo(HaveOccurred())
			Expect(claimsOf(token.AccessToken).Scope).To(Equal("mcp:tools mcp:write"))
			expectServed(s, token.AccessToken)
		}, NodeTimeout(specTimeout))

		It("refuses a public client", func() {
			expectTokenError(postToken(s, with(ccForm(), "client_id", publicCCApp)), http.StatusBadRequest, "unauthorized_client")
		})

		It("refuses a scope beyond the client's registration and a resource it does not serve", func() {
			basic := basicAuth(basicApp, basicSecret)
			expectTokenError(postToken(s, with(ccForm(), "scope", "mcp:tools mcp:write"), basic), http.StatusBadRequest, "invalid_scope")
			expectTokenError(postToken(s, with(ccForm(), "resource", "https://unrelated.example/"), basic), http.StatusBadRequest, "invalid_target")
		})
	})

	It("serves machine clients alone under WithClientCredentialsOnly", func() {
		machine := startAS(mockserver.WithClientCredentialsOnly("private_key_jwt"), mockserver.WithRevision(spec.Latest))
		meta := get(machine.URLs()["authorization server metadata"]).json()
		Expect(meta).To(HaveKeyWithValue("grant_types_supported", ConsistOf("client_credentials")))
		Expect(meta).To(HaveKeyWithValue("token_endpoint_auth_methods_supported", ConsistOf("private_key_jwt")))
		Expect(meta).To(HaveKey("token_endpoint_auth_signing_alg_values_supported"))
		Expect(meta).NotTo(HaveKey("client_id_metadata_document_supported"))
		doc := expectTokens(postToken(machine, withAssertion(ccForm(), clientAssertion(machine, unchangedClaims))))
		expectServed(machine, accessTokenOf(doc))

		meta = get(startAS(mockserver.WithClientCredentialsOnly("client_secret_basic")).URLs()["authorization server metadata"]).json()
		Expect(meta).To(HaveKeyWithValue("token_endpoint_auth_methods_supported", ConsistOf("client_secret_basic")))
		Expect(meta).NotTo(HaveKey("token_endpoint_auth_signing_alg_values_supported"))
	})

	It("issues opaque tokens that the resource server accepts through introspection", func() {
		opaque := startAS(mockserver.WithOpaqueTokens())
		token := accessTokenOf(publicTokens(opaque))
		Expect(strings.Count(token, ".")).To(BeZero())
		expectServed(opaque, token)
	})

	It("logs each outcome without secrets", func() {
		var log strings.Builder
		logged := startAS(mockserver.WithRequestLog(&log))
		doc := publicTokens(logged)
		postToken(logged, ccForm(), basicAuth(basicApp, "not-the-secret"))
		Expect(log.String()).To(ContainSubstring("access token issued to client " + publicApp))
		Expect(log.String()).To(ContainSubstring("token request refused: invalid_client: wrong client secret"))
		for _, secret := range []string{accessTokenOf(doc), refreshTokenOf(doc), "not-the-secret"} {
			Expect(log.String()).NotTo(ContainSubstring(secret))
		}
	})
})

// tokenFaultChecks show, against the reference, what each token endpoint
// and PKCE fault changes.
var tokenFaultChecks = map[fault.Name]func(s *mockserver.Server){
	fault.ASPKCEOptional: func(s *mockserver.Server) {
		noChallenge := newAuthRequest(publicApp).with("code_challenge").with("code_challenge_method")
		reference := startAS()
		expectAuthorizationError(reference, noChallenge.callback(reference), "invalid_request")
		addOAuthClients(s)
		token := redeem(s, noChallenge.code(s), "")
		expectServed(s, token)
		// A verifier for that code is still refused: that is another fault.
		expectTokenError(postToken(s, codeForm(publicApp, noChallenge.code(s), oauth2.GenerateVerifier())), http.StatusBadRequest, "invalid_grant")
	},
	fault.ASPKCEAcceptPlain: func(s *mockserver.Server) {
		verifier := oauth2.GenerateVerifier()
		plain := newAuthRequest(publicApp).with("code_challenge", verifier).with("code_challenge_method", "plain")
		reference := startAS()
		expectAuthorizationError(reference, plain.callback(reference), "invalid_request")
		addOAuthClients(s)
		expectServed(s, redeem(s, plain.code(s), verifier))
		expectTokenError(postToken(s, codeForm(publicApp, plain.code(s), oauth2.GenerateVerifier())), http.StatusBadRequest, "invalid_grant")
	},
	fault.ASPKCEAcceptUnknownMethod: func(s *mockserver.Server) {
		a := newAuthRequest(publicApp)
		unknown := newAuthRequest(publicApp).with("code_challenge", a.params.Get("code_challenge")).with("code_challenge_method", "S512")
		reference := startAS()
		expectAuthorizationError(reference, unknown.callback(addOAuthClients(reference)), "invalid_request")
		addOAuthClients(s)
		expectServed(s, redeem(s, unknown.code(s), a.verifier))
		plain := newAuthRequest(publicApp).with("code_challenge", oauth2.GenerateVerifier()).with("code_challenge_method", "plain")
		expectAuthorizationError(s, plain.callback(s), "invalid_request")
	},
	fault.ASPKCEAdvertisedPlainRefused: func(s *mockserver.Server) {
		expectEachDocument(asURLs(s), asWith(s, func(doc map[string]any) {
			doc["code_challenge_methods_supported"] = []any{"S256", "plain"}
		}))
		plain := newAuthRequest(publicApp).with("code_challenge", oauth2.GenerateVerifier()).with("code_challenge_method", "plain")
		expectAuthorizationError(s, plain.callback(addOAuthClients(s)), "invalid_request")
	},
	fault.ASPKCEAcceptMissingVerifier: func(s *mockserver.Server) {
		reference := startAS()
		a := newAuthRequest(publicApp)
		expectTokenError(postToken(reference, codeForm(publicApp, a.code(reference), "")), http.StatusBadRequest, "invalid_grant")
		addOAuthClients(s)
		expectServed(s, redeem(s, a.code(s), ""))
		expectTokenError(postToken(s, codeForm(publicApp, a.code(s), oauth2.GenerateVerifier())), http.StatusBadRequest, "invalid_grant")
	},
	fault.ASPKCEAcceptVerifierWithoutChallenge: func(s *mockserver.Server) {
		// Alone it changes nothing: every request still needs a challenge.
		noChallenge := newAuthRequest(publicApp).with("code_challenge").with("code_challenge_method")
		expectAuthorizationError(s, noChallenge.callback(addOAuthClients(s)), "invalid_request")
		a := newAuthRequest(publicApp)
		redeem(s, a.code(s), a.verifier)

		optional := startAS(mockserver.WithFaults(fault.ASPKCEOptional))
		expectTokenError(postToken(optional, codeForm(publicApp, noChallenge.code(optional), a.verifier)), http.StatusBadRequest, "invalid_grant")
		downgraded := startAS(mockserver.WithFaults(fault.ASPKCEOptional, fault.ASPKCEAcceptVerifierWithoutChallenge))
		expectServed(downgraded, redeem(downgraded, noChallenge.code(downgraded), a.verifier))
	},
	fault.ASPKCEAcceptWrongVerifier: func(s *mockserver.Server) {
		reference := startAS()
		a := newAuthRequest(publicApp)
		wrong := oauth2.GenerateVerifier()
		expectTokenError(postToken(reference, codeForm(publicApp, a.code(reference), wrong)), http.StatusBadRequest, "invalid_grant")
		addOAuthClients(s)
		expectServed(s, redeem(s, a.code(s), wrong))
		expectTokenError(postToken(s, codeForm(publicApp, a.code(s), "short")), http.StatusBadRequest, "invalid_grant")
		expectTokenError(postToken(s, codeForm(publicApp, a.code(s), "")), http.StatusBadRequest, "invalid_grant")
	},
	fault.ASPKCEAcceptChallengeAsVerifier: func(s *mockserver.Server) {
		reference := startAS()
		a := newAuthRequest(publicApp)
		challenge := a.params.Get("code_challenge")
		expectTokenError(postToken(reference, codeForm(publicApp, a.code(reference), challenge)), http.StatusBadRequest, "invalid_grant")
		addOAuthClients(s)
		expectServed(s, redeem(s, a.code(s), challenge))
		expectTokenError(postToken(s, codeForm(publicApp, a.code(s), oauth2.GenerateVerifier())), http.StatusBadRequest, "invalid_grant")
	},
	fault.ASPKCEAcceptBadVerifierFormat: func(s *mockserver.Server) {
		reference := startAS()
		short := newAuthRequest(publicApp).with("code_challenge", oauth2.S256ChallengeFromVerifier("a"))
		expectTokenError(postToken(reference, codeForm(publicApp, short.code(reference), "a")), http.StatusBadRequest, "invalid_grant")
		addOAuthClients(s)
		expectServed(s, redeem(s, short.code(s), "a"))
		expectTokenError(postToken(s, codeForm(publicApp, short.code(s), "b")), http.StatusBadRequest, "invalid_grant")
	},
	fault.ASCodeAllowReplay: func(s *mockserver.Server) {
		reference := startAS()
		a := newAuthRequest(publicApp)
		form := codeForm(publicApp, a.code(reference), a.verifier)
		expectTokens(postToken(reference, form))
		expectTokenError(postToken(reference, form), http.StatusBadRequest, "invalid_grant")

		addOAuthClients(s)
		form = codeForm(publicApp, a.code(s), a.verifier)
		first := expectTokens(postToken(s, form))
		second := expectTokens(postToken(s, form))
		expectServed(s, accessTokenOf(first))
		expectServed(s, accessTokenOf(second))
	},
	fault.ASCodeNoRevokeOnReplay: func(s *mockserver.Server) {
		replay := func(s *mockserver.Server) string {
			a := newAuthRequest(publicApp)
			form := codeForm(publicApp, a.code(s), a.verifier)
			first := accessTokenOf(expectTokens(postToken(s, form)))
			expectTokenError(postToken(s, form), http.StatusBadRequest, "invalid_grant")
			return first
		}
		reference := startAS()
		expectRevoked(reference, replay(reference))
		expectServed(s, replay(addOAuthClients(s)))
	},
	fault.ASCodeNotClientBound: func(s *mockserver.Server) {
		stolen := func(s *mockserver.Server) answer {
			a := newAuthRequest(publicApp)
			return postToken(s, codeForm(twoRedirectsApp, a.code(s), a.verifier))
		}
		expectTokenError(stolen(startAS()), http.StatusBadRequest, "invalid_grant")
		doc := expectTokens(stolen(addOAuthClients(s)))
		Expect(claimsOf(accessTokenOf(doc)).ClientID).To(Equal(twoRedirectsApp))
	},
	fault.ASCodeReplayError500: func(s *mockserver.Server) {
		addOAuthClients(s)
		a := newAuthRequest(publicApp)
		form := codeForm(publicApp, a.code(s), a.verifier)
		first := accessTokenOf(expectTokens(postToken(s, form)))
		expectTokenError(postToken(s, form), http.StatusInternalServerError, "server_error")
		expectRevoked(s, first)
	},
	fault.ASRedirectUncheckedAtToken: func(s *mockserver.Server) {
		reference := startAS()
		a := newAuthRequest(twoRedirectsApp)
		redirected := func(s *mockserver.Server) answer {
			return postToken(s, with(codeForm(twoRedirectsApp, a.code(s), a.verifier), "redirect_uri", otherCallbackURL))
		}
		expectTokenError(redirected(reference), http.StatusBadRequest, "invalid_grant")
		expectTokens(redirected(addOAuthClients(s)))
	},
	fault.ASResourceIgnored: func(s *mockserver.Server) {
		reference := startAS()
		a := newAuthRequest(publicApp).with("resource", reference.MCPURL())
		Expect(claimsOf(redeem(reference, a.code(reference), a.verifier)).Audience).To(ConsistOf(reference.MCPURL()))
		addOAuthClients(s)
		a = newAuthRequest(publicApp).with("resource", s.MCPURL())
		token := redeem(s, a.code(s), a.verifier)
		Expect(claimsOf(token).Audience).To(ConsistOf(s.IssuerURL()))
		Expect(postMCP(s, "Bearer "+token).status).To(Equal(http.StatusUnauthorized))
	},
	fault.ASTokenNoCacheControl: func(s *mockserver.Server) {
		expectNoStore(postToken(startAS(), ccForm(), basicAuth(basicApp, basicSecret)))
		addOAuthClients(s)
		a := postToken(s, ccForm(), basicAuth(basicApp, basicSecret))
		Expect(a.status).To(Equal(http.StatusOK))
		Expect(a.header.Values("Cache-Control")).To(BeEmpty())
		Expect(a.header.Values("Pragma")).To(BeEmpty())
		expectTokenError(postToken(s, ccForm(), basicAuth(basicApp, "wrong")), http.StatusUnauthorized, "invalid_client")
	},
	fault.ASTokenRefuseCodes: func(s *mockserver.Server) {
		reference := startAS()
		a := newAuthRequest(publicApp)
		expectTokens(postToken(reference, codeForm(publicApp, a.code(reference), a.verifier)))
		addOAuthClients(s)
		form := codeForm(publicApp, a.code(s), a.verifier)
		for range 2 { // the same answer each time
			expectTokenError(postToken(s, form), http.StatusBadRequest, "invalid_grant")
		}
		expectTokens(postToken(s, ccForm(), basicAuth(basicApp, basicSecret)))
	},
	fault.ASRefreshNoRotation: func(s *mockserver.Server) {
		reference := startAS()
		refreshToken := refreshTokenOf(publicTokens(reference))
		refreshTokenOf(expectTokens(postToken(reference, refreshForm(publicApp, refreshToken))))
		expectTokenError(postToken(reference, refreshForm(publicApp, refreshToken)), http.StatusBadRequest, "invalid_grant")

		addOAuthClients(s)
		refreshToken = refreshTokenOf(publicTokens(s))
		for range 2 {
			Expect(expectTokens(postToken(s, refreshForm(publicApp, refreshToken)))).NotTo(HaveKey("refresh_token"))
		}
	},
	fault.ASRefreshAllowReuse: func(s *mockserver.Server) {
		addOAuthClients(s)
		refreshToken := refreshTokenOf(publicTokens(s))
		next := refreshTokenOf(expectTokens(postToken(s, refreshForm(publicApp, refreshToken))))
		Expect(next).NotTo(Equal(refreshToken))
		expectTokens(postToken(s, refreshForm(publicApp, refreshToken)))
		expectTokens(postToken(s, refreshForm(publicApp, next)))
	},
	fault.ASRefreshNotClientBound: func(s *mockserver.Server) {
		reference := startAS()
		stolen := func(s *mockserver.Server) answer {
			return postToken(s, refreshForm(twoRedirectsApp, refreshTokenOf(publicTokens(s))))
		}
		expectTokenError(stolen(reference), http.StatusBadRequest, "invalid_grant")
		doc := expectTokens(stolen(addOAuthClients(s)))
		Expect(claimsOf(accessTokenOf(doc)).ClientID).To(Equal(twoRedirectsApp))
	},
	fault.ASClientAcceptWrongSecret: func(s *mockserver.Server) {
		expectTokenError(postToken(startAS(), ccForm(), basicAuth(basicApp, "wrong")), http.StatusUnauthorized, "invalid_client")
		addOAuthClients(s)
		expectTokens(postToken(s, ccForm(), basicAuth(basicApp, "wrong")))
		expectTokens(postToken(s, with(with(ccForm(), "client_id", postApp), "client_secret", "wrong")))
		expectTokenError(postToken(s, with(ccForm(), "client_id", basicApp)), http.StatusUnauthorized, "invalid_client")
	},
	fault.ASClientAcceptOtherAuthMethod: func(s *mockserver.Server) {
		asPost := with(with(ccForm(), "client_id", basicApp), "client_secret", basicSecret)
		expectTokenError(postToken(startAS(), asPost), http.StatusUnauthorized, "invalid_client")
		addOAuthClients(s)
		expectTokens(postToken(s, asPost))
		expectTokens(postToken(s, with(ccForm(), "client_id", basicApp)))
		expectTokenError(postToken(s, with(asPost, "client_secret", "wrong")), http.StatusUnauthorized, "invalid_client")
	},
	fault.ASClientInvalidClient400: func(s *mockserver.Server) {
		expectTokenError(postToken(startAS(), ccForm(), basicAuth(basicApp, "wrong")), http.StatusUnauthorized, "invalid_client")
		addOAuthClients(s)
		expectTokenError(postToken(s, ccForm(), basicAuth(basicApp, "wrong")), http.StatusBadRequest, "invalid_client")
	},
	fault.ASCCWidenScope: func(s *mockserver.Server) {
		wide := with(ccForm(), "scope", "mcp:tools mcp:write admin")
		expectTokenError(postToken(startAS(), wide, basicAuth(basicApp, basicSecret)), http.StatusBadRequest, "invalid_scope")
		addOAuthClients(s)
		doc := expectTokens(postToken(s, wide, basicAuth(basicApp, basicSecret)))
		Expect(doc).To(HaveKeyWithValue("scope", "mcp:tools mcp:write admin"))
		Expect(claimsOf(accessTokenOf(doc)).Scope).To(Equal("mcp:tools mcp:write admin"))
	},
}

func init() { maps.Copy(faultChecks, tokenFaultChecks) }
