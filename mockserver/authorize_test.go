package mockserver_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"golang.org/x/oauth2"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

// The clients of the OAuth tests, registered ahead of time so that the
// tests need no registration endpoint. Their callbacks are loopback URLs
// nothing listens on: the user agent stops at the redirect.
const (
	callbackURL      = "http://127.0.0.1:7777/callback"
	otherCallbackURL = "http://127.0.0.1:7777/other"
	attackerCallback = "https://attacker.example/cb"

	publicApp        = "public-app"         // none; authorization_code and refresh_token
	twoRedirectsApp  = "two-redirects-app"  // like publicApp, with two redirect URIs
	queryRedirectApp = "query-redirect-app" // like publicApp, its redirect URI has a query
	codeOnlyApp      = "code-only-app"      // none; authorization_code only
	basicApp         = "basic-app"          // client_secret_basic; every grant; scope mcp:tools
	postApp          = "post-app"           // client_secret_post; every grant
	jwtApp           = "jwt-app"            // private_key_jwt (ES256); every grant
	ccOnlyApp        = "cc-only-app"        // client_secret_basic; client_credentials only
	publicCCApp      = "public-cc-app"      // none; client_credentials, which it may not use

	basicSecret = "basic secret+/:%" // needs form-encoding inside HTTP Basic
	postSecret  = "post-secret"
	ccSecret    = "cc-secret"
	clientKeyID = "client-key-1"
)

var (
	everyGrant = []string{"authorization_code", "refresh_token", "client_credentials"}
	clientKey  = newClientKey()
)

func newClientKey() *ecdsa.PrivateKey {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return key
}

func oauthClients() []mockserver.Client {
	jwks := &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &clientKey.PublicKey, KeyID: clientKeyID, Algorithm: "ES256", Use: "sig"}}}
	return []mockserver.Client{
		{ID: publicApp, RedirectURIs: []string{callbackURL}},
		{ID: twoRedirectsApp, RedirectURIs: []string{callbackURL, otherCallbackURL}},
		{ID: queryRedirectApp, RedirectURIs: []string{callbackURL + "?tenant=a"}},
		{ID: codeOnlyApp, RedirectURIs: []string{callbackURL}, GrantTypes: []string{"authorization_code"}},
		{ID: basicApp, Secret: basicSecret, RedirectURIs: []string{callbackURL}, GrantTypes: everyGrant, Scope: "mcp:tools"},
		{ID: postApp, Secret: postSecret, AuthMethod: "client_secret_post", RedirectURIs: []string{callbackURL}, GrantTypes: everyGrant},
		{ID: jwtApp, AuthMethod: "private_key_jwt", JWKS: jwks, RedirectURIs: []string{callbackURL}, GrantTypes: everyGrant},
		{ID: ccOnlyApp, Secret: ccSecret, RedirectURIs: []string{callbackURL}, GrantTypes: []string{"client_credentials"}},
		{ID: publicCCApp, GrantTypes: []string{"client_credentials"}},
	}
}

// startAS runs a server that knows the OAuth test clients.
func startAS(opts ...mockserver.Option) *mockserver.Server {
	GinkgoHelper()
	for _, c := range oauthClients() {
		opts = append(opts, mockserver.WithClient(c))
	}
	return start(opts...)
}

// addOAuthClients registers the OAuth test clients on a running server.
func addOAuthClients(s *mockserver.Server) *mockserver.Server {
	for _, c := range oauthClients() {
		mockserver.AddClient(s, c)
	}
	return s
}

// userAgent plays the browser. The authorization server answers at once
// with a redirect to the client's loopback callback, where the client would
// take over and nothing listens, or under a fault to a host that must not
// be reached: the user agent stops there.
var userAgent = &http.Client{
	Timeout:       3 * time.Second,
	Transport:     &http.Transport{DisableKeepAlives: true},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// oauthContext makes golang.org/x/oauth2 use a client with a deadline.
func oauthContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, client)
}

func oauthConfig(s *mockserver.Server, clientID, secret string, style oauth2.AuthStyle) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     clientID,
		ClientSecret: secret,
		Endpoint:     oauth2.Endpoint{AuthURL: s.IssuerURL() + "/authorize", TokenURL: s.IssuerURL() + "/token", AuthStyle: style},
		RedirectURL:  callbackURL,
		Scopes:       []string{"mcp:tools"},
	}
}

// authRequest is an authorization request with PKCE, edited by each test
// before it is sent.
type authRequest struct {
	verifier string
	params   url.Values
}

func newAuthRequest(clientID string) *authRequest {
	verifier := oauth2.GenerateVerifier()
	return &authRequest{verifier: verifier, params: url.Values{
		"response_type":         {"code"},
		"client_id":             {clientID},
		"redirect_uri":          {callbackURL},
		"state":                 {"state-1"},
		"code_challenge":        {oauth2.S256ChallengeFromVerifier(verifier)},
		"code_challenge_method": {"S256"},
	}}
}

// with sets a parameter, or removes it when given no value.
func (a *authRequest) with(name string, values ...string) *authRequest {
	if len(values) == 0 {
		a.params.Del(name)
	} else {
		a.params[name] = values
	}
	return a
}

func (a *authRequest) send(s *mockserver.Server) answer {
	GinkgoHelper()
	req, err := http.NewRequest(http.MethodGet, s.IssuerURL()+"/authorize?"+a.params.Encode(), nil)
	Expect(err).NotTo(HaveOccurred())
	return do(userAgent, req)
}

// callback sends the request and returns what the client's callback gets.
func (a *authRequest) callback(s *mockserver.Server) url.Values {
	GinkgoHelper()
	answer := a.send(s)
	Expect(answer.status).To(Equal(http.StatusFound), string(answer.body))
	location, err := url.Parse(answer.header.Get("Location"))
	Expect(err).NotTo(HaveOccurred())
	Expect(location.String()).To(HavePrefix(a.params.Get("redirect_uri")))
	return location.Query()
}

// code sends the request and returns the code it gets.
func (a *authRequest) code(s *mockserver.Server) string {
	GinkgoHelper()
	q := a.callback(s)
	Expect(q.Get("error")).To(BeEmpty(), q.Get("error_description"))
	Expect(q.Get("code")).NotTo(BeEmpty())
	return q.Get("code")
}

// expectAuthorizationError checks an error redirected to the client.
func expectAuthorizationError(s *mockserver.Server, q url.Values, code string) {
	GinkgoHelper()
	Expect(q.Get("error")).To(Equal(code), q.Get("error_description"))
	Expect(q.Get("error_description")).To(HavePrefix("mockserver: "))
	Expect(q.Get("state")).To(Equal("state-1"))
	Expect(q.Get("iss")).To(Equal(s.IssuerURL()))
	Expect(q.Has("code")).To(BeFalse())
}

// expectNoRedirect checks an error answered to the user, not redirected.
func expectNoRedirect(a answer) {
	GinkgoHelper()
	Expect(a.status).To(Equal(http.StatusBadRequest), string(a.body))
	Expect(a.header.Get("Location")).To(BeEmpty())
	Expect(a.header.Get("Content-Type")).To(HavePrefix("text/plain"))
	Expect(string(a.body)).To(HavePrefix("mockserver: "))
}

// tokenClaims reads an access token the test got from the server.
type tokenClaims struct {
	jwt.Claims
	Scope    string `json:"scope"`
	ClientID string `json:"client_id"`
}

func claimsOf(token string) tokenClaims {
	GinkgoHelper()
	parsed, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256})
	Expect(err).NotTo(HaveOccurred())
	var claims tokenClaims
	Expect(parsed.UnsafeClaimsWithoutVerification(&claims)).To(Succeed())
	return claims
}

// expectServed checks the MCP endpoint accepts the access token.
func expectServed(s *mockserver.Server, accessToken string) {
	GinkgoHelper()
	Expect(postMCP(s, "Bearer "+accessToken).status).To(Equal(http.StatusOK))
}

// expectRevoked checks the MCP endpoint refuses a revoked access token.
func expectRevoked(s *mockserver.Server, accessToken string) {
	GinkgoHelper()
	revoked, err := mockserver.AccessTokenRevoked(s, accessToken)
	Expect(err).NotTo(HaveOccurred())
	Expect(revoked).To(BeTrue())
	Expect(postMCP(s, "Bearer "+accessToken).status).To(Equal(http.StatusUnauthorized))
}

var _ = Describe("the authorization endpoint", func() {
	var s *mockserver.Server
	BeforeEach(func() { s = startAS() })

	It("sends iss without advertising it in the metadata with WithoutISSAdvertised", func() {
		quiet := startAS(mockserver.WithoutISSAdvertised())
		Expect(get(asURLs(quiet)[0]).json()).NotTo(HaveKey("authorization_response_iss_parameter_supported"))
		Expect(newAuthRequest(publicApp).callback(quiet)).To(HaveKeyWithValue("iss", []string{quiet.IssuerURL()}))
	})

	It("delivers an attacker's authorization response to a loopback redirect URI first with WithInjectedCallback", func() {
		received := make(chan url.Values, 2)
		client := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { received <- r.URL.Query() }))
		DeferCleanup(client.Close)
		injecting := startAS(mockserver.WithInjectedCallback())
		q := newAuthRequest(publicApp).with("redirect_uri", client.URL+"/callback").callback(injecting)
		Expect(q).To(HaveKey("code"))
		var injected url.Values
		Eventually(received).Should(Receive(&injected))
		Expect(injected.Get("code")).To(Equal(mockserver.InjectedCode))
		Expect(injected.Get("state")).NotTo(Equal("state-1"))
		Expect(newAuthRequest(publicApp).with("redirect_uri", client.URL+"/callback").callback(s)).To(HaveKey("code"))
		Consistently(received, "100ms").ShouldNot(Receive(), "without the option nothing is injected")
	})

	It("keeps knocking at a redirect URI that starts listening late with WithInjectedCallback", func() {
		reserved, err := net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		address := reserved.Addr().String()
		Expect(reserved.Close()).To(Succeed())
		received := make(chan url.Values, 2)
		go func() {
			time.Sleep(200 * time.Millisecond) // the client's listener comes up after the request left
			late, err := net.Listen("tcp", address)
			if err != nil {
				return
			}
			http.Serve(late, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { received <- r.URL.Query() }))
		}()
		injecting := startAS(mockserver.WithInjectedCallback())
		Expect(newAuthRequest(publicApp).with("redirect_uri", "http://"+address+"/callback").callback(injecting)).To(HaveKey("code"))
		var injected url.Values
		Eventually(received).Should(Receive(&injected))
		Expect(injected.Get("code")).To(Equal(mockserver.InjectedCode))
	})

	It("counts an injected response delivered when the client hangs up without answering it", func() {
		client := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close() // the client took the response and ended its flow
			}
		}))
		DeferCleanup(client.Close)
		injecting := startAS(mockserver.WithInjectedCallback(), mockserver.WithRequestCapture())
		newAuthRequest(publicApp).with("redirect_uri", client.URL+"/callback").callback(injecting)
		Expect(injecting.Requests()).To(ContainElement(HaveField("Decision", ContainSubstring(mockserver.InjectedDecision))))
	})

	It("delivers an attacker's error responses, forged state then none, first with WithInjectedErrorCallback", func() {
		received := make(chan url.Values, 3)
		client := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { received <- r.URL.Query() }))
		DeferCleanup(client.Close)
		injecting := startAS(mockserver.WithInjectedErrorCallback())
		Expect(newAuthRequest(publicApp).with("redirect_uri", client.URL+"/callback").callback(injecting)).To(HaveKey("code"))
		var forged, stateless url.Values
		Eventually(received).Should(Receive(&forged))
		Expect(forged.Get("error")).To(Equal("access_denied"))
		Expect(forged.Get("state")).To(HavePrefix("forged-"))
		Expect(forged).NotTo(HaveKey("code"))
		Expect(forged.Get("next")).To(Equal(mockserver.OpenRedirectBait), "bait for an open redirector")
		Eventually(received).Should(Receive(&stateless))
		Expect(stateless.Get("error")).To(Equal("access_denied"))
		Expect(stateless).NotTo(HaveKey("state"))
		Consistently(received, "100ms").ShouldNot(Receive())
	})

	It("delivers the first authorization response again before a later flow's answer with WithReplayedCallback", func() {
		received := make(chan url.Values, 2)
		client := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { received <- r.URL.Query() }))
		DeferCleanup(client.Close)
		replaying := startAS(mockserver.WithReplayedCallback())
		first := newAuthRequest(publicApp).with("redirect_uri", client.URL+"/callback").callback(replaying)
		Consistently(received, "100ms").ShouldNot(Receive(), "nothing to replay in the first flow")
		second := newAuthRequest(publicApp).with("redirect_uri", client.URL+"/callback").with("state", "state-2").callback(replaying)
		var replayed url.Values
		Eventually(received).Should(Receive(&replayed))
		Expect(replayed).To(Equal(first))
		Expect(second.Get("code")).NotTo(Equal(first.Get("code")))
		Expect(second.Get("state")).To(Equal("state-2"))
	})

	It("lets golang.org/x/oauth2 through the code flow with PKCE and a resource indicator", func(ctx SpecContext) {
		cfg := oauthConfig(s, publicApp, "", oauth2.AuthStyleInParams)
		verifier := oauth2.GenerateVerifier()
		resource := oauth2.SetAuthURLParam("resource", s.MCPURL())
		q := newAuthRequestFromURL(cfg.AuthCodeURL("a+b/c=d~ e%", oauth2.S256ChallengeOption(verifier), resource)).callback(s)
		Expect(q.Get("state")).To(Equal("a+b/c=d~ e%"))
		Expect(q.Get("iss")).To(Equal(s.IssuerURL()))

		token, err := cfg.Exchange(oauthContext(ctx), q.Get("code"), oauth2.VerifierOption(verifier), resource)
		Expect(err).NotTo(HaveOccurred())
		Expect(token.TokenType).To(Equal("Bearer"))
		Expect(token.RefreshToken).NotTo(BeEmpty())
		Expect(token.Extra("scope")).To(Equal("mcp:tools"))
		claims := claimsOf(token.AccessToken)
		Expect(claims.Issuer).To(Equal(s.IssuerURL()))
		Expect(claims.Audience).To(ConsistOf(s.MCPURL()))
		Expect(claims.ClientID).To(Equal(publicApp))
		Expect(claims.Subject).NotTo(BeEmpty())
		expectServed(s, token.AccessToken)
	}, NodeTimeout(specTimeout))

	It("binds the code to the MCP URL when no resource is requested", func() {
		a := newAuthRequest(publicApp)
		token := redeem(s, a.code(s), a.verifier)
		Expect(claimsOf(token).Audience).To(ConsistOf(s.MCPURL()))
		expectServed(s, token)
	})

	It("compares the scheme and host of a resource without regard to case", func() {
		upper := strings.Replace(s.MCPURL(), "http://127.0.0.1", "HTTP://127.0.0.1", 1)
		a := newAuthRequest(publicApp).with("resource", upper)
		token := redeem(s, a.code(s), a.verifier)
		Expect(claimsOf(token).Audience).To(ConsistOf(s.MCPURL()))
		expectServed(s, token)
	})

	It("keeps the query of the registered redirect URI", func() {
		registered := callbackURL + "?tenant=a"
		a := newAuthRequest(queryRedirectApp).with("redirect_uri", registered)
		location := a.send(s).header.Get("Location")
		Expect(location).To(HavePrefix(registered + "&"))
		Expect(a.callback(s)).To(HaveKeyWithValue("tenant", []string{"a"}))
	})

	It("uses the only registered redirect URI when the request names none", func() {
		a := newAuthRequest(publicApp).with("redirect_uri")
		Expect(a.send(s).header.Get("Location")).To(HavePrefix(callbackURL + "?"))
		// The token request must not name one either.
		form := codeForm(publicApp, a.code(s), a.verifier)
		form.Del("redirect_uri")
		expectTokens(postToken(s, form))
	})

	It("requires the redirect URI when the client registered several", func() {
		expectNoRedirect(newAuthRequest(twoRedirectsApp).with("redirect_uri").send(s))
		Expect(newAuthRequest(twoRedirectsApp).with("redirect_uri", otherCallbackURL).code(s)).NotTo(BeEmpty())
	})

	It("accepts any port for a loopback redirect URI, and nothing else", func() {
		Expect(newAuthRequest(publicApp).with("redirect_uri", "http://127.0.0.1:51004/callback").code(s)).NotTo(BeEmpty())
		expectNoRedirect(newAuthRequest(publicApp).with("redirect_uri", "http://127.0.0.1:51004/callback/x").send(s))
	})

	DescribeTable("answers a redirect URI that is not registered without redirecting",
		func(redirectURI string) {
			expectNoRedirect(newAuthRequest(publicApp).with("redirect_uri", redirectURI).send(s))
		},
		Entry("another path", "http://127.0.0.1:7777/callback/x"),
		Entry("a longer path", "http://127.0.0.1:7777/callbackx"),
		Entry("an added query", "http://127.0.0.1:7777/callback?x=1"),
		Entry("a fragment", "http://127.0.0.1:7777/callback#x"),
		Entry("another case", "http://127.0.0.1:7777/CALLBACK"),
		Entry("an encoded path", "http://127.0.0.1:7777/%63allback"),
		Entry("a dot segment", "http://127.0.0.1:7777/x/../callback"),
		Entry("user info", "http://attacker@127.0.0.1:7777/callback"),
		Entry("https", "https://127.0.0.1:7777/callback"),
		Entry("localhost", "http://localhost:7777/callback"),
		Entry("another host", attackerCallback),
		Entry("an empty value", ""),
	)

	It("answers an unknown, missing or repeated client_id without redirecting", func() {
		expectNoRedirect(newAuthRequest("nobody").send(s))
		expectNoRedirect(newAuthRequest(publicApp).with("client_id").send(s))
		expectNoRedirect(newAuthRequest(publicApp).with("client_id", publicApp, publicApp).send(s))
		expectNoRedirect(newAuthRequest(publicApp).with("redirect_uri", callbackURL, callbackURL).send(s))
	})

	It("redirects a valid client's errors to it with state and iss, and no code", func() {
		expectAuthorizationError(s, newAuthRequest(publicApp).with("response_type").callback(s), "invalid_request")
	})

	DescribeTable("refuses a request from a valid client",
		func(clientID, name string, values []string, code string) {
			expectAuthorizationError(s, newAuthRequest(clientID).with(name, values...).callback(s), code)
		},
		Entry("with response_type token", publicApp, "response_type", []string{"token"}, "unsupported_response_type"),
		Entry("with response_type code id_token", publicApp, "response_type", []string{"code id_token"}, "unsupported_response_type"),
		Entry("that did not register authorization_code", ccOnlyApp, "state", []string{"state-1"}, "unauthorized_client"),
		Entry("without code_challenge", publicApp, "code_challenge", nil, "invalid_request"),
		Entry("with a short code_challenge", publicApp, "code_challenge", []string{"abc"}, "invalid_request"),
		Entry("with a code_challenge outside the charset", publicApp, "code_challenge", []string{strings.Repeat("a", 42) + "="}, "invalid_request"),
		Entry("with code_challenge_method plain", publicApp, "code_challenge_method", []string{"plain"}, "invalid_request"),
		Entry("without code_challenge_method (plain)", publicApp, "code_challenge_method", nil, "invalid_request"),
		Entry("with code_challenge_method S512", publicApp, "code_challenge_method", []string{"S512"}, "invalid_request"),
		Entry("with an unsupported scope", publicApp, "scope", []string{"mcp:tools admin"}, "invalid_scope"),
		Entry("with a scope beyond its registration", basicApp, "scope", []string{"mcp:write"}, "invalid_scope"),
		Entry("with a relative resource", publicApp, "resource", []string{"/mcp"}, "invalid_target"),
		Entry("with a resource with a fragment", publicApp, "resource", []string{"http://127.0.0.1:1/mcp#x"}, "invalid_target"),
		Entry("with a resource it does not serve", publicApp, "resource", []string{"https://unrelated.example/"}, "invalid_target"),
		Entry("with a repeated state", publicApp, "state", []string{"state-1", "state-1"}, "invalid_request"),
		Entry("with a repeated code_challenge_method", publicApp, "code_challenge_method", []string{"S256", "S256"}, "invalid_request"),
	)

	It("grants every supported scope to a client that registered none", func() {
		a := newAuthRequest(publicApp).with("scope", "mcp:tools mcp:write mcp:tools")
		answer := postToken(s, codeForm(publicApp, a.code(s), a.verifier))
		Expect(expectTokens(answer)).To(HaveKeyWithValue("scope", "mcp:tools mcp:write"))
	})

	It("refuses every resource when one is not served", func() {
		a := newAuthRequest(publicApp).with("resource", s.MCPURL(), "https://unrelated.example/")
		expectAuthorizationError(s, a.callback(s), "invalid_target")
	})

	It("keeps its answers out of frames and caches", func() {
		for _, a := range []answer{newAuthRequest(publicApp).send(s), newAuthRequest("nobody").send(s)} {
			Expect(a.header.Get("X-Frame-Options")).To(Equal("DENY"))
			Expect(a.header.Get("Content-Security-Policy")).To(Equal("frame-ancestors 'none'"))
			Expect(a.header.Get("Cache-Control")).To(Equal("no-store"))
			Expect(a.header.Get("Access-Control-Allow-Origin")).To(BeEmpty())
		}
	})

	It("logs its decisions without the code", func() {
		var log strings.Builder
		logged := startAS(mockserver.WithRequestLog(&log))
		code := newAuthRequest(publicApp).code(logged)
		Expect(log.String()).To(ContainSubstring("authorization code issued to client " + publicApp))
		Expect(log.String()).NotTo(ContainSubstring(code))
	})

	It("serves the flow at 2025-03-26, where the MCP server is its own authorization server", func(ctx SpecContext) {
		legacy := startAS(mockserver.WithRevision(spec.Rev20250326))
		cfg := oauthConfig(legacy, publicApp, "", oauth2.AuthStyleInParams)
		verifier := oauth2.GenerateVerifier()
		q := newAuthRequestFromURL(cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier))).callback(legacy)
		Expect(q.Get("iss")).To(Equal(legacy.IssuerURL()))
		token, err := cfg.Exchange(oauthContext(ctx), q.Get("code"), oauth2.VerifierOption(verifier))
		Expect(err).NotTo(HaveOccurred())
		expectServed(legacy, token.AccessToken)
	}, NodeTimeout(specTimeout))
})

// newAuthRequestFromURL takes an authorization URL a client library built.
func newAuthRequestFromURL(raw string) *authRequest {
	GinkgoHelper()
	u, err := url.Parse(raw)
	Expect(err).NotTo(HaveOccurred())
	return &authRequest{params: u.Query()}
}

// authorizationFaultChecks show, against the reference, what each
// authorization endpoint fault changes.
var authorizationFaultChecks = map[fault.Name]func(s *mockserver.Server){
	fault.ASRedirectPrefixMatch: func(s *mockserver.Server) {
		extended := callbackURL + "/attacker"
		expectNoRedirect(newAuthRequest(publicApp).with("redirect_uri", extended).send(startAS()))
		Expect(newAuthRequest(publicApp).with("redirect_uri", extended).code(addOAuthClients(s))).NotTo(BeEmpty())
		expectNoRedirect(newAuthRequest(publicApp).with("redirect_uri", otherCallbackURL).send(s))
	},
	fault.ASRedirectErrorToUnregistered: func(s *mockserver.Server) {
		unknownClient := newAuthRequest("nobody").with("redirect_uri", attackerCallback)
		expectNoRedirect(unknownClient.send(startAS()))
		a := unknownClient.send(addOAuthClients(s))
		Expect(a.status).To(Equal(http.StatusFound))
		location, err := url.Parse(a.header.Get("Location"))
		Expect(err).NotTo(HaveOccurred())
		Expect(location.Scheme + "://" + location.Host + location.Path).To(Equal(attackerCallback))
		expectAuthorizationError(s, location.Query(), "invalid_request")

		unregistered := newAuthRequest(publicApp).with("redirect_uri", attackerCallback).send(s)
		Expect(unregistered.header.Get("Location")).To(HavePrefix(attackerCallback + "?"))
		expectNoRedirect(newAuthRequest("nobody").with("redirect_uri", "/relative").send(s))
	},
	fault.ASStateNotReturned: func(s *mockserver.Server) {
		Expect(newAuthRequest(publicApp).callback(startAS())).To(HaveKey("state"))
		addOAuthClients(s)
		for _, q := range []url.Values{
			newAuthRequest(publicApp).callback(s),
			newAuthRequest(publicApp).with("scope", "admin").callback(s),
		} {
			Expect(q).NotTo(HaveKey("state"))
			Expect(q).To(HaveKeyWithValue("iss", []string{s.IssuerURL()}))
		}
	},
	fault.ASStateWrong: func(s *mockserver.Server) {
		addOAuthClients(s)
		q := newAuthRequest(publicApp).callback(s)
		Expect(q).To(HaveKey("state"))
		Expect(q.Get("state")).NotTo(Equal("state-1"))
		Expect(q).To(HaveKeyWithValue("iss", []string{s.IssuerURL()}))
	},
	fault.ASISSWrong: func(s *mockserver.Server) {
		addOAuthClients(s)
		q := newAuthRequest(publicApp).callback(s)
		Expect(q).To(HaveKey("iss"))
		Expect(q.Get("iss")).NotTo(Equal(s.IssuerURL()))
		Expect(q).To(HaveKeyWithValue("state", []string{"state-1"}))
	},
	fault.ASISSTrailingSlash: func(s *mockserver.Server) {
		addOAuthClients(s)
		Expect(newAuthRequest(publicApp).callback(s)).To(HaveKeyWithValue("iss", []string{s.IssuerURL() + "/"}))
	},
	fault.ASISSPercentEncoded: func(s *mockserver.Server) {
		addOAuthClients(s)
		iss := newAuthRequest(publicApp).callback(s).Get("iss")
		Expect(iss).NotTo(Equal(s.IssuerURL()))
		decoded, err := url.PathUnescape(iss)
		Expect(err).NotTo(HaveOccurred())
		Expect(decoded).To(Equal(s.IssuerURL()), "the same issuer once decoded")
	},
	fault.ASTokenInResponse: func(s *mockserver.Server) {
		Expect(newAuthRequest(publicApp).callback(startAS())).NotTo(HaveKey("access_token"))
		addOAuthClients(s)
		q := newAuthRequest(publicApp).callback(s)
		Expect(q).To(HaveKey("code"))
		Expect(q).To(HaveKeyWithValue("access_token", []string{mockserver.FrontChannelToken}))
	},
	fault.ASISSOmit: func(s *mockserver.Server) {
		Expect(newAuthRequest(publicApp).callback(startAS())).To(HaveKey("iss"))
		addOAuthClients(s)
		for _, q := range []url.Values{
			newAuthRequest(publicApp).callback(s),
			newAuthRequest(publicApp).with("scope", "admin").callback(s),
		} {
			Expect(q).NotTo(HaveKey("iss"))
			Expect(q).To(HaveKeyWithValue("state", []string{"state-1"}))
		}
		Expect(get(asURLs(s)[0]).json()).To(
			HaveKeyWithValue("authorization_response_iss_parameter_supported", true))
	},
}

func init() { maps.Copy(faultChecks, authorizationFaultChecks) }
