package refclient

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockclient"
)

// assertionLifetime is how long a client assertion may be used.
const assertionLifetime = 2 * time.Minute

// machineClient is a client acting for itself with credentials of its own
// (MCP's OAuth client credentials extension): a client secret, or else the
// context's private key to sign client assertions with.
type machineClient struct {
	id     string
	secret string // "": it signs client assertions
}

// machineCredentials are the credentials the context gives the client of
// its own (client_id with client_secret or private_key_pem) when the
// authorization server is one for machine clients: its grant_types_supported
// lists client_credentials and not authorization_code. Nil otherwise: a
// confidential client then authorizes with a user.
func (f *flow) machineCredentials(as *authorizationServer) *machineClient {
	id, _ := f.cfg.Context["client_id"].(string)
	secret, _ := f.cfg.Context["client_secret"].(string)
	keyPEM, _ := f.cfg.Context["private_key_pem"].(string)
	if id == "" || secret == "" && keyPEM == "" ||
		!slices.Contains(as.grantTypes, grantClientCredentials) || slices.Contains(as.grantTypes, "authorization_code") {
		return nil
	}
	f.http.Redact(secret)
	return &machineClient{id: id, secret: secret}
}

const grantClientCredentials = "client_credentials"

// clientCredentials gets an access token for the client itself with the
// client credentials grant (OAuth 2.1 §4.2), for the MCP server's scope and
// naming it as resource, and runs the MCP session with it.
func (f *flow) clientCredentials(ctx context.Context, as *authorizationServer, prm *mockclient.Document, challenge map[string]string, m *machineClient) error {
	if f.has(fault.ClientCCAuthorizationRequest) {
		f.strayAuthorizationRequest(ctx, as, m.id)
	}
	auth, err := f.machineAuth(as, m)
	if err != nil {
		return err
	}
	form := url.Values{"grant_type": {grantClientCredentials}}
	if auth.Method == "private_key_jwt" && f.has(fault.ClientCCJWTBearerGrant) {
		f.logf("naming RFC 7523's authorization grant instead of client_credentials (fault %s)", fault.ClientCCJWTBearerGrant)
		form.Set("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
	}
	if prm != nil && !f.has(fault.ClientNoResource) {
		form.Set("resource", f.resourceIndicator(prm))
	}
	if scope := f.resourceScope(as, prm, challenge); scope != "" {
		form.Set("scope", scope)
	}
	f.logf("client credentials token request to %s: %s, scope %q, resource %q", as.tokenEndpoint, auth.Method, form.Get("scope"), form.Get("resource"))
	answer, err := f.http.TokenRequest(ctx, as.tokenEndpoint, form, auth)
	if err != nil {
		return fmt.Errorf("refclient: client credentials token request: %w", err)
	}
	if err := f.checkTokenResponse(as.tokenEndpoint, answer); err != nil {
		return fmt.Errorf("refclient: client credentials token request: %w", err)
	}
	f.logf("token response: a Bearer access token for the client itself")
	return f.session(ctx, &keeper{flow: f, tokens: tokens{access: answer.String("access_token")}})
}

// strayAuthorizationRequest is client.cc.authorization-request: an
// authorization code request through the user agent, whose answer is
// ignored.
func (f *flow) strayAuthorizationRequest(ctx context.Context, as *authorizationServer, clientID string) {
	params := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {"http://" + loopbackIP + "/callback"},
		"code_challenge": {mockclient.S256(mockclient.NewVerifier())}, "code_challenge_method": {"S256"}, "state": {randomValue()}}
	target, err := mockclient.AuthorizationURL(as.authorizationEndpoint, params)
	if err == nil {
		_, err = f.http.Do(ctx, http.MethodGet, target, nil, "")
	}
	f.logf("sent the user agent to the authorization endpoint first (fault %s): %v", fault.ClientCCAuthorizationRequest, err)
}

// machineAuth is how the client authenticates: HTTP Basic with its secret
// (client_secret_basic), or a client assertion signed with its key
// (private_key_jwt, RFC 7523 §2.2).
func (f *flow) machineAuth(as *authorizationServer, m *machineClient) (mockclient.ClientAuth, error) {
	if m.secret != "" {
		if f.has(fault.ClientCCSecretPost) {
			f.logf("sending the client secret in the request body (fault %s)", fault.ClientCCSecretPost)
			return mockclient.ClientAuth{Method: "client_secret_post", ID: m.id, Secret: m.secret}, nil
		}
		return mockclient.ClientAuth{Method: "client_secret_basic", ID: m.id, Secret: m.secret}, nil
	}
	assertion, err := f.clientAssertion(as, m)
	if err != nil {
		return mockclient.ClientAuth{}, err
	}
	auth := mockclient.ClientAuth{Method: "private_key_jwt", ID: m.id, Assertion: assertion}
	if f.has(fault.ClientCCAssertionTypeWrong) {
		f.logf("naming the grant type as client_assertion_type (fault %s)", fault.ClientCCAssertionTypeWrong)
		auth.AssertionType = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	}
	return auth, nil
}

// clientAssertion is a JWT naming the client as iss and sub, for the
// authorization server (aud its issuer), used once (jti) within
// assertionLifetime, signed with the context's key (RFC 7523 §3).
func (f *flow) clientAssertion(as *authorizationServer, m *machineClient) (string, error) {
	key, err := f.assertionKey()
	if err != nil {
		return "", err
	}
	now := time.Now()
	claims := jwt.Claims{
		Issuer: m.id, Subject: m.id, Audience: jwt.Audience{as.issuer}, ID: randomValue(),
		IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(assertionLifetime)),
	}
	if f.has(fault.ClientCCAssertionNoSubject) {
		f.logf("leaving sub out of the client assertion (fault %s)", fault.ClientCCAssertionNoSubject)
		claims.Subject = ""
	}
	if f.has(fault.ClientCCAssertionAudienceMCP) {
		f.logf("addressing the client assertion to the MCP server (fault %s)", fault.ClientCCAssertionAudienceMCP)
		claims.Audience = jwt.Audience{f.cfg.MCPURL}
	}
	algorithm, _ := f.cfg.Context["signing_algorithm"].(string)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.SignatureAlgorithm(algorithm), Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", fmt.Errorf("refclient: client assertion: signer for %q: %w", algorithm, err)
	}
	assertion, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		return "", fmt.Errorf("refclient: client assertion: %w", err)
	}
	f.http.Redact(assertion)
	return assertion, nil
}

// assertionKey is the private key of the context's private_key_pem (PKCS #8),
// or under client.cc.assertion-own-key one made now.
func (f *flow) assertionKey() (crypto.Signer, error) {
	if f.has(fault.ClientCCAssertionOwnKey) {
		f.logf("signing the client assertion with a key of its own (fault %s)", fault.ClientCCAssertionOwnKey)
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	encoded, _ := f.cfg.Context["private_key_pem"].(string)
	block, _ := pem.Decode([]byte(encoded))
	if block == nil {
		return nil, fmt.Errorf("refclient: the context's private_key_pem is not PEM")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("refclient: the context's private_key_pem: %w", err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("refclient: the context's private key cannot sign")
	}
	return signer, nil
}
