package mockserver_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"maps"
	"net/http"
	"strings"

	"github.com/go-jose/go-jose/v4"
	"github.com/modelcontextprotocol/go-sdk/oauthex"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/fixtures"
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/schema"
	"github.com/mcpconform/mcpconform/mockserver"
)

const (
	initialAccessToken = "initial-access-token-for-tests"
	loopbackRedirect   = "http://127.0.0.1:8976/callback"
)

func registrationEndpoint(s *mockserver.Server) string { return s.IssuerURL() + "/register" }

// postRegistration sends body as the registration request, with
// authorization when it is not empty.
func postRegistration(s *mockserver.Server, contentType, body, authorization string) answer {
	GinkgoHelper()
	req, err := http.NewRequest(http.MethodPost, registrationEndpoint(s), strings.NewReader(body))
	Expect(err).NotTo(HaveOccurred())
	req.Header.Set("Content-Type", contentType)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return do(client, req)
}

func register(s *mockserver.Server, body string) answer {
	GinkgoHelper()
	return postRegistration(s, "application/json", body, "")
}

// redirectsTo is registration metadata of a public client with one
// redirect URI.
func redirectsTo(uri string) string {
	body, _ := json.Marshal(map[string]any{"redirect_uris": []string{uri}, "token_endpoint_auth_method": "none"})
	return string(body)
}

// expectRegistered checks an RFC 7591 §3.2.1 answer and returns its body.
func expectRegistered(a answer) map[string]any {
	GinkgoHelper()
	Expect(a.status).To(Equal(http.StatusCreated), string(a.body))
	Expect(a.header.Get("Content-Type")).To(Equal("application/json"))
	Expect(a.header.Get("Cache-Control")).To(Equal("no-store"))
	doc := a.json()
	Expect(doc["client_id"]).To(And(BeAssignableToTypeOf(""), Not(BeEmpty())))
	return doc
}

// expectRefused checks an RFC 7591 §3.2.2 error answer.
func expectRefused(a answer, status int, code string) {
	GinkgoHelper()
	Expect(a.status).To(Equal(status), string(a.body))
	Expect(a.header.Get("Content-Type")).To(Equal("application/json"))
	Expect(a.header.Get("Cache-Control")).To(Equal("no-store"))
	doc := a.json()
	Expect(doc).To(HaveKeyWithValue("error", code))
	Expect(doc).To(HaveKeyWithValue("error_description", HavePrefix("mockserver: ")))
}

// expectTokenRefused: a wrong initial access token gets the invalid_token
// challenge, a missing one a bare challenge (RFC 6750 §3.1).
func expectTokenRefused(a answer, challenge string) {
	GinkgoHelper()
	expectRefused(a, http.StatusUnauthorized, "invalid_token")
	Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(challenge))
}

const (
	bareChallenge              = "Bearer"
	wrongInitialTokenChallenge = `Bearer error="invalid_token"`
)

func publicJWKS() map[string]any {
	GinkgoHelper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	Expect(err).NotTo(HaveOccurred())
	encoded, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "ES256", Use: "sig"}}})
	Expect(err).NotTo(HaveOccurred())
	var set map[string]any
	Expect(json.Unmarshal(encoded, &set)).To(Succeed())
	return set
}

func privateJWKS() map[string]any {
	GinkgoHelper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	Expect(err).NotTo(HaveOccurred())
	encoded, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: key, KeyID: "k1"}}})
	Expect(err).NotTo(HaveOccurred())
	var set map[string]any
	Expect(json.Unmarshal(encoded, &set)).To(Succeed())
	return set
}

func metadataJSON(meta map[string]any) string {
	GinkgoHelper()
	body, err := json.Marshal(meta)
	Expect(err).NotTo(HaveOccurred())
	return string(body)
}

var _ = Describe("dynamic client registration", func() {
	var s *mockserver.Server
	BeforeEach(func() { s = start() })

	It("assigns the token endpoint auth method of WithRegistrationAuthMethod whatever the client asked", func() {
		for _, method := range []string{"client_secret_basic", "client_secret_post"} {
			assigning := start(mockserver.WithRegistrationAuthMethod(method))
			doc := expectRegistered(register(assigning, redirectsTo(loopbackRedirect)))
			Expect(doc).To(HaveKeyWithValue("token_endpoint_auth_method", method))
			Expect(doc).To(HaveKeyWithValue("client_secret", Not(BeEmpty())))
			Expect(get(asURLs(assigning)[0]).json()).To(HaveKeyWithValue("token_endpoint_auth_methods_supported", ConsistOf(method)))
		}
		Expect(expectRegistered(register(s, redirectsTo(loopbackRedirect)))).To(HaveKeyWithValue("token_endpoint_auth_method", "none"))
	})

	Context("with the Go MCP SDK as client", func() {
		It("registers a public client", func(ctx SpecContext) {
			got, err := oauthex.RegisterClient(ctx, registrationEndpoint(s), &oauthex.ClientRegistrationMetadata{
				RedirectURIs:            []string{loopbackRedirect, "http://[::1]:8976/callback", "http://localhost/cb"},
				TokenEndpointAuthMethod: "none",
				GrantTypes:              []string{"authorization_code", "refresh_token"},
				ClientName:              "conformance",
				Scope:                   "mcp:tools",
				ApplicationType:         "native",
			}, client)
			Expect(err).NotTo(HaveOccurred())
			Expect(got.ClientID).NotTo(BeEmpty())
			Expect(got.ClientSecret).To(BeEmpty())
			Expect(got.ClientIDIssuedAt).NotTo(BeZero())
			Expect(got.RedirectURIs).To(Equal([]string{loopbackRedirect, "http://[::1]:8976/callback", "http://localhost/cb"}))
			Expect(got.GrantTypes).To(Equal([]string{"authorization_code", "refresh_token"}))
			Expect(got.ResponseTypes).To(Equal([]string{"code"}))
			Expect(got.TokenEndpointAuthMethod).To(Equal("none"))
			Expect(got.ClientName).To(Equal("conformance"))
			Expect(got.Scope).To(Equal("mcp:tools"))
			Expect(got.ApplicationType).To(Equal("native"))

			resolved, err := mockserver.ResolveClient(ctx, s, got.ClientID)
			Expect(err).NotTo(HaveOccurred())
			Expect(resolved.Public()).To(BeTrue())
			Expect(resolved.RedirectURIs).To(Equal(got.RedirectURIs))
		}, NodeTimeout(specTimeout))

		It("registers a confidential client with the RFC 7591 defaults", func(ctx SpecContext) {
			got, err := oauthex.RegisterClient(ctx, registrationEndpoint(s), &oauthex.ClientRegistrationMetadata{
				RedirectURIs: []string{"https://client.example/callback"},
			}, client)
			Expect(err).NotTo(HaveOccurred())
			Expect(got.ClientSecret).NotTo(BeEmpty())
			Expect(got.TokenEndpointAuthMethod).To(Equal("client_secret_basic"))
			Expect(got.GrantTypes).To(Equal([]string{"authorization_code"}))
			Expect(got.ResponseTypes).To(Equal([]string{"code"}))

			resolved, err := mockserver.ResolveClient(ctx, s, got.ClientID)
			Expect(err).NotTo(HaveOccurred())
			Expect(resolved.Secret).To(Equal(got.ClientSecret))
		}, NodeTimeout(specTimeout))

		It("presents the initial access token of a protected endpoint", func(ctx SpecContext) {
			protected := start(mockserver.WithInitialAccessToken(initialAccessToken))
			sdk := &http.Client{Timeout: specTimeout, Transport: bearerTransport{"Bearer " + initialAccessToken}}
			got, err := oauthex.RegisterClient(ctx, registrationEndpoint(protected), &oauthex.ClientRegistrationMetadata{
				RedirectURIs: []string{loopbackRedirect}, TokenEndpointAuthMethod: "none",
			}, sdk)
			Expect(err).NotTo(HaveOccurred())
			Expect(got.ClientID).NotTo(BeEmpty())
		}, NodeTimeout(specTimeout))
	})

	Context("answers", func() {
		It("201 with a secret that never expires, uncached", func(SpecContext) {
			doc := expectRegistered(register(s, `{"redirect_uris":["https://client.example/cb"],"client_name":"c"}`))
			Expect(doc).To(HaveKeyWithValue("client_secret", Not(BeEmpty())))
			Expect(doc).To(HaveKeyWithValue("client_secret_expires_at", BeEquivalentTo(0)))
			Expect(doc).To(HaveKeyWithValue("client_id_issued_at", BeNumerically(">", 0)))
			Expect(doc).To(HaveKeyWithValue("token_endpoint_auth_method", "client_secret_basic"))
			Expect(doc).To(HaveKeyWithValue("client_name", "c"))
		}, NodeTimeout(specTimeout))

		It("client information matching the RFC 7591 schema", func(SpecContext) {
			for _, metadata := range []string{redirectsTo(loopbackRedirect), `{"redirect_uris":["https://client.example/cb"],"client_name":"c"}`} {
				a := register(s, metadata)
				expectRegistered(a)
				Expect(schema.Validate(fixtures.SchemaClientInformationResponse, a.body)).To(Succeed())
			}
		}, NodeTimeout(specTimeout))

		It("no secret to a public client", func(SpecContext) {
			doc := expectRegistered(register(s, redirectsTo(loopbackRedirect)))
			Expect(doc).NotTo(HaveKey("client_secret"))
			Expect(doc).NotTo(HaveKey("client_secret_expires_at"))
		}, NodeTimeout(specTimeout))

		It("client IDs it lists as registered, in order, apart from pre-registered clients", func(SpecContext) {
			s := startAS()
			Expect(s.RegisteredClientIDs()).To(BeEmpty())
			first := expectRegistered(register(s, redirectsTo(loopbackRedirect)))["client_id"]
			second := expectRegistered(register(s, redirectsTo(loopbackRedirect)))["client_id"]
			Expect(s.RegisteredClientIDs()).To(Equal([]string{first.(string), second.(string)}))
		}, NodeTimeout(specTimeout))

		It("its own client_id and secret, whatever the request proposed", func(SpecContext) {
			doc := expectRegistered(register(s, `{"redirect_uris":["https://client.example/cb"],"client_id":"mine","client_secret":"mine"}`))
			Expect(doc["client_id"]).NotTo(Equal("mine"))
			Expect(doc["client_secret"]).NotTo(Equal("mine"))
		}, NodeTimeout(specTimeout))

		It("a private_key_jwt client with its keys and no secret", func(SpecContext) {
			jwks := publicJWKS()
			doc := expectRegistered(register(s, metadataJSON(map[string]any{
				"redirect_uris": []string{"https://client.example/cb"}, "token_endpoint_auth_method": "private_key_jwt", "jwks": jwks,
			})))
			Expect(doc).To(HaveKeyWithValue("token_endpoint_auth_method", "private_key_jwt"))
			Expect(doc).To(HaveKeyWithValue("jwks", jwks))
			Expect(doc).NotTo(HaveKey("client_secret"))
		}, NodeTimeout(specTimeout))

		It("a client_credentials client without redirect URIs or response types", func(SpecContext) {
			doc := expectRegistered(register(s, `{"grant_types":["client_credentials"],"token_endpoint_auth_method":"client_secret_post"}`))
			Expect(doc).To(HaveKeyWithValue("grant_types", []any{"client_credentials"}))
			Expect(doc).To(HaveKeyWithValue("response_types", BeEmpty()))
			Expect(doc).NotTo(HaveKey("redirect_uris"))
		}, NodeTimeout(specTimeout))

		DescribeTable("201 for an acceptable redirect URI",
			func(uri string) { expectRegistered(register(s, redirectsTo(uri))) },
			Entry("https", "https://client.example/oauth/callback?x=1"),
			Entry("loopback IPv4 with port", loopbackRedirect),
			Entry("loopback IPv6", "http://[::1]/callback"),
			Entry("localhost", "http://localhost:3000/callback"),
			Entry("private-use scheme of a native app", "com.example.app:/oauth2redirect"),
		)

		It("405 to anything but POST", func(SpecContext) {
			Expect(get(registrationEndpoint(s)).status).To(Equal(http.StatusMethodNotAllowed))
		}, NodeTimeout(specTimeout))
	})

	DescribeTable("refuses a bad redirect URI with invalid_redirect_uri",
		func(uri string) {
			expectRefused(register(s, redirectsTo(uri)), http.StatusBadRequest, "invalid_redirect_uri")
		},
		Entry("javascript:", "javascript:alert(document.domain)//"),
		Entry("data:", "data:text/html,<script>alert(1)</script>"),
		Entry("file:", "file:///etc/passwd"),
		Entry("vbscript:", "vbscript:msgbox(1)"),
		Entry("about:", "about:blank"),
		Entry("blob:", "blob:https://client.example/0b6e1d1e"),
		Entry("another scheme", "ftp://client.example/cb"),
		Entry("http on a public host", "http://client.example/callback"),
		Entry("http on a host named like loopback", "http://127.0.0.1.client.example/cb"),
		Entry("a fragment", "https://client.example/cb#frag"),
		Entry("an empty fragment", "https://client.example/cb#"),
		Entry("a relative URI", "/callback"),
		Entry("an empty URI", ""),
		Entry("a wildcard host", "https://*.client.example/cb"),
		Entry("https without a host", "https:///cb"),
	)

	It("refuses authorization_code without redirect URIs with invalid_redirect_uri", func(SpecContext) {
		expectRefused(register(s, `{"token_endpoint_auth_method":"none"}`), http.StatusBadRequest, "invalid_redirect_uri")
	}, NodeTimeout(specTimeout))

	DescribeTable("refuses bad metadata with invalid_client_metadata",
		func(meta map[string]any) {
			if _, set := meta["redirect_uris"]; !set {
				meta["redirect_uris"] = []string{"https://client.example/cb"}
			}
			expectRefused(register(s, metadataJSON(meta)), http.StatusBadRequest, "invalid_client_metadata")
		},
		Entry("the password grant", map[string]any{"grant_types": []string{"authorization_code", "password"}}),
		Entry("the implicit grant", map[string]any{"grant_types": []string{"implicit"}, "response_types": []string{"token"}}),
		Entry("no grant type", map[string]any{"grant_types": []string{}}),
		Entry("the token response type", map[string]any{"response_types": []string{"code", "token"}}),
		Entry("code without authorization_code", map[string]any{"grant_types": []string{"client_credentials"}, "response_types": []string{"code"}}),
		Entry("authorization_code without code", map[string]any{"response_types": []string{}}),
		Entry("an unknown auth method", map[string]any{"token_endpoint_auth_method": "client_secret_jwt"}),
		Entry("private_key_jwt without keys", map[string]any{"token_endpoint_auth_method": "private_key_jwt"}),
		Entry("private_key_jwt with an empty key set", map[string]any{"token_endpoint_auth_method": "private_key_jwt", "jwks": map[string]any{"keys": []any{}}}),
		Entry("private_key_jwt with keys as a string", map[string]any{"token_endpoint_auth_method": "private_key_jwt", "jwks": `{"keys":[]}`}),
		Entry("jwks_uri", map[string]any{"token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "https://client.example/jwks"}),
		Entry("a public client with client_credentials", map[string]any{"token_endpoint_auth_method": "none", "grant_types": []string{"client_credentials"}}),
		Entry("an unknown application_type", map[string]any{"application_type": "desktop"}),
		Entry("an unsupported scope", map[string]any{"scope": "mcp:tools admin"}),
		Entry("redirect_uris not an array", map[string]any{"redirect_uris": "https://client.example/cb"}),
	)

	It("refuses private keys in jwks", func(SpecContext) {
		meta := map[string]any{"redirect_uris": []string{"https://client.example/cb"}, "token_endpoint_auth_method": "private_key_jwt", "jwks": privateJWKS()}
		expectRefused(register(s, metadataJSON(meta)), http.StatusBadRequest, "invalid_client_metadata")
	}, NodeTimeout(specTimeout))

	DescribeTable("refuses a request that is not JSON client metadata with invalid_client_metadata",
		func(contentType, body string) {
			expectRefused(postRegistration(s, contentType, body, ""), http.StatusBadRequest, "invalid_client_metadata")
		},
		Entry("form encoded", "application/x-www-form-urlencoded", "redirect_uris=https%3A%2F%2Fclient.example%2Fcb"),
		Entry("JSON labelled text/plain", "text/plain", redirectsTo(loopbackRedirect)),
		Entry("malformed JSON", "application/json", `{"redirect_uris": [`),
		Entry("a JSON array", "application/json", `[]`),
		Entry("JSON null", "application/json", `null`),
		Entry("over 64 KiB", "application/json", `{"client_name":"`+strings.Repeat("x", 64<<10)+`"}`),
	)

	It("accepts a charset on the content type", func(SpecContext) {
		expectRegistered(postRegistration(s, "application/json; charset=utf-8", redirectsTo(loopbackRedirect), ""))
	}, NodeTimeout(specTimeout))

	Context("protected by an initial access token", func() {
		BeforeEach(func() { s = start(mockserver.WithInitialAccessToken(initialAccessToken)) })

		It("answers 401 with a bare challenge without one", func(SpecContext) {
			expectTokenRefused(postRegistration(s, "application/json", redirectsTo(loopbackRedirect), ""), bareChallenge)
		}, NodeTimeout(specTimeout))

		It("answers 401 invalid_token to a wrong one", func(SpecContext) {
			expectTokenRefused(postRegistration(s, "application/json", redirectsTo(loopbackRedirect), "Bearer wrong"), wrongInitialTokenChallenge)
			expectTokenRefused(postRegistration(s, "application/json", redirectsTo(loopbackRedirect), "Bearer "), bareChallenge)
			expectTokenRefused(postRegistration(s, "application/json", redirectsTo(loopbackRedirect), "Basic "+initialAccessToken), bareChallenge)
		}, NodeTimeout(specTimeout))

		It("registers with the right one", func(SpecContext) {
			expectRegistered(postRegistration(s, "application/json", redirectsTo(loopbackRedirect), "Bearer "+initialAccessToken))
			expectRegistered(postRegistration(s, "application/json", redirectsTo(loopbackRedirect), "bearer "+initialAccessToken))
		}, NodeTimeout(specTimeout))
	})

	It("logs its decisions without secrets", func(ctx SpecContext) {
		var log bytes.Buffer
		logged := start(mockserver.WithInitialAccessToken(initialAccessToken), mockserver.WithRequestLog(&log))
		postRegistration(logged, "application/json", redirectsTo(loopbackRedirect), "Bearer wrong-token-value")
		expectRefused(postRegistration(logged, "application/json", redirectsTo("javascript:alert(1)"), "Bearer "+initialAccessToken),
			http.StatusBadRequest, "invalid_redirect_uri")
		doc := expectRegistered(postRegistration(logged, "application/json", `{"redirect_uris":["https://client.example/cb"]}`, "Bearer "+initialAccessToken))
		Expect(logged.Close()).To(Succeed())
		Expect(log.String()).To(Equal("POST /oauth/register 401 refused: initial access token not valid\n" +
			"POST /oauth/register 400 refused: invalid_redirect_uri: redirect URI \"javascript:alert(1)\": scheme javascript is not allowed\n" +
			"POST /oauth/register 201 registered a client with auth method client_secret_basic and grant types authorization_code\n"))
		Expect(log.String()).NotTo(ContainSubstring(doc["client_secret"].(string)))
	}, NodeTimeout(specTimeout))
})

// registrationFaultChecks show, for each dcr fault, a request the reference
// refuses and the faulty server lets through (or refuses differently).
var registrationFaultChecks = map[fault.Name]func(s *mockserver.Server){
	fault.ASDCRAcceptJavascriptURI: func(s *mockserver.Server) { expectRedirectURIFault(s, "javascript:alert(1)//") },
	fault.ASDCRAcceptDataURI:       func(s *mockserver.Server) { expectRedirectURIFault(s, "data:text/html,hi") },
	fault.ASDCRAcceptHTTPNonLoopback: func(s *mockserver.Server) {
		expectRedirectURIFault(s, "http://client.example/callback")
	},
	fault.ASDCRAcceptFragment: func(s *mockserver.Server) { expectRedirectURIFault(s, "https://client.example/cb#frag") },
	fault.ASDCRAcceptUnknownGrantType: func(s *mockserver.Server) {
		expectMetadataFault(s, `{"grant_types":["password"],"token_endpoint_auth_method":"client_secret_basic"}`)
	},
	fault.ASDCRAcceptUnknownAuthMethod: func(s *mockserver.Server) {
		expectMetadataFault(s, `{"redirect_uris":["https://client.example/cb"],"token_endpoint_auth_method":"client_secret_jwt"}`)
	},
	fault.ASDCRPublicClientCredentials: func(s *mockserver.Server) {
		expectMetadataFault(s, `{"grant_types":["client_credentials"],"token_endpoint_auth_method":"none"}`)
	},
	fault.ASDCRWrongErrorCode: func(s *mockserver.Server) {
		body := redirectsTo("javascript:alert(1)")
		expectRefused(register(start(), body), http.StatusBadRequest, "invalid_redirect_uri")
		expectRefused(register(s, body), http.StatusBadRequest, "invalid_client_metadata")
		expectRefused(register(s, `{"token_endpoint_auth_method":"none"}`), http.StatusBadRequest, "invalid_client_metadata")
	},
	fault.ASDCROpenDespiteProtection: func(*mockserver.Server) {
		reference := start(mockserver.WithInitialAccessToken(initialAccessToken))
		faulty := start(mockserver.WithInitialAccessToken(initialAccessToken), mockserver.WithFaults(fault.ASDCROpenDespiteProtection))
		body := redirectsTo(loopbackRedirect)
		expectTokenRefused(postRegistration(reference, "application/json", body, ""), bareChallenge)
		expectRegistered(postRegistration(faulty, "application/json", body, ""))
		expectRegistered(postRegistration(faulty, "application/json", body, "Bearer wrong"))
	},
	fault.ASDCRAcceptAnyInitialToken: func(*mockserver.Server) {
		reference := start(mockserver.WithInitialAccessToken(initialAccessToken))
		faulty := start(mockserver.WithInitialAccessToken(initialAccessToken), mockserver.WithFaults(fault.ASDCRAcceptAnyInitialToken))
		body := redirectsTo(loopbackRedirect)
		expectTokenRefused(postRegistration(reference, "application/json", body, "Bearer wrong"), wrongInitialTokenChallenge)
		expectRegistered(postRegistration(faulty, "application/json", body, "Bearer wrong"))
		expectTokenRefused(postRegistration(faulty, "application/json", body, ""), bareChallenge)
	},
}

func init() { maps.Copy(faultChecks, registrationFaultChecks) }

// expectRedirectURIFault: the reference refuses uri, the faulty server
// registers it as given.
func expectRedirectURIFault(faulty *mockserver.Server, uri string) {
	GinkgoHelper()
	expectRefused(register(start(), redirectsTo(uri)), http.StatusBadRequest, "invalid_redirect_uri")
	doc := expectRegistered(register(faulty, redirectsTo(uri)))
	Expect(doc).To(HaveKeyWithValue("redirect_uris", []any{uri}))
}

// expectMetadataFault: the reference refuses the metadata, the faulty server
// registers it.
func expectMetadataFault(faulty *mockserver.Server, body string) {
	GinkgoHelper()
	expectRefused(register(start(), body), http.StatusBadRequest, "invalid_client_metadata")
	expectRegistered(register(faulty, body))
}
