package refclient_test

import (
	"maps"
	"net/http"
	"strings"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient/refclient"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/suites/client"
)

// machineScenario serves the client-mode scenario name, a client
// credentials one, and returns the context its client gets.
func machineScenario(name string) (*mockserver.Server, map[string]any) {
	GinkgoHelper()
	sc, ok := client.LookupScenario(name)
	Expect(ok).To(BeTrue())
	opts := append([]mockserver.Option{mockserver.WithRequestCapture(), mockserver.WithRevision(spec.Rev20251125)}, sc.Options...)
	context := maps.Clone(sc.Context)
	if sc.Prepare != nil {
		prepared, extra, err := sc.Prepare()
		Expect(err).NotTo(HaveOccurred())
		opts = append(opts, prepared...)
		context = extra
	}
	return serve(opts...), context
}

// runMachine runs the reference client in scenario name with faults and
// returns the server, its one token request and the run's error.
func runMachine(name string, faults ...fault.Name) (*mockserver.Server, mockserver.CapturedRequest, error) {
	GinkgoHelper()
	s, context := machineScenario(name)
	err := runWith(s, refclient.Config{Context: context, Faults: faults})
	var tokens []mockserver.CapturedRequest
	for _, r := range s.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/token") {
			tokens = append(tokens, r)
		}
	}
	Expect(tokens).To(HaveLen(1))
	return s, tokens[0], err
}

// assertionClaims reads the client assertion of a token request.
func assertionClaims(r mockserver.CapturedRequest) jwt.Claims {
	GinkgoHelper()
	parsed, err := jwt.ParseSigned(r.Form().Get("client_assertion"), []jose.SignatureAlgorithm{jose.ES256})
	Expect(err).NotTo(HaveOccurred())
	var claims jwt.Claims
	Expect(parsed.UnsafeClaimsWithoutVerification(&claims)).To(Succeed())
	return claims
}

var _ = Describe("the reference client's client credentials grant", func() {
	It("asks with HTTP Basic for the MCP server's scope and resource when the context gives a client secret", func() {
		s, token, err := runMachine("auth/client-credentials-basic")
		Expect(err).NotTo(HaveOccurred())
		Expect(token.Form()).To(HaveKeyWithValue("grant_type", []string{"client_credentials"}))
		Expect(token.Form()).To(HaveKeyWithValue("resource", []string{s.MCPURL()}))
		Expect(token.Form()).To(HaveKeyWithValue("scope", []string{"mcp:tools"}))
		Expect(token.Form()).NotTo(HaveKey("client_secret"))
		Expect(token.Header.Get("Authorization")).To(HavePrefix("Basic "))
		Expect(requests(s, http.MethodGet, "/authorize")).To(BeEmpty())
		Expect(mcpAfterToken(s)).NotTo(BeEmpty())
	})

	It("signs a client assertion with the context's key, for the authorization server, when the context gives a private key", func() {
		s, token, err := runMachine("auth/client-credentials-jwt")
		Expect(err).NotTo(HaveOccurred())
		Expect(token.Form()).To(HaveKeyWithValue("grant_type", []string{"client_credentials"}))
		Expect(token.Form()).To(HaveKeyWithValue("client_assertion_type", []string{"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}))
		Expect(token.Header.Get("Authorization")).To(BeEmpty())
		claims := assertionClaims(token)
		Expect(claims.Issuer).To(Equal(claims.Subject))
		Expect(claims.Subject).NotTo(BeEmpty())
		Expect([]string(claims.Audience)).To(ConsistOf(s.IssuerURL()))
		Expect(claims.Expiry).NotTo(BeNil())
		Expect(mcpAfterToken(s)).NotTo(BeEmpty())
	})

	It("authorizes with a user, its secret or not, where the authorization server serves the authorization code grant", func() {
		s := serve(mockserver.WithRequestCapture(), mockserver.WithClient(mockserver.Client{ID: "confidential", Secret: "its-secret",
			RedirectURIs: []string{"http://127.0.0.1/callback"}}))
		Expect(runWith(s, refclient.Config{Context: map[string]any{"client_id": "confidential", "client_secret": "its-secret"}})).To(Succeed())
		Expect(authorizationRequest(s).Get("client_id")).To(Equal("confidential"))
		Expect(tokenForms(s, "authorization_code")).To(HaveLen(1))
	})

	It(string(fault.ClientCCJWTBearerGrant)+" names RFC 7523's authorization grant, its client assertion unchanged", func() {
		_, token, err := runMachine("auth/client-credentials-jwt", fault.ClientCCJWTBearerGrant)
		Expect(err).To(HaveOccurred(), "the authorization server supports no such grant")
		Expect(token.Form().Get("grant_type")).To(Equal("urn:ietf:params:oauth:grant-type:jwt-bearer"))
		Expect(token.Form().Get("client_assertion_type")).To(Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"))

		_, token, err = runMachine("auth/client-credentials-basic", fault.ClientCCJWTBearerGrant)
		Expect(err).NotTo(HaveOccurred(), "with a secret there is no assertion to confuse")
		Expect(token.Form().Get("grant_type")).To(Equal("client_credentials"))
	})

	It(string(fault.ClientCCAuthorizationRequest)+" sends the user agent to the authorization endpoint first, then goes on", func() {
		s, token, err := runMachine("auth/client-credentials-basic", fault.ClientCCAuthorizationRequest)
		Expect(err).NotTo(HaveOccurred())
		Expect(requests(s, http.MethodGet, "/authorize")).To(HaveLen(1))
		Expect(token.Form().Get("grant_type")).To(Equal("client_credentials"))
	})

	It(string(fault.ClientCCSecretPost)+" sends the secret in the body, which the authorization server refuses", func() {
		_, token, err := runMachine("auth/client-credentials-basic", fault.ClientCCSecretPost)
		Expect(err).To(MatchError(ContainSubstring("invalid_client")))
		Expect(token.Header.Get("Authorization")).To(BeEmpty())
		Expect(token.Form()).To(HaveKey("client_secret"))
	})

	It(string(fault.ClientCCAssertionTypeWrong)+" names the grant type as client_assertion_type", func() {
		_, token, err := runMachine("auth/client-credentials-jwt", fault.ClientCCAssertionTypeWrong)
		Expect(err).To(MatchError(ContainSubstring("invalid_client")))
		Expect(token.Form().Get("client_assertion_type")).To(Equal("urn:ietf:params:oauth:grant-type:jwt-bearer"))
	})

	It(string(fault.ClientCCAssertionNoSubject)+" leaves sub out of the client assertion", func() {
		_, token, err := runMachine("auth/client-credentials-jwt", fault.ClientCCAssertionNoSubject)
		Expect(err).To(MatchError(ContainSubstring("invalid_client")))
		claims := assertionClaims(token)
		Expect(claims.Subject).To(BeEmpty())
		Expect(claims.Issuer).NotTo(BeEmpty())
	})

	It(string(fault.ClientCCAssertionAudienceMCP)+" addresses the client assertion to the MCP server", func() {
		s, token, err := runMachine("auth/client-credentials-jwt", fault.ClientCCAssertionAudienceMCP)
		Expect(err).To(MatchError(ContainSubstring("invalid_client")))
		Expect([]string(assertionClaims(token).Audience)).To(ConsistOf(s.MCPURL()))
	})

	It(string(fault.ClientCCAssertionOwnKey)+" signs with a key of its own, which the authorization server cannot verify", func() {
		_, token, err := runMachine("auth/client-credentials-jwt", fault.ClientCCAssertionOwnKey)
		Expect(err).To(MatchError(ContainSubstring("invalid_client")))
		claims := assertionClaims(token)
		Expect(claims.Issuer).To(Equal(claims.Subject), "everything but the key as the reference")
	})
})
