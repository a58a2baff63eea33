package mockserver

import (
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// The token endpoint (OAuth 2.1 §3.2 and §4, RFC 7636 §4.6, RFC 8707
// §2.2): authorization_code, refresh_token and client_credentials grants.

// Token endpoint faults.
func init() {
	registerFaults(
		Fault{fault.ASCodeAllowReplay, "an authorization code can be redeemed more than once", spec.Rev20250326},
		Fault{fault.ASCodeNoRevokeOnReplay, "a replayed authorization code is refused but the tokens issued from it stay valid", spec.Rev20250326},
		Fault{fault.ASCodeNotClientBound, "an authorization code issued to one client is redeemed by any other client", spec.Rev20250326},
		Fault{fault.ASCodeReplayError500, "a replayed authorization code is refused with 500 server_error instead of 400 invalid_grant (the grant is still revoked)", spec.Rev20250326},
		Fault{fault.ASRedirectUncheckedAtToken, "the token request's redirect_uri is not compared with the authorization request's", spec.Rev20250326},
		Fault{fault.ASResourceIgnored, "access tokens have the issuer as audience instead of the requested resource", spec.Rev20250618},
		Fault{fault.ASTokenNoCacheControl, "successful token responses carry neither Cache-Control nor Pragma", spec.Rev20250326},
		Fault{fault.ASTokenRefuseCodes, "the token endpoint refuses every authorization code with invalid_grant", spec.Rev20250326},
		Fault{fault.ASRefreshNoRotation, "public clients get no new refresh token when refreshing; the one they have stays valid", spec.Rev20250326},
		Fault{fault.ASRefreshAllowReuse, "a rotated refresh token still works, so its reuse is never detected", spec.Rev20250326},
		Fault{fault.ASRefreshNotClientBound, "a refresh token issued to another client is accepted", spec.Rev20250326},
		Fault{fault.ASCCWidenScope, "client_credentials grants whatever scope is requested, beyond the client's registration", spec.Rev20250326},
	)
}

const (
	formContentType     = "application/x-www-form-urlencoded"
	maxTokenRequestBody = 64 << 10
)

// tokenResponse is a successful token response (RFC 6749 §5.1).
type tokenResponse struct {
	AccessToken  string `json:"access_token,omitempty"` // omitted only under as.token.no-access-token
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	Scope        string `json:"scope"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

func (s *Server) mountToken(as *http.ServeMux) {
	assertions := newAssertionLog()
	as.HandleFunc("POST "+pathOf(s.asOrigin, s.tokenEndpoint()), func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.busyToken.answerBusy(w, r) {
			return
		}
		resp, err := s.token(w, r, assertions)
		if err != nil {
			s.writeTokenError(w, r, err)
			return
		}
		s.writeTokenResponse(w, resp)
	})
}

func (s *Server) writeTokenError(w http.ResponseWriter, r *http.Request, err *oauthError) {
	decide(r, "token request refused: %s: %s", err.Code, err.Description)
	if s.writeMissingCodeHTML(w, r, err) {
		return
	}
	status := err.Status()
	if err.Code == oauthInvalidClient {
		if s.faults[fault.ASClientInvalidClient400] {
			status = http.StatusBadRequest
		} else {
			// A 401 names a scheme to use (RFC 9110 §15.5.2); RFC 6749
			// §5.2 requires it when the client tried HTTP Basic.
			w.Header().Set("WWW-Authenticate", basicChallenge)
		}
	}
	writeNoStoreJSON(w, status, err.body(), false)
}

func (s *Server) token(w http.ResponseWriter, r *http.Request, assertions *assertionLog) (*tokenResponse, *oauthError) {
	if err := parseTokenRequest(w, r); err != nil {
		return nil, err
	}
	grant := r.PostForm.Get("grant_type")
	if err := s.faultyGrantRefusal(grant); err != nil {
		return nil, err
	}
	switch grant {
	case grantAuthorizationCode, grantRefreshToken, grantClientCredentials:
	case "":
		return nil, oauthErrorf(oauthInvalidRequest, "grant_type required")
	default:
		return nil, oauthErrorf(oauthUnsupportedGrantType, "grant_type %q is not supported", grant)
	}
	c, err := s.authenticateClient(r, assertions)
	if err != nil {
		return nil, err
	}
	if !c.allows(grant) && !s.publicClientCredentials(c, grant) {
		return nil, oauthErrorf(oauthUnauthorizedClient, "the client did not register the %s grant", grant)
	}
	switch grant {
	case grantAuthorizationCode:
		return s.exchangeCode(r, c)
	case grantRefreshToken:
		return s.refresh(r, c)
	default:
		return s.clientCredentials(r, c)
	}
}

// parseTokenRequest reads the form body. Parameters may appear once, except
// resource (RFC 8707 §2), and credentials never in the URI (RFC 6749 §2.3.1).
func parseTokenRequest(w http.ResponseWriter, r *http.Request) *oauthError {
	if mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mediaType != formContentType {
		return oauthErrorf(oauthInvalidRequest, "the body must be %s", formContentType)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxTokenRequestBody)
	if err := r.ParseForm(); err != nil {
		return oauthErrorf(oauthInvalidRequest, "the request does not parse as a form")
	}
	query := r.URL.Query()
	if query.Has("client_secret") || query.Has("client_assertion") {
		return oauthErrorf(oauthInvalidRequest, "client credentials must not be sent in the request URI")
	}
	for name, values := range r.PostForm {
		if len(values) > 1 && name != "resource" {
			return oauthErrorf(oauthInvalidRequest, "%s sent more than once", name)
		}
	}
	return nil
}

// exchangeCode redeems an authorization code (OAuth 2.1 §4.1.3).
func (s *Server) exchangeCode(r *http.Request, c *client) (*tokenResponse, *oauthError) {
	value := r.PostForm.Get("code")
	if value == "" {
		return nil, oauthErrorf(oauthInvalidRequest, "code required")
	}
	if s.faults[fault.ASTokenRefuseCodes] {
		// The code stays unused: a client that retries gets the same answer.
		return nil, oauthErrorf(oauthInvalidGrant, "the authorization code is not valid")
	}
	requested, err := canonicalResources(r.PostForm["resource"])
	if err != nil {
		return nil, err
	}
	code, replayed, err := s.store.redeemCode(value, s.faults[fault.ASCodeAllowReplay], func(code *authorizationCode) *oauthError {
		return s.checkRedemption(r, c, code, requested)
	})
	if replayed && !s.faults[fault.ASCodeNoRevokeOnReplay] {
		// RFC 6749 §4.1.2: a code used twice may be stolen; whatever it
		// gave is revoked.
		s.store.revoke(s.store.endGrant(value)...)
		decide(r, "authorization code replayed: the tokens issued from it are revoked")
	}
	if replayed && s.faults[fault.ASCodeReplayError500] {
		return nil, oauthErrorf(oauthServerError, "the authorization code could not be redeemed")
	}
	if err != nil {
		return nil, err
	}
	var refresh *refreshToken
	if c.allows(grantRefreshToken) && !s.cfg.noRefreshTokens && s.issuesRefreshTokenFor(code.Scope) {
		refresh = &refreshToken{Value: randomValue(), ClientID: c.ID, Resources: code.Resources, Scope: code.Scope,
			Expires: time.Now().Add(refreshTokenTTL)}
	}
	return s.issueForGrant(r, c, value, orDefault(requested, code.Resources), code.Scope, refresh)
}

// checkRedemption checks a token request against the code it redeems, so a
// request that fails here neither uses the code nor counts as a replay.
func (s *Server) checkRedemption(r *http.Request, c *client, code *authorizationCode, requested []string) *oauthError {
	if code.ClientID != c.ID && !s.faults[fault.ASCodeNotClientBound] {
		return oauthErrorf(oauthInvalidGrant, "the authorization code was issued to another client")
	}
	if r.PostForm.Get("redirect_uri") != code.RedirectURI && !s.faults[fault.ASRedirectUncheckedAtToken] {
		return oauthErrorf(oauthInvalidGrant, "redirect_uri differs from the authorization request's")
	}
	if err := s.checkVerifier(code, r.PostForm.Get("code_verifier")); err != nil {
		return err
	}
	if !within(requested, code.Resources) {
		return oauthErrorf(oauthInvalidTarget, "resource was not part of the authorization request")
	}
	return nil
}

// refresh exchanges a refresh token (OAuth 2.1 §4.3). Public clients get a
// new refresh token each time and the old one dies (§4.3.1), so a stolen
// one is caught when either party uses it again.
func (s *Server) refresh(r *http.Request, c *client) (*tokenResponse, *oauthError) {
	value := r.PostForm.Get("refresh_token")
	if value == "" {
		return nil, oauthErrorf(oauthInvalidRequest, "refresh_token required")
	}
	requested, err := canonicalResources(r.PostForm["resource"])
	if err != nil {
		return nil, err
	}
	requestedScope := r.PostForm.Get("scope")
	rotate := (c.Public() || s.cfg.rotateRefreshTokens) && !s.faults[fault.ASRefreshNoRotation]
	old, grant, reused, err := s.store.takeRefreshToken(value, rotate && !s.faults[fault.ASRefreshAllowReuse], func(rt *refreshToken) *oauthError {
		if rt.ClientID != c.ID && !s.faults[fault.ASRefreshNotClientBound] {
			return oauthErrorf(oauthInvalidGrant, "the refresh token was issued to another client")
		}
		if !within(requested, rt.Resources) && !s.faults[fault.ASRefreshWidenResource] {
			return oauthErrorf(oauthInvalidTarget, "resource was not part of the original grant")
		}
		if requestedScope != "" && !within(scopeFields(requestedScope), strings.Fields(rt.Scope)) && !s.faults[fault.ASRefreshWidenScope] {
			return oauthErrorf(oauthInvalidScope, "scope exceeds the original grant")
		}
		return nil
	})
	if reused && !s.faults[fault.ASRefreshNoRevokeOnReuse] {
		// RFC 9700 §4.14.2: one of the two users of a rotated refresh token
		// is an attacker, so the whole grant goes.
		s.store.revoke(s.store.endGrant(grant)...)
		decide(r, "rotated refresh token reused: its grant is revoked")
	}
	if err != nil {
		return nil, err
	}
	scope := old.Scope
	if requestedScope != "" {
		scope = strings.Join(scopeFields(requestedScope), " ")
	}
	var next *refreshToken
	if rotate {
		next = &refreshToken{Value: randomValue(), ClientID: c.ID, Resources: old.Resources, Scope: old.Scope,
			Expires: time.Now().Add(refreshTokenTTL)}
	}
	return s.issueForGrant(r, c, grant, orDefault(requested, old.Resources), scope, next)
}

// issueForGrant issues an access token, and refresh if not nil, from the
// grant an authorization code started. A grant revoked meanwhile (a replay
// racing this request) gets nothing.
func (s *Server) issueForGrant(r *http.Request, c *client, grant string, resources []string, scope string, refresh *refreshToken) (*tokenResponse, *oauthError) {
	audience := s.audience(resources)
	lifetime := s.grantTokenLifetime()
	token, id, err := s.issueAccessTokenFor(lifetime, c.ID, resourceOwner, audience, scope)
	if err != nil {
		return nil, oauthErrorf(oauthServerError, "the access token could not be signed")
	}
	if !s.store.recordGrantTokens(grant, id, refresh) {
		s.store.revoke(id)
		return nil, oauthErrorf(oauthInvalidGrant, "the grant was revoked while tokens were issued")
	}
	resp := &tokenResponse{AccessToken: token, TokenType: s.tokenType(), ExpiresIn: int(lifetime / time.Second), Scope: scope}
	if refresh != nil {
		resp.RefreshToken = refresh.Value
	}
	decide(r, "access token issued to client %s for %s, scope %q, lifetime %s, new refresh token: %t",
		c.ID, strings.Join(audience, " "), scope, lifetime, refresh != nil)
	return resp, nil
}

// clientCredentials issues a token to a confidential client for itself
// (OAuth 2.1 §4.2): no user, so no refresh token.
func (s *Server) clientCredentials(r *http.Request, c *client) (*tokenResponse, *oauthError) {
	if c.Public() && !s.faults[fault.ASCCPublicClient] {
		return nil, oauthErrorf(oauthUnauthorizedClient, "client_credentials needs a confidential client")
	}
	scope := strings.Join(scopeFields(r.PostForm.Get("scope")), " ")
	if !s.faults[fault.ASCCWidenScope] {
		var err *oauthError
		if scope, err = grantableScope(c, scope); err != nil {
			return nil, err
		}
	}
	resources, err := s.servedResources(r.PostForm["resource"])
	if err != nil {
		return nil, err
	}
	audience := s.audience(orDefault(resources, []string{s.resource}))
	token, _, ierr := s.issueAccessToken(c.ID, c.ID, audience, scope)
	if ierr != nil {
		return nil, oauthErrorf(oauthServerError, "the access token could not be signed")
	}
	decide(r, "access token issued to client %s for itself for %s, scope %q", c.ID, strings.Join(audience, " "), scope)
	return &tokenResponse{AccessToken: token, TokenType: s.tokenType(), ExpiresIn: int(accessTokenTTL / time.Second), Scope: scope}, nil
}

// audience is who an access token for resources is for.
func (s *Server) audience(resources []string) []string {
	if s.faults[fault.ASResourceIgnored] {
		return []string{s.issuer}
	}
	return resources
}

// within reports whether every value is one of allowed.
func within(values, allowed []string) bool {
	return !slices.ContainsFunc(values, func(v string) bool { return !slices.Contains(allowed, v) })
}

func orDefault(values, fallback []string) []string {
	if len(values) == 0 {
		return fallback
	}
	return values
}

// Codes and refresh tokens in the store. An authorization code stays after
// its use as the record of its grant: IssuedTokens lists every access and
// refresh token descended from it, refreshes included, and ending the
// grant revokes them all.

// addCode stores a new authorization code.
func (st *store) addCode(code *authorizationCode) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.codes[code.Value] = code
}

// redeemCode marks a code used once check accepts the request for it, all
// under the lock so that two redemptions cannot both succeed. A used code
// is a replay (unless allowReplay): err is set and replayed true.
func (st *store) redeemCode(value string, allowReplay bool, check func(*authorizationCode) *oauthError) (code authorizationCode, replayed bool, err *oauthError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	found, ok := st.codes[value]
	if !ok {
		return code, false, oauthErrorf(oauthInvalidGrant, "unknown authorization code")
	}
	if err := check(found); err != nil {
		return code, false, err
	}
	if found.Used && !allowReplay {
		return code, true, oauthErrorf(oauthInvalidGrant, "the authorization code was already used")
	}
	if time.Now().After(found.Expires) {
		return code, false, oauthErrorf(oauthInvalidGrant, "the authorization code expired")
	}
	found.Used = true
	return *found, false, nil
}

// takeRefreshToken checks a refresh token with check and, if invalidate,
// marks it used, under the lock so that it rotates once. It returns the
// token as it was and its grant. A used token is a reuse: err is set and
// reused true.
func (st *store) takeRefreshToken(value string, invalidate bool, check func(*refreshToken) *oauthError) (rt refreshToken, grant string, reused bool, err *oauthError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	found, ok := st.refresh[value]
	if !ok {
		return rt, "", false, oauthErrorf(oauthInvalidGrant, "unknown refresh token")
	}
	if err := check(found); err != nil {
		return rt, "", false, err
	}
	if grant = st.grantOf(value); grant == "" {
		return rt, "", false, oauthErrorf(oauthInvalidGrant, "the refresh token was revoked")
	}
	if found.Used {
		return rt, grant, true, oauthErrorf(oauthInvalidGrant, "the refresh token was already used")
	}
	if time.Now().After(found.Expires) {
		return rt, "", false, oauthErrorf(oauthInvalidGrant, "the refresh token expired")
	}
	if invalidate {
		found.Used = true
	}
	return *found, grant, false, nil
}

// grantOf is the authorization code a refresh token descends from, or ""
// once its grant has ended. The caller holds st.mu.
func (st *store) grantOf(refreshValue string) string {
	for value, code := range st.codes {
		if slices.Contains(code.IssuedTokens, refreshValue) {
			return value
		}
	}
	return ""
}

// recordGrantTokens adds an access token and, if not nil, a refresh token
// to a grant, unless the grant has ended; it reports whether it had not.
func (st *store) recordGrantTokens(grant, accessTokenID string, refresh *refreshToken) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	code, ok := st.codes[grant]
	if !ok {
		return false
	}
	code.IssuedTokens = append(code.IssuedTokens, accessTokenID)
	if refresh != nil {
		st.refresh[refresh.Value] = refresh
		st.refreshIssued = append(st.refreshIssued, refresh.Value)
		code.IssuedTokens = append(code.IssuedTokens, refresh.Value)
	}
	return true
}

// endGrant forgets an authorization code and returns the IDs of the tokens
// issued from it, for the caller to revoke. Tokens still being issued from
// it then find it gone (recordGrantTokens).
func (st *store) endGrant(grant string) []string {
	st.mu.Lock()
	defer st.mu.Unlock()
	code, ok := st.codes[grant]
	if !ok {
		return nil
	}
	delete(st.codes, grant)
	return code.IssuedTokens
}
