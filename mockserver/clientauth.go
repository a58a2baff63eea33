package mockserver

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Client authentication at the token endpoint (RFC 6749 §2.3, RFC 7523
// §2.2 and §3): with the one method the client registered.

// clientAssertionTypeJWT is the client_assertion_type of private_key_jwt.
const clientAssertionTypeJWT = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// clientAssertionAlgorithms are the algorithms the metadata advertises in
// token_endpoint_auth_signing_alg_values_supported.
var clientAssertionAlgorithms = []jose.SignatureAlgorithm{jose.ES256, jose.RS256}

// Client authentication faults.
func init() {
	registerFaults(
		Fault{fault.ASClientAcceptWrongSecret, "client_secret_basic and client_secret_post accept any client secret", spec.Rev20250326},
		Fault{fault.ASClientAcceptOtherAuthMethod, "a client may authenticate with another method than the one it registered, none included", spec.Rev20250326},
		Fault{fault.ASClientInvalidClient400, "invalid_client is answered 400 without WWW-Authenticate", spec.Rev20250326},
	)
}

// assertionLog remembers the jti of each accepted client assertion until
// the assertion expires, so that none is accepted twice (RFC 7523 §3).
type assertionLog struct {
	mu   sync.Mutex
	seen map[string]time.Time // client ID and jti: expiry
}

func newAssertionLog() *assertionLog { return &assertionLog{seen: map[string]time.Time{}} }

// firstUse records the assertion and reports whether it is new.
func (l *assertionLog) firstUse(clientID, jti string, expires time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	for key, exp := range l.seen {
		if now.After(exp) {
			delete(l.seen, key)
		}
	}
	key := clientID + " " + jti
	if _, seen := l.seen[key]; seen {
		return false
	}
	l.seen[key] = expires
	return true
}

// presentedAuthMethod tells which authentication method a token request
// uses; more than one is an error (RFC 6749 §2.3). An empty client_secret,
// which some public clients send, is no credential.
func presentedAuthMethod(r *http.Request) (string, *oauthError) {
	var methods []string
	if r.Header.Get("Authorization") != "" {
		methods = append(methods, authClientSecretBasic)
	}
	if r.PostForm.Get("client_secret") != "" {
		methods = append(methods, authClientSecretPost)
	}
	if r.PostForm.Has("client_assertion") || r.PostForm.Has("client_assertion_type") {
		methods = append(methods, authPrivateKeyJWT)
	}
	switch len(methods) {
	case 0:
		return authNone, nil
	case 1:
		return methods[0], nil
	default:
		return "", oauthErrorf(oauthInvalidRequest, "more than one client authentication method: %s", strings.Join(methods, ", "))
	}
}

// authenticateClient identifies and authenticates the client of a token
// request.
func (s *Server) authenticateClient(r *http.Request, assertions *assertionLog) (*client, *oauthError) {
	method, err := presentedAuthMethod(r)
	if err != nil {
		return nil, err
	}
	if method == authPrivateKeyJWT {
		return s.authenticateAssertion(r, assertions)
	}
	clientID, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if method == authClientSecretBasic {
		if clientID, secret, err = basicCredentials(r); err != nil {
			return nil, err
		}
		if sent := r.PostForm.Get("client_id"); sent != "" && sent != clientID {
			return nil, oauthErrorf(oauthInvalidRequest, "client_id differs from the client authenticated by HTTP Basic")
		}
	}
	if clientID == "" {
		return nil, oauthErrorf(oauthInvalidClient, "no client_id and no client authentication")
	}
	c, err := s.registeredClient(r, clientID, method)
	if err != nil {
		return nil, err
	}
	if method == authNone {
		return c, nil
	}
	if !c.SecretExpires.IsZero() && time.Now().After(c.SecretExpires) {
		return nil, oauthErrorf(oauthInvalidClient, "client secret expired")
	}
	if subtle.ConstantTimeCompare([]byte(secret), []byte(c.Secret)) != 1 && !s.acceptsWrongSecret(r) {
		return nil, oauthErrorf(oauthInvalidClient, "wrong client secret")
	}
	return c, nil
}

// registeredClient finds the client and checks it registered method.
func (s *Server) registeredClient(r *http.Request, clientID, method string) (*client, *oauthError) {
	c, err := s.resolveClient(r, clientID)
	if err != nil {
		return nil, clientRefusal(oauthInvalidClient, err)
	}
	if c.AuthMethod != method && !s.faults[fault.ASClientAcceptOtherAuthMethod] && !s.secretMethodSwapped(c.AuthMethod, method) {
		return nil, oauthErrorf(oauthInvalidClient, "the client registered %s, not %s", c.AuthMethod, method)
	}
	return c, nil
}

// basicCredentials reads HTTP Basic credentials, whose parts are
// form-urlencoded first (RFC 6749 §2.3.1).
func basicCredentials(r *http.Request) (clientID, secret string, err *oauthError) {
	user, password, ok := r.BasicAuth()
	if !ok {
		return "", "", oauthErrorf(oauthInvalidClient, "the Authorization header is not HTTP Basic")
	}
	clientID, uerr := url.QueryUnescape(user)
	if uerr != nil {
		return "", "", oauthErrorf(oauthInvalidClient, "HTTP Basic user is not form-urlencoded")
	}
	secret, uerr = url.QueryUnescape(password)
	if uerr != nil {
		return "", "", oauthErrorf(oauthInvalidClient, "HTTP Basic password is not form-urlencoded")
	}
	return clientID, secret, nil
}

// authenticateAssertion checks a private_key_jwt client assertion: signed
// by a key of the client's registered JWKS, iss and sub the client_id, aud
// the token endpoint or the issuer, not expired, jti never seen.
func (s *Server) authenticateAssertion(r *http.Request, assertions *assertionLog) (*client, *oauthError) {
	assertionType, assertion := r.PostForm.Get("client_assertion_type"), r.PostForm.Get("client_assertion")
	switch {
	case assertionType == "" || assertion == "":
		return nil, oauthErrorf(oauthInvalidRequest, "client_assertion and client_assertion_type go together")
	case assertionType != clientAssertionTypeJWT:
		return nil, oauthErrorf(oauthInvalidClient, "client_assertion_type must be %s", clientAssertionTypeJWT)
	}
	parsed, err := jwt.ParseSigned(assertion, clientAssertionAlgorithms)
	if err != nil {
		return nil, oauthErrorf(oauthInvalidClient, "client assertion is not a JWT signed with ES256 or RS256")
	}
	// The client is named by client_id or else by the assertion itself;
	// the claims are trusted only once the signature verifies.
	clientID := r.PostForm.Get("client_id")
	if clientID == "" {
		var unverified jwt.Claims
		if err := parsed.UnsafeClaimsWithoutVerification(&unverified); err != nil {
			return nil, oauthErrorf(oauthInvalidClient, "client assertion claims do not decode")
		}
		clientID = unverified.Subject
	}
	if clientID == "" {
		return nil, oauthErrorf(oauthInvalidClient, "client assertion names no client")
	}
	c, oerr := s.registeredClient(r, clientID, authPrivateKeyJWT)
	if oerr != nil {
		return nil, oerr
	}
	claims, ok := verifiedAssertionClaims(parsed, c.JWKS)
	if !ok {
		return nil, oauthErrorf(oauthInvalidClient, "client assertion signature does not verify with the client's keys")
	}
	expected := jwt.Expected{Issuer: c.ID, Subject: c.ID, AnyAudience: jwt.Audience{s.tokenEndpoint(), s.issuer}}
	if err := claims.ValidateWithLeeway(expected, 0); err != nil {
		return nil, oauthErrorf(oauthInvalidClient, "client assertion claims: %v", err)
	}
	switch {
	case claims.Expiry == nil:
		return nil, oauthErrorf(oauthInvalidClient, "client assertion has no exp")
	case claims.ID == "":
		return nil, oauthErrorf(oauthInvalidClient, "client assertion has no jti")
	case !assertions.firstUse(c.ID, claims.ID, claims.Expiry.Time()):
		return nil, oauthErrorf(oauthInvalidClient, "client assertion jti already used")
	}
	return c, nil
}

// verifiedAssertionClaims returns the claims if a key of jwks (the one the
// header names, if it names one) verifies the signature.
func verifiedAssertionClaims(parsed *jwt.JSONWebToken, jwks *jose.JSONWebKeySet) (*jwt.Claims, bool) {
	if jwks == nil {
		return nil, false
	}
	keys := jwks.Keys
	if kid := parsed.Headers[0].KeyID; kid != "" {
		keys = jwks.Key(kid)
	}
	for _, key := range keys {
		var claims jwt.Claims
		if parsed.Claims(key.Public(), &claims) == nil {
			return &claims, true
		}
	}
	return nil, false
}
