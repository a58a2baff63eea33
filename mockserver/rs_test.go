package mockserver_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

// accessClaims are an RFC 9068 access token's claims as the tests forge them.
type accessClaims struct {
	jwt.Claims
	Scope    string `json:"scope,omitempty"`
	ClientID string `json:"client_id,omitempty"`
}

// issuedClaims are the claims of a token the server really issued: a
// forgery built on them keeps a jti the server knows, so it is wrong in
// exactly the way the forger chooses.
func issuedClaims(s *mockserver.Server) accessClaims {
	GinkgoHelper()
	token, err := s.MintAccessToken()
	Expect(err).NotTo(HaveOccurred())
	parsed, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256})
	Expect(err).NotTo(HaveOccurred())
	var c accessClaims
	Expect(parsed.UnsafeClaimsWithoutVerification(&c)).To(Succeed())
	return c
}

func issuedClaimsWith(s *mockserver.Server, edit func(*accessClaims)) accessClaims {
	GinkgoHelper()
	c := issuedClaims(s)
	edit(&c)
	return c
}

// signedByServer signs claims with the authorization server's own key.
func signedByServer(s *mockserver.Server, c accessClaims) string {
	GinkgoHelper()
	token, err := mockserver.SignAccessToken(s, c.Claims, c.Scope)
	Expect(err).NotTo(HaveOccurred())
	return token
}

// signedWith signs claims as an attacker would, with typ at+jwt.
func signedWith(alg jose.SignatureAlgorithm, key any, opts jose.SignerOptions, c accessClaims) string {
	GinkgoHelper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts.WithType("at+jwt"))
	Expect(err).NotTo(HaveOccurred())
	token, err := jwt.Signed(signer).Claims(c).Serialize()
	Expect(err).NotTo(HaveOccurred())
	return token
}

func attackerKey() *ecdsa.PrivateKey {
	GinkgoHelper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	Expect(err).NotTo(HaveOccurred())
	return key
}

// unsigned is c as a JWT with alg none and an empty signature.
func unsigned(c accessClaims) string {
	GinkgoHelper()
	payload, err := json.Marshal(c)
	Expect(err).NotTo(HaveOccurred())
	encode := base64.RawURLEncoding.EncodeToString
	return encode([]byte(`{"alg":"none","typ":"at+jwt"}`)) + "." + encode(payload) + "."
}

// publicKeyPEM is the authorization server's public key as PEM, built from
// its JWKS as an attacker would.
func publicKeyPEM(s *mockserver.Server) []byte {
	GinkgoHelper()
	var set jose.JSONWebKeySet
	Expect(json.Unmarshal(get(s.IssuerURL()+"/jwks").body, &set)).To(Succeed())
	Expect(set.Keys).To(HaveLen(1))
	der, err := x509.MarshalPKIXPublicKey(set.Keys[0].Key)
	Expect(err).NotTo(HaveOccurred())
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// tokenDefect is one way an access token can be bad, and the faults under
// which the resource server accepts it all the same.
type tokenDefect struct {
	name       string
	acceptedBy []fault.Name
	forge      func(s *mockserver.Server) string
}

var tokenDefects = []tokenDefect{
	{"unsigned (alg none)", []fault.Name{fault.RSAcceptAlgNone}, func(s *mockserver.Server) string {
		return unsigned(issuedClaims(s))
	}},
	{"signed by another key", []fault.Name{fault.RSAcceptForeignKey}, func(s *mockserver.Server) string {
		return signedWith(jose.ES256, attackerKey(), jose.SignerOptions{}, issuedClaims(s))
	}},
	{"signed by the jwk in its own header", []fault.Name{fault.RSAcceptEmbeddedJWK, fault.RSAcceptForeignKey}, func(s *mockserver.Server) string {
		return signedWith(jose.ES256, attackerKey(), jose.SignerOptions{EmbedJWK: true}, issuedClaims(s))
	}},
	{"HS256 keyed with the public key", []fault.Name{fault.RSAcceptHS256Confusion}, func(s *mockserver.Server) string {
		return signedWith(jose.HS256, publicKeyPEM(s), jose.SignerOptions{}, issuedClaims(s))
	}},
	{"expired", []fault.Name{fault.RSAcceptExpired}, func(s *mockserver.Server) string {
		return signedByServer(s, issuedClaimsWith(s, func(c *accessClaims) {
			c.IssuedAt = jwt.NewNumericDate(time.Now().Add(-time.Hour))
			c.Expiry = jwt.NewNumericDate(time.Now().Add(-time.Minute))
		}))
	}},
	{"not valid before an hour from now", []fault.Name{fault.RSAcceptNotYetValid}, func(s *mockserver.Server) string {
		return signedByServer(s, issuedClaimsWith(s, func(c *accessClaims) {
			c.NotBefore = jwt.NewNumericDate(time.Now().Add(time.Hour))
		}))
	}},
	{"issued an hour from now", []fault.Name{fault.RSAcceptNotYetValid}, func(s *mockserver.Server) string {
		return signedByServer(s, issuedClaimsWith(s, func(c *accessClaims) {
			c.IssuedAt = jwt.NewNumericDate(time.Now().Add(time.Hour))
		}))
	}},
	{"from another issuer", []fault.Name{fault.RSAcceptWrongIssuer}, func(s *mockserver.Server) string {
		return signedByServer(s, issuedClaimsWith(s, func(c *accessClaims) { c.Issuer = "https://as.example.com" }))
	}},
	{"for another audience", []fault.Name{fault.RSAcceptAnyAudience}, func(s *mockserver.Server) string {
		token, err := mockserver.IssueAccessToken(s, []string{"https://other.example.com/mcp"}, "mcp:tools")
		Expect(err).NotTo(HaveOccurred())
		return token
	}},
	{"without an audience", []fault.Name{fault.RSAcceptAnyAudience}, func(s *mockserver.Server) string {
		token, err := mockserver.IssueAccessToken(s, nil, "mcp:tools")
		Expect(err).NotTo(HaveOccurred())
		return token
	}},
	{"revoked", []fault.Name{fault.RSAcceptRevoked}, func(s *mockserver.Server) string {
		token := tokenOf(s)
		Expect(mockserver.RevokeAccessToken(s, token)).To(Succeed())
		return token
	}},
	{"an ID token (typ JWT)", nil, func(s *mockserver.Server) string {
		token, err := mockserver.SignWithType(s, issuedClaims(s).Claims, "mcp:tools", "JWT")
		Expect(err).NotTo(HaveOccurred())
		return token
	}},
	{"never issued (unknown jti)", nil, func(s *mockserver.Server) string {
		return signedByServer(s, issuedClaimsWith(s, func(c *accessClaims) { c.ID = "never-issued" }))
	}},
	{"without exp", nil, func(s *mockserver.Server) string {
		return signedByServer(s, issuedClaimsWith(s, func(c *accessClaims) { c.Expiry = nil }))
	}},
	{"not a JWT", nil, func(*mockserver.Server) string { return "not-a-jwt" }},
}

// tokenFaults are the faults that make the resource server accept a
// defective token.
func tokenFaults() []fault.Name {
	var faults []fault.Name
	for _, d := range tokenDefects {
		for _, f := range d.acceptedBy {
			if !slices.Contains(faults, f) {
				faults = append(faults, f)
			}
		}
	}
	return faults
}

// expectTokenFault checks that s, under fault name, accepts exactly the
// defects that list it, and that the reference refuses them.
func expectTokenFault(s *mockserver.Server, name fault.Name) {
	GinkgoHelper()
	reference := start()
	for _, d := range tokenDefects {
		if slices.Contains(d.acceptedBy, name) {
			Expect(postMCP(reference, "Bearer "+d.forge(reference)).status).To(Equal(http.StatusUnauthorized), d.name)
			Expect(postMCP(s, "Bearer "+d.forge(s)).status).To(Equal(http.StatusOK), d.name)
		} else {
			Expect(postMCP(s, "Bearer "+d.forge(s)).status).To(Equal(http.StatusUnauthorized), d.name)
		}
	}
}

func toolCall(name string, arguments map[string]any) string {
	GinkgoHelper()
	body, err := json.Marshal(map[string]any{
		"jsonrpc": "2.0", "id": 2, "method": "tools/call",
		"params": map[string]any{"name": name, "arguments": arguments},
	})
	Expect(err).NotTo(HaveOccurred())
	return string(body)
}

const writeNoteCall = `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"write_note","arguments":{"text":"hi"}}}`

// postRPC posts a JSON-RPC body to the MCP endpoint, with authorization
// unless empty, edited by edits.
func postRPC(s *mockserver.Server, authorization, body string, edits ...func(*http.Request)) answer {
	GinkgoHelper()
	req, err := http.NewRequest(http.MethodPost, s.MCPURL(), strings.NewReader(body))
	Expect(err).NotTo(HaveOccurred())
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	for _, edit := range edits {
		edit(req)
	}
	return do(client, req)
}

// postWithQueryToken sends initialize with a valid token in the query only.
func postWithQueryToken(s *mockserver.Server) answer {
	GinkgoHelper()
	req := mcpRequest(s, "")
	req.URL.RawQuery = url.Values{"access_token": {tokenOf(s)}}.Encode()
	return do(client, req)
}

func noCredentialsChallenge(s *mockserver.Server) string {
	return "Bearer " + prmChallenge(s) + `, scope="mcp:tools"`
}

func stepUpChallenge(s *mockserver.Server) string {
	return `Bearer error="insufficient_scope", ` + prmChallenge(s) + `, scope="mcp:tools mcp:write"`
}

// connectSDK opens an MCP session with the official SDK client, sending
// authorization on every request.
func connectSDK(ctx context.Context, s *mockserver.Server, authorization string) *mcp.ClientSession {
	GinkgoHelper()
	c := mcp.NewClient(&mcp.Implementation{Name: "mockserver-test", Version: "1"}, nil)
	transport := &mcp.StreamableClientTransport{
		Endpoint:             s.MCPURL(),
		HTTPClient:           &http.Client{Transport: bearerTransport{authorization}, Timeout: 3 * time.Second},
		DisableStandaloneSSE: true,
		MaxRetries:           -1,
	}
	session, err := c.Connect(ctx, transport, nil)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(session.Close)
	return session
}

func callText(ctx context.Context, session *mcp.ClientSession, name string, arguments map[string]any) (string, error) {
	res, err := session.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: arguments})
	if err != nil {
		return "", err
	}
	if res.IsError {
		return "", fmt.Errorf("tool error: %v", res.Content)
	}
	return res.Content[0].(*mcp.TextContent).Text, nil
}

// canary is an upstream API that records the Authorization header of each
// request it receives.
type canary struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
}

func startCanary() *canary {
	c := &canary{}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.seen = append(c.seen, r.Header.Get("Authorization"))
		c.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	DeferCleanup(c.Close)
	return c
}

func (c *canary) authorizations() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.seen)
}

// callFetchUpstream calls fetch_upstream through the SDK client and returns
// the status it reports.
func callFetchUpstream(ctx context.Context, s *mockserver.Server, authorization string) float64 {
	GinkgoHelper()
	res, err := connectSDK(ctx, s, authorization).CallTool(ctx, &mcp.CallToolParams{Name: "fetch_upstream"})
	Expect(err).NotTo(HaveOccurred())
	Expect(res.IsError).To(BeFalse(), "%v", res.Content)
	return res.StructuredContent.(map[string]any)["status"].(float64)
}

func init() {
	for _, name := range tokenFaults() {
		faultChecks[name] = func(s *mockserver.Server) { expectTokenFault(s, name) }
	}
	faultChecks[fault.RSAcceptQueryToken] = func(s *mockserver.Server) {
		Expect(postWithQueryToken(start()).status).To(Equal(http.StatusUnauthorized))
		Expect(postWithQueryToken(s).status).To(Equal(http.StatusOK))
	}
	faultChecks[fault.RSNoScopeCheck] = func(s *mockserver.Server) {
		reference := start()
		Expect(postMCP(reference, bearer(reference, "other")).status).To(Equal(http.StatusForbidden))
		Expect(postRPC(reference, bearer(reference), writeNoteCall).status).To(Equal(http.StatusForbidden))
		Expect(postMCP(s, bearer(s, "other")).status).To(Equal(http.StatusOK))
		Expect(postRPC(s, bearer(s), writeNoteCall).status).To(Equal(http.StatusOK))
	}
	faultChecks[fault.RSStepUpAs401] = func(s *mockserver.Server) {
		reference := start()
		Expect(postRPC(reference, bearer(reference), writeNoteCall).status).To(Equal(http.StatusForbidden))
		a := postRPC(s, bearer(s), writeNoteCall)
		Expect(a.status).To(Equal(http.StatusUnauthorized))
		Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(
			`Bearer error="invalid_token", ` + prmChallenge(s) + `, scope="mcp:tools mcp:write"`))
		a = postMCP(s, bearer(s, "other"))
		Expect(a.status).To(Equal(http.StatusUnauthorized))
		Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(invalidTokenChallenge(s, spec.Latest)))
	}
	faultChecks[fault.RSStepUpNoScope] = func(s *mockserver.Server) {
		reference := start()
		Expect(postRPC(reference, bearer(reference), writeNoteCall).header.Values("WWW-Authenticate")).To(ConsistOf(stepUpChallenge(reference)))
		for _, a := range []answer{postRPC(s, bearer(s), writeNoteCall), postMCP(s, bearer(s, "other"))} {
			Expect(a.status).To(Equal(http.StatusForbidden))
			Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(`Bearer error="insufficient_scope", ` + prmChallenge(s)))
		}
		Expect(postMCP(s, "").header.Values("WWW-Authenticate")).To(ConsistOf(noCredentialsChallenge(s)))
	}
	faultChecks[fault.RSEndpointScopeNoError] = func(s *mockserver.Server) {
		reference := start()
		Expect(postMCP(reference, bearer(reference, "other")).header.Values("WWW-Authenticate")).To(ConsistOf(insufficientScope(reference, "mcp:tools")))
		a := postMCP(s, bearer(s, "other"))
		Expect(a.status).To(Equal(http.StatusForbidden))
		Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(`Bearer ` + prmChallenge(s) + `, scope="mcp:tools"`))
		// A tool's scope is still refused with insufficient_scope.
		Expect(postRPC(s, bearer(s), writeNoteCall).header.Values("WWW-Authenticate")).To(ConsistOf(stepUpChallenge(s)))
	}
	faultChecks[fault.RSPassthroughToken] = func(*mockserver.Server) {
		ctx, cancel := context.WithTimeout(context.Background(), specTimeout)
		defer cancel()
		upstream := startCanary()
		s := start(mockserver.WithUpstream(upstream.URL), mockserver.WithFaults(fault.RSPassthroughToken))
		authorization := bearer(s)
		Expect(callFetchUpstream(ctx, s, authorization)).To(Equal(float64(http.StatusAccepted)))
		Expect(upstream.authorizations()).To(ConsistOf(authorization))
	}
}

var _ = Describe("the resource server", func() {
	var s *mockserver.Server
	BeforeEach(func() { s = start() })

	It("serves the SDK client's echo and asks it to step up for write_note", func(ctx SpecContext) {
		session := connectSDK(ctx, s, bearer(s))
		Expect(callText(ctx, session, "echo", map[string]any{"text": "hello"})).To(Equal("hello"))
		_, err := callText(ctx, session, "write_note", map[string]any{"text": "hi"})
		Expect(err).To(MatchError(ContainSubstring("Forbidden")))

		a := postRPC(s, bearer(s), writeNoteCall)
		Expect(a.status).To(Equal(http.StatusForbidden))
		Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(stepUpChallenge(s)))

		stepped := connectSDK(ctx, s, bearer(s, "mcp:tools", "mcp:write"))
		Expect(callText(ctx, stepped, "write_note", map[string]any{"text": "hi"})).To(Equal("noted: hi"))
	}, NodeTimeout(specTimeout))

	It("names every scope write_note needs in one challenge", func() {
		a := postRPC(s, bearer(s, "other"), writeNoteCall)
		Expect(a.status).To(Equal(http.StatusForbidden))
		Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(stepUpChallenge(s)))
		Expect(postRPC(s, bearer(s, "mcp:write"), writeNoteCall).status).To(Equal(http.StatusForbidden))
	})

	It("finds write_note in a batch", func() {
		batch := "[" + toolCall("echo", map[string]any{"text": "x"}) + "," + writeNoteCall + "]"
		a := postRPC(s, bearer(s), batch)
		Expect(a.status).To(Equal(http.StatusForbidden))
		Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(stepUpChallenge(s)))
	})

	It("leaves other tools to a token with only mcp:tools", func() {
		a := postRPC(s, bearer(s), toolCall("echo", map[string]any{"text": "x"}))
		Expect(a.status).To(Equal(http.StatusOK), string(a.body))
	})

	It("refuses a body over 1 MiB from a token it must read the body for", func() {
		huge := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"` +
			strings.Repeat("x", 1<<20) + `"}}}`
		Expect(postRPC(s, bearer(s), huge).status).To(Equal(http.StatusRequestEntityTooLarge))
		Expect(postRPC(s, bearer(s, "mcp:tools", "mcp:write"), huge).status).To(Equal(http.StatusRequestEntityTooLarge))
	})

	DescribeTable("refuses a bad token with 401 invalid_token",
		func(forge func(*mockserver.Server) string) {
			a := postMCP(s, "Bearer "+forge(s))
			Expect(a.status).To(Equal(http.StatusUnauthorized))
			Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(invalidTokenChallenge(s, spec.Latest)))
		},
		func() []TableEntry {
			var entries []TableEntry
			for _, d := range tokenDefects {
				entries = append(entries, Entry(d.name, d.forge))
			}
			return entries
		}(),
	)

	It("counts a token in the query string as no credentials", func() {
		a := postWithQueryToken(s)
		Expect(a.status).To(Equal(http.StatusUnauthorized))
		Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(noCredentialsChallenge(s)))
	})

	It("counts a token in a form body as no credentials", func() {
		form := url.Values{"access_token": {tokenOf(s)}}.Encode()
		req, err := http.NewRequest(http.MethodPost, s.MCPURL(), strings.NewReader(form))
		Expect(err).NotTo(HaveOccurred())
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		a := do(client, req)
		Expect(a.status).To(Equal(http.StatusUnauthorized))
		Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(noCredentialsChallenge(s)))
	})

	It("notes why it refused a token without writing the token down", func() {
		token := signedByServer(s, issuedClaimsWith(s, func(c *accessClaims) {
			c.Expiry = jwt.NewNumericDate(time.Now().Add(-time.Minute))
		}))
		Expect(postMCP(s, "Bearer "+token).status).To(Equal(http.StatusUnauthorized))
		events := s.Events()
		last := events[len(events)-1]
		Expect(last.Decision).To(ContainSubstring("expired"))
		Expect(last.Decision).NotTo(ContainSubstring(token))
	})

	Context("at 2025-03-26", func() {
		It("asks to step up with the realm challenge", func() {
			legacy := start(mockserver.WithRevision(spec.Rev20250326))
			a := postRPC(legacy, bearer(legacy), writeNoteCall)
			Expect(a.status).To(Equal(http.StatusForbidden))
			Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(
				`Bearer realm="mcp", error="insufficient_scope", scope="mcp:tools mcp:write"`))
		})
	})

	Describe("fetch_upstream", func() {
		It("presents the server's own credential upstream, never the client's token", func(ctx SpecContext) {
			upstream := startCanary()
			s := start(mockserver.WithUpstream(upstream.URL))
			Expect(callFetchUpstream(ctx, s, bearer(s))).To(Equal(float64(http.StatusAccepted)))
			Expect(upstream.authorizations()).To(ConsistOf("Bearer mcpconform-upstream-credential"))
		}, NodeTimeout(specTimeout))

		It("is not offered without an upstream", func(ctx SpecContext) {
			tools, err := connectSDK(ctx, s, bearer(s)).ListTools(ctx, nil)
			Expect(err).NotTo(HaveOccurred())
			var names []string
			for _, t := range tools.Tools {
				names = append(names, t.Name)
			}
			Expect(names).To(ConsistOf("echo", "write_note"))
		}, NodeTimeout(specTimeout))
	})
})
