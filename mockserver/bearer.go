package mockserver

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Bearer token checking is done here rather than with the SDK's
// auth.RequireBearerToken so that faults can bend every part of the
// validation and of the challenge.

const (
	errInvalidToken      = "invalid_token"      // RFC 6750 §3.1
	errInsufficientScope = "insufficient_scope" // RFC 6750 §3.1
	legacyRealm          = "mcp"
	// maxMCPRequestBody bounds the body the step-up check buffers, and the
	// SDK after it.
	maxMCPRequestBody = 1 << 20
)

func init() {
	registerFaults(
		Fault{fault.RSAcceptAnyAudience, "access tokens are accepted whatever their audience (aud not checked)", spec.Rev20250326},
		Fault{fault.RSAcceptAlgNone, "an unsigned JWT (alg none) is accepted with its claims", spec.Rev20250326},
		Fault{fault.RSAcceptForeignKey, "an ES256 JWT signed by any key is accepted (signature not checked against the authorization server's key)", spec.Rev20250326},
		Fault{fault.RSAcceptEmbeddedJWK, "a JWT whose header carries a jwk is verified with that key instead of the authorization server's", spec.Rev20250326},
		Fault{fault.RSAcceptHS256Confusion, "an HS256 JWT MACed with the authorization server's public key (PEM) as secret is accepted", spec.Rev20250326},
		Fault{fault.RSAcceptExpired, "an expired JWT is accepted", spec.Rev20250326},
		Fault{fault.RSAcceptNotYetValid, "a JWT whose nbf or iat lies in the future is accepted", spec.Rev20250326},
		Fault{fault.RSAcceptWrongIssuer, "a JWT from another issuer is accepted (iss not checked)", spec.Rev20250326},
		Fault{fault.RSAcceptRevoked, "a revoked JWT is accepted", spec.Rev20250326},
		Fault{fault.RSAcceptQueryToken, "an access token in the access_token query parameter is accepted when no Bearer header is sent", spec.Rev20250326},
		Fault{fault.RSNoScopeCheck, "the MCP endpoint and write_note serve tokens without the scopes they need", spec.Rev20250326},
		Fault{fault.RSStepUpAs401, "insufficient scope is answered 401 invalid_token instead of 403 insufficient_scope", spec.Rev20250326},
		Fault{fault.RSStepUpNoScope, "the 403 insufficient_scope challenge omits the scope needed", spec.Rev20250326},
		Fault{fault.RSEndpointScopeNoError, "the 403 for a token lacking the scope every request needs carries no error code (a tool's scope still gets insufficient_scope)", spec.Rev20250326},
	)
}

// requireBearer lets a request through to next only with a valid access
// token for the MCP endpoint carrying the scopes its JSON-RPC calls need.
func (s *Server) requireBearer(next http.Handler) http.Handler {
	backchannel := newBackchannelClient(s.CACertPEM())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxMCPRequestBody)
		if s.faults[fault.RSNoAuth] {
			next.ServeHTTP(w, r)
			return
		}
		token, sent := s.accessToken(r)
		if !sent && (s.initializesOnly(r) || s.sessionAuthorizes(r)) {
			next.ServeHTTP(w, r)
			return
		}
		if !sent {
			// RFC 6750 §3.1: no error code when no credentials were sent.
			code := ""
			if s.faults[fault.RSErrorWithoutCredentials] {
				code = errInvalidToken
			}
			s.unauthorized(w, r, code, requiredScope, "mockserver: bearer token required")
			return
		}
		scope, err := s.validAccessToken(r.Context(), backchannel, token)
		if err != nil {
			decide(r, "token rejected: %v", err)
			s.unauthorized(w, r, s.invalidTokenCode(), requiredScope, err.Error())
			return
		}
		held := strings.Fields(scope)
		lacks := func(needed string) bool {
			return !s.faults[fault.RSNoScopeCheck] && !slices.Contains(held, needed)
		}
		needed, never, err := s.neededScopes(r, lacks)
		if err != nil {
			status := http.StatusBadRequest
			if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
				status = http.StatusRequestEntityTooLarge
			}
			http.Error(w, err.Error(), status)
			return
		}
		if never || slices.ContainsFunc(needed, lacks) {
			decide(r, "insufficient scope: needs %s", strings.Join(needed, " "))
			s.insufficientScope(w, r, strings.Join(s.challengedScopes(needed, lacks), " "), lacks(requiredScope))
			return
		}
		if !s.holdUntilExpired(r, token) || s.redirectToSecondServer(w, r) {
			return
		}
		s.migrate(r)
		next.ServeHTTP(w, r)
	})
}

// accessToken is the token the MCP endpoint considers: only the Bearer
// header's, since MCP requires the header and OAuth 2.1 drops the query
// method. A token in the query or a form body counts as no credentials.
func (s *Server) accessToken(r *http.Request) (token string, sent bool) {
	if token, sent := bearerToken(r); sent {
		return s.headerToken(token), true
	}
	if s.faults[fault.RSAcceptQueryToken] {
		if token := r.URL.Query().Get("access_token"); token != "" {
			return token, true
		}
	}
	return "", false
}

// bearerToken returns the token of an "Authorization: Bearer" header. Any
// other scheme counts as no credentials (RFC 6750 §3.1), so the client is
// told which scheme to use rather than that its token is bad.
func bearerToken(r *http.Request) (token string, sent bool) {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(token), true
}

// validAccessToken checks a token as a resource server of this
// authorization server must and returns its scope: JWTs locally, opaque
// tokens by introspection.
func (s *Server) validAccessToken(ctx context.Context, backchannel *http.Client, token string) (string, error) {
	if s.cfg.opaqueTokens {
		return s.validOpaqueToken(ctx, backchannel, token)
	}
	claims, issuer, err := s.verifyJWT(ctx, token)
	if err != nil {
		return "", err
	}
	if err := s.checkClaims(claims, issuer); err != nil {
		return "", err
	}
	return claims.Scope, nil
}

// jwtHeader is the part of the JOSE header checked before go-jose, which
// refuses alg none outright, sees the token.
type jwtHeader struct {
	Alg string `json:"alg"`
	Typ string `json:"typ"`
	Kid string `json:"kid"`
}

func decodeJWTPart(part string, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

// verifyJWT checks the header and the signature and returns the claims
// with the issuer the signing key speaks for.
func (s *Server) verifyJWT(ctx context.Context, token string) (*accessTokenClaims, string, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, "", errors.New("mockserver: access token is not a JWT")
	}
	var header jwtHeader
	if err := decodeJWTPart(parts[0], &header); err != nil {
		return nil, "", fmt.Errorf("mockserver: access token header: %w", err)
	}
	// RFC 9068 §4: typ tells access tokens from other JWTs (ID tokens).
	if !strings.EqualFold(header.Typ, accessTokenType) && !strings.EqualFold(header.Typ, "application/"+accessTokenType) {
		return nil, "", errors.New("mockserver: access token typ is not at+jwt")
	}
	var claims accessTokenClaims
	if strings.EqualFold(header.Alg, "none") && s.faults[fault.RSAcceptAlgNone] {
		if err := decodeJWTPart(parts[1], &claims); err != nil {
			return nil, "", fmt.Errorf("mockserver: access token claims: %w", err)
		}
		return &claims, s.knownIssuer(claims.Issuer), nil
	}
	algorithms := []jose.SignatureAlgorithm{signingAlgorithm}
	if s.faults[fault.RSAcceptHS256Confusion] {
		algorithms = append(algorithms, jose.HS256)
	}
	parsed, err := jwt.ParseSigned(token, algorithms)
	if err != nil {
		return nil, "", fmt.Errorf("mockserver: parse access token: %w", err)
	}
	signed := parsed.Headers[0]
	key, issuer, err := s.verificationKey(ctx, header.Kid)
	switch {
	case signed.Algorithm == string(jose.HS256) && err == nil: // only allowed under its fault
		if key, err = hs256ConfusionSecret(key); err != nil {
			return nil, "", err
		}
	case s.faults[fault.RSAcceptForeignKey]:
		if err := parsed.UnsafeClaimsWithoutVerification(&claims); err != nil {
			return nil, "", fmt.Errorf("mockserver: access token claims: %w", err)
		}
		return &claims, s.knownIssuer(claims.Issuer), nil
	case signed.JSONWebKey != nil && s.faults[fault.RSAcceptEmbeddedJWK]:
		key, issuer, err = signed.JSONWebKey, "", nil // the key speaks for no issuer
	}
	if err != nil {
		return nil, "", err
	}
	if err := parsed.Claims(key, &claims); err != nil {
		return nil, "", fmt.Errorf("mockserver: access token signature: %w", err)
	}
	if issuer == "" {
		issuer = s.knownIssuer(claims.Issuer)
	}
	return &claims, issuer, nil
}

// knownIssuer is the issuer an unverified token is held to: the one it
// names when the server trusts that one, else the server's own.
func (s *Server) knownIssuer(named string) string {
	if s.trusted != nil && named == s.cfg.trustedIssuer {
		return named
	}
	return s.issuer
}

// hs256ConfusionSecret is the HMAC secret of the algorithm confusion attack:
// the public key the token names as PEM, which anyone can build from the
// JWKS.
func hs256ConfusionSecret(public any) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(public)
	if err != nil {
		return nil, fmt.Errorf("mockserver: encode public key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// expectedAudience is the MCP URL; under rs.expects-origin-audience the
// origin, a common mistake that refuses every correctly issued token.
func (s *Server) expectedAudience() string {
	if s.faults[fault.RSExpectsOriginAudience] {
		return s.rsOrigin.local
	}
	return s.resource
}

// checkClaims judges a verified token's claims; issuer is the one its
// signing key speaks for. Tokens are recorded when issued here, so one
// claiming this issuer with an unknown jti was not.
func (s *Server) checkClaims(claims *accessTokenClaims, issuer string) error {
	now := time.Now()
	switch {
	case claims.Issuer != issuer && !s.faults[fault.RSAcceptWrongIssuer]:
		return errors.New("mockserver: access token from another issuer")
	case !claims.Audience.Contains(s.expectedAudience()) && !s.faults[fault.RSAcceptAnyAudience] && !s.acceptsOtherResource(claims.Audience):
		return errors.New("mockserver: access token is not for this resource")
	case claims.Expiry == nil:
		return errors.New("mockserver: access token has no exp")
	case !now.Before(claims.Expiry.Time()) && !s.faults[fault.RSAcceptExpired]:
		return errors.New("mockserver: access token expired")
	case !s.faults[fault.RSAcceptNotYetValid] && claims.NotBefore != nil && now.Before(claims.NotBefore.Time()):
		return errors.New("mockserver: access token not valid yet (nbf)")
	case !s.faults[fault.RSAcceptNotYetValid] && claims.IssuedAt != nil && now.Before(claims.IssuedAt.Time()):
		return errors.New("mockserver: access token issued in the future (iat)")
	}
	if s.movedAwayFrom(claims.Issuer) {
		return errors.New("mockserver: access token of the authorization server this resource moved away from")
	}
	if claims.Issuer != s.issuer {
		return nil // another issuer's token, vouched for by its key
	}
	rec, ok := s.store.tokenRecord(claims.ID)
	switch {
	case !ok:
		return errors.New("mockserver: access token was not issued here (unknown jti)")
	case rec.Revoked && !s.faults[fault.RSAcceptRevoked]:
		return errors.New("mockserver: access token revoked")
	case !now.Before(rec.Expires) && !s.faults[fault.RSAcceptExpired]:
		// The record is exact where exp counts whole seconds.
		return errors.New("mockserver: access token expired")
	}
	return nil
}

// neededScopes are the scopes request r needs, which MCP asks a server to
// name in one challenge; never reports a request refused whatever its token
// holds (WithToolListAlwaysInsufficient). The body is read only when a
// scope beyond requiredScope could be needed.
func (s *Server) neededScopes(r *http.Request, lacks func(string) bool) (needed []string, never bool, err error) {
	if !s.cfg.scopeOnlyForTools {
		needed = []string{requiredScope}
	}
	if !lacks(writeScope) && s.cfg.toolListScope == "" && !s.cfg.toolListInsufficient {
		return needed, false, nil
	}
	calls, err := peekCalls(r)
	if err != nil {
		return nil, false, err
	}
	if slices.Contains(calls.tools, writeNoteTool) {
		needed = append(needed, writeScope)
	}
	listsTools := slices.Contains(calls.methods, toolListMethod)
	if listsTools && s.cfg.toolListScope != "" && !slices.Contains(needed, s.cfg.toolListScope) {
		needed = append(needed, s.cfg.toolListScope)
	}
	return needed, listsTools && s.cfg.toolListInsufficient, nil
}

// rpcCalls are the methods a JSON-RPC message or batch calls, and the tools
// its tools/call requests name.
type rpcCalls struct {
	methods, tools []string
}

// peekCalls reads what a JSON-RPC message or batch calls, and puts the body
// back for the SDK. Keys match exactly, as in the SDK's decoder, so a call
// it would run cannot hide from the scope check.
func peekCalls(r *http.Request) (rpcCalls, error) {
	var calls rpcCalls
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return calls, fmt.Errorf("mockserver: read request: %w", err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	messages := []json.RawMessage{body}
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '[' {
		if json.Unmarshal(trimmed, &messages) != nil {
			return calls, nil // malformed: the SDK answers it
		}
	}
	for _, raw := range messages {
		var message map[string]json.RawMessage
		var method string
		if json.Unmarshal(raw, &message) != nil || json.Unmarshal(message["method"], &method) != nil {
			continue
		}
		calls.methods = append(calls.methods, method)
		if method != "tools/call" {
			continue
		}
		var params map[string]json.RawMessage
		var name string
		if json.Unmarshal(message["params"], &params) == nil && json.Unmarshal(params["name"], &name) == nil {
			calls.tools = append(calls.tools, name)
		}
	}
	return calls, nil
}

// insufficientScope answers a valid token lacking scope, the scopes the
// request needs (RFC 6750 §3.1; MCP's step-up authorization); endpointWide:
// it lacks the scope every request needs.
func (s *Server) insufficientScope(w http.ResponseWriter, r *http.Request, scope string, endpointWide bool) {
	reason := "mockserver: access token lacks scope " + scope
	if s.faults[fault.RSStepUpAs401] {
		s.unauthorized(w, r, errInvalidToken, scope, reason)
		return
	}
	if s.faults[fault.RSStepUpNoScope] {
		scope = ""
	}
	code := errInsufficientScope
	if endpointWide && s.faults[fault.RSEndpointScopeNoError] {
		code = ""
	}
	w.Header().Set("WWW-Authenticate", s.challenge(r, code, http.StatusForbidden, scope))
	http.Error(w, reason, http.StatusForbidden)
}

func (s *Server) unauthorized(w http.ResponseWriter, r *http.Request, code, scope, reason string) {
	if s.faults[fault.RSMCPHang] {
		hang(w, r)
		return
	}
	if !s.faults[fault.RSNoWWWAuthenticate] {
		w.Header().Set("WWW-Authenticate", s.challenge(r, code, http.StatusUnauthorized, scope))
	}
	http.Error(w, reason, http.StatusUnauthorized)
}

// challenge builds the Bearer challenge for a 401 or 403 answer. From
// 2025-06-18 it names the protected resource metadata and the scope to ask
// for; 2025-03-26 has neither and uses a realm. r is the request answered.
func (s *Server) challenge(r *http.Request, code string, status int, scope string) string {
	var params []string
	add := func(name, value string) { params = append(params, name+`="`+value+`"`) }
	if !s.revision.UsesProtectedResourceMetadata() {
		add("realm", legacyRealm)
	}
	if code != "" {
		add("error", code)
	}
	unauthorized := status == http.StatusUnauthorized
	if s.revision.UsesProtectedResourceMetadata() && !(unauthorized && s.faults[fault.RSChallengeNoResourceMetadata]) {
		add("resource_metadata", s.asForwarded(r, s.challengeMetadataURL()))
	}
	// The scope to ask for is named on every 403, and from 2025-06-18 on a
	// 401 too.
	if scope != "" && (!unauthorized || s.unauthorizedNamesScope()) {
		add("scope", scope)
	}
	if len(params) == 0 {
		return "Bearer"
	}
	return "Bearer " + strings.Join(params, ", ")
}

// unauthorizedNamesScope reports whether a 401 challenge names the scope to
// ask for.
func (s *Server) unauthorizedNamesScope() bool {
	return s.revision.UsesProtectedResourceMetadata() && !s.faults[fault.RSChallengeNoScope]
}

// challengeMetadataURL is the protected resource metadata URL the challenge
// names: the path-inserted one, or the one URL that is served.
func (s *Server) challengeMetadataURL() string {
	switch {
	case s.cfg.metadataOnlyInChallenge:
		return s.prmCustomURL
	case s.prmAtRootOnly():
		return s.prmRootURL
	}
	return s.prmURL
}
