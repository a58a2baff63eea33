package mockserver

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// The authorization endpoint (OAuth 2.1 §4.1.1, RFC 7636, RFC 8707,
// RFC 9207). It approves every valid request at once in the name of
// resourceOwner, so a client can be driven without a browser, unless
// WithLoginForm asks for a sign-in and consent first (login.go).

// Authorization endpoint faults.
func init() {
	registerFaults(
		Fault{fault.ASRedirectPrefixMatch, "a redirect_uri is accepted when a registered redirect URI is a prefix of it", spec.Rev20250326},
		Fault{fault.ASRedirectErrorToUnregistered, "errors about client_id or redirect_uri redirect to the unvalidated redirect_uri (an open redirector)", spec.Rev20250326},
		Fault{fault.ASStateNotReturned, "the authorization response omits state", spec.Rev20250326},
		Fault{fault.ASISSOmit, "the authorization response omits iss although the metadata advertises it", spec.Rev20250326},
		Fault{fault.ASStateWrong, "the authorization response carries another state than the request's", spec.Rev20250326},
		Fault{fault.ASISSWrong, "the authorization response names another issuer (the issuer with /other appended) in iss", spec.Rev20250326},
		Fault{fault.ASISSTrailingSlash, "the authorization response's iss is the issuer with a slash appended", spec.Rev20250326},
		Fault{fault.ASISSPercentEncoded, "the authorization response's iss is the issuer with its path's first letter percent-encoded", spec.Rev20250326},
		Fault{fault.ASTokenInResponse, "a successful authorization response also carries an access_token (front-channel token)", spec.Rev20250326},
	)
}

// resourceOwner is the one user, who approves every authorization request.
const resourceOwner = "mcpconform-user"

// supportedScopes are the scopes the authorization server grants: its
// metadata's scopes_supported.
var supportedScopes = []string{requiredScope, writeScope}

// CodeIssuedDecision is in the decision recorded when the authorization
// endpoint issued a code.
const CodeIssuedDecision = "authorization code issued"

func (s *Server) mountAuthorization(as *http.ServeMux) {
	as.HandleFunc("GET "+pathOf(s.asOrigin, s.authorizationEndpoint()), s.authorize)
	if served := s.servedAuthorizationEndpoint(); served != s.authorizationEndpoint() {
		as.HandleFunc("GET "+pathOf(s.asOrigin, served), s.authorize)
	}
	s.mountLogin(as)
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	// Nothing here may be framed or cached, and the code must not leak
	// through Referer (RFC 9700 §4.2.4, §4.16).
	h := w.Header()
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")

	q := r.URL.Query()
	c, redirectURI, err := s.authorizationClient(r, q)
	if err != nil {
		s.refuseUnvalidated(w, r, q, err)
		return
	}
	if s.honest != nil {
		s.bounceToHonest(w, r, c.ID, redirectURI, q)
		return
	}
	if s.awaitInteractionCookie(w, r) || s.awaitResourceOwner(w, r, c) {
		return
	}
	response := url.Values{}
	if code, err := s.issueCode(c, redirectURI, q); err != nil {
		decide(r, "authorization refused for client %s: %s: %s", c.ID, err.Code, err.Description)
		response.Set("error", err.Code)
		response.Set("error_description", err.Error())
	} else {
		decide(r, "%s to client %s", CodeIssuedDecision, c.ID)
		response.Set("code", code)
		if s.faults[fault.ASTokenInResponse] {
			response.Set("access_token", FrontChannelToken)
			response.Set("token_type", "Bearer")
		}
		s.injectCallback(r, redirectURI, q, code)
	}
	s.redirectAuthorizationResponse(w, r, redirectURI, q, response)
}

// authorizationClient finds the client and the redirect URI to answer to.
// Until both are known good, no error may be redirected (OAuth 2.1 §4.1.2.1).
func (s *Server) authorizationClient(r *http.Request, q url.Values) (*client, string, *oauthError) {
	if len(q["client_id"]) > 1 {
		return nil, "", oauthErrorf(oauthInvalidRequest, "client_id sent more than once")
	}
	clientID := q.Get("client_id")
	if clientID == "" {
		return nil, "", oauthErrorf(oauthInvalidRequest, "client_id required")
	}
	c, err := s.resolveClient(r, clientID)
	if err != nil {
		return nil, "", clientRefusal(oauthInvalidRequest, err)
	}
	redirectURI, oerr := s.matchRedirectURI(c, q["redirect_uri"])
	if oerr != nil {
		return nil, "", oerr
	}
	return c, redirectURI, nil
}

// refuseUnvalidated answers an error found before the client and its
// redirect URI were validated: a 400 page, never a redirect.
func (s *Server) refuseUnvalidated(w http.ResponseWriter, r *http.Request, q url.Values, err *oauthError) {
	if target := q.Get("redirect_uri"); s.faults[fault.ASRedirectErrorToUnregistered] && absoluteURL(target) {
		decide(r, "authorization refused, redirected to an unvalidated redirect_uri: %s", err.Description)
		s.redirectAuthorizationResponse(w, r, target, q, url.Values{"error": {err.Code}, "error_description": {err.Error()}})
		return
	}
	decide(r, "authorization refused without redirect: %s", err.Description)
	http.Error(w, err.Error(), http.StatusBadRequest)
}

// redirectAuthorizationResponse sends the user agent back to redirectURI
// with params, state unchanged and iss (RFC 9207), keeping the redirect
// URI's own query.
func (s *Server) redirectAuthorizationResponse(w http.ResponseWriter, r *http.Request, redirectURI string, q url.Values, params url.Values) {
	if state := q.Get("state"); state != "" && !s.faults[fault.ASStateNotReturned] {
		if s.faults[fault.ASStateWrong] {
			state = "x" + state
		}
		params.Set("state", state)
	}
	// RFC 9207 §3: iss goes with metadata advertising it; a server that
	// publishes none sends none, as authorization servers before RFC 9207 do.
	if !s.faults[fault.ASISSOmit] && !s.faults[fault.ASMetadataMissing] {
		params.Set("iss", s.responseIssuer())
	}
	target, err := url.Parse(redirectURI)
	if err != nil {
		http.Error(w, "mockserver: redirect_uri does not parse", http.StatusBadRequest)
		return
	}
	if target.RawQuery != "" {
		target.RawQuery += "&"
	}
	target.RawQuery += params.Encode()
	http.Redirect(w, r, target.String(), http.StatusFound)
}

// matchRedirectURI returns the redirect URI to answer to: the one sent if
// it is registered, else the only one registered if none was sent.
func (s *Server) matchRedirectURI(c *client, sent []string) (string, *oauthError) {
	switch {
	case len(sent) > 1:
		return "", oauthErrorf(oauthInvalidRequest, "redirect_uri sent more than once")
	case len(sent) == 0 && len(c.RedirectURIs) == 1:
		return c.RedirectURIs[0], nil
	case len(sent) == 0:
		return "", oauthErrorf(oauthInvalidRequest, "redirect_uri required: the client registered %d redirect URIs", len(c.RedirectURIs))
	}
	for _, registered := range c.RedirectURIs {
		if s.redirectURIMatches(registered, sent[0]) {
			return sent[0], nil
		}
	}
	return "", oauthErrorf(oauthInvalidRequest, "redirect_uri is not registered for the client")
}

// redirectURIMatches compares redirect URIs as strings, except that a
// loopback IP redirect URI may use any port (spec.RedirectURIMatches).
func (s *Server) redirectURIMatches(registered, requested string) bool {
	return spec.RedirectURIMatches(registered, requested) ||
		s.faults[fault.ASRedirectPrefixMatch] && strings.HasPrefix(requested, registered)
}

// issueCode checks the rest of a request from a validated client and
// stores a code for it. Its errors are redirected to the client.
func (s *Server) issueCode(c *client, redirectURI string, q url.Values) (string, *oauthError) {
	for name, values := range q {
		if len(values) > 1 && name != "resource" {
			return "", oauthErrorf(oauthInvalidRequest, "%s sent more than once", name)
		}
	}
	switch responseType := q.Get("response_type"); {
	case responseType == "":
		return "", oauthErrorf(oauthInvalidRequest, "response_type required")
	case responseType != responseTypeCode:
		return "", oauthErrorf(oauthUnsupportedResponseType, "response_type must be code")
	}
	if !c.allows(grantAuthorizationCode) {
		return "", oauthErrorf(oauthUnauthorizedClient, "the client did not register the authorization_code grant")
	}
	challenge, method, err := s.authorizationChallenge(q)
	if err != nil {
		return "", err
	}
	scope, err := s.grantableAuthorizationScope(c, q.Get("scope"))
	if err != nil {
		return "", err
	}
	resources, err := s.authorizationResources(q["resource"])
	if err != nil {
		return "", err
	}
	if len(resources) == 0 {
		resources = []string{s.resource}
	}
	code := &authorizationCode{
		Value:               randomValue(),
		ClientID:            c.ID,
		RedirectURI:         q.Get("redirect_uri"), // as sent: the token request must repeat it
		CodeChallenge:       challenge,
		CodeChallengeMethod: method,
		Resources:           resources,
		Scope:               scope,
		Expires:             time.Now().Add(codeTTL),
	}
	s.store.addCode(code)
	return code.Value, nil
}

// scopeFields splits a scope parameter into its distinct scopes; an empty
// one asks for the required scope (RFC 6749 §3.3 lets the server pick).
func scopeFields(scope string) []string {
	var fields []string
	for _, f := range strings.Fields(scope) {
		if !slices.Contains(fields, f) {
			fields = append(fields, f)
		}
	}
	if len(fields) == 0 {
		return []string{requiredScope}
	}
	return fields
}

// grantableScope is the requested scope if the client may have all of it:
// the supported scopes, narrowed to those it registered if it did.
func grantableScope(c *client, requested string) (string, *oauthError) {
	allowed := supportedScopes
	if c.Scope != "" {
		allowed = slices.DeleteFunc(strings.Fields(c.Scope), func(sc string) bool { return !slices.Contains(supportedScopes, sc) })
	}
	fields := scopeFields(requested)
	for _, sc := range fields {
		if !slices.Contains(allowed, sc) {
			return "", oauthErrorf(oauthInvalidScope, "scope %q is not available to the client", sc)
		}
	}
	return strings.Join(fields, " "), nil
}

// canonicalResources checks resource indicators (RFC 8707 §2: absolute
// URIs without fragment) and lowercases their scheme and host, which
// compare case-insensitively (RFC 3986 §6.2.2.1).
func canonicalResources(raw []string) ([]string, *oauthError) {
	var out []string
	for _, value := range raw {
		u, err := url.Parse(value)
		if err != nil || !u.IsAbs() || u.Host == "" || strings.Contains(value, "#") {
			return nil, oauthErrorf(oauthInvalidTarget, "resource %q must be an absolute URI without fragment", value)
		}
		u.Host = strings.ToLower(u.Host)
		if canonical := u.String(); !slices.Contains(out, canonical) {
			out = append(out, canonical)
		}
	}
	return out, nil
}

// servedResources checks resource indicators name this server's MCP
// endpoint or its other resource, the resources this authorization server
// issues tokens for.
func (s *Server) servedResources(raw []string) ([]string, *oauthError) {
	resources, err := canonicalResources(raw)
	if err != nil {
		return nil, err
	}
	for _, resource := range resources {
		if !s.servesResource(resource) || s.faults[fault.ASResourceRejected] {
			return nil, oauthErrorf(oauthInvalidTarget, "resource %q is not served by this authorization server", resource)
		}
	}
	return resources, nil
}

func absoluteURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.IsAbs() && u.Host != ""
}

// responseIssuer is the iss of an authorization response: the issuer, or
// what a fault makes of it. The variants differ from it only in form, which
// RFC 9207 §2.4 comparison does not forgive.
func (s *Server) responseIssuer() string {
	switch {
	case s.faults[fault.ASISSWrong]:
		return s.issuer + "/other"
	case s.faults[fault.ASISSTrailingSlash]:
		return s.issuer + "/"
	case s.faults[fault.ASISSPercentEncoded]:
		return percentEncodeFirstPathLetter(s.issuer)
	}
	return s.issuer
}

// percentEncodeFirstPathLetter writes the first letter of issuer's path as
// a percent-encoded octet (/oauth -> /%6Fauth), or of its host when it has
// no path: the same URL to a normalising reader.
func percentEncodeFirstPathLetter(issuer string) string {
	start := strings.Index(issuer, "://") + len("://")
	if slash := strings.Index(issuer[start:], "/"); slash >= 0 && start+slash+1 < len(issuer) {
		i := start + slash + 1
		return issuer[:i] + fmt.Sprintf("%%%02X", issuer[i]) + issuer[i+1:]
	}
	return issuer + "/%2E" // a root issuer: a dot segment, which normalisation removes
}
