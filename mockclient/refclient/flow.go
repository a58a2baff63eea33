package refclient

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient"
)

// flow is one run of the client, step by step.
type flow struct {
	cfg  Config
	http *mockclient.Client
	// clients are the client identities the client holds, by issuer: a
	// client_id and secret are the issuing authorization server's alone
	// (RFC 6749 §2.2).
	clients map[string]mockclient.ClientAuth
	// states are the states of the run's authorization requests, in order
	// (client.callback.accept-spent-state takes any of them).
	states []string
}

func (f *flow) has(name fault.Name) bool { return slices.Contains(f.cfg.Faults, name) }

// logf writes one step to the log.
func (f *flow) logf(format string, args ...any) {
	fmt.Fprintf(f.cfg.Log, "refclient: "+format+"\n", args...)
}

// skipped logs a check a fault switched off, so the log says why the run
// went on.
func (f *flow) skipped(name fault.Name, what string) {
	f.logf("%s; going on anyway (fault %s)", what, name)
}

// refuseUnless refuses for what, unless the fault that skips this check is
// switched on: then it notes the skip and goes on.
func (f *flow) refuseUnless(skip fault.Name, what string) error {
	if f.has(skip) {
		f.skipped(skip, what)
		return nil
	}
	return refuse("%s", what)
}

// faultyRetries is how often a retry fault repeats a refused request.
const faultyRetries = 10

// send sends an OAuth request once. Under the retry fault it sends a
// refused one (any answer but 2xx) again, up to faultyRetries times.
func (f *flow) send(retry fault.Name, what string, request func() (*mockclient.OAuthAnswer, error)) (*mockclient.OAuthAnswer, error) {
	answer, err := request()
	for range faultyRetries {
		if err != nil || answer.Status/100 == 2 || !f.has(retry) {
			break
		}
		f.logf("%s refused with %d; sending it again (fault %s)", what, answer.Status, retry)
		answer, err = request()
	}
	return answer, err
}

func (f *flow) run(ctx context.Context) error {
	challenge, unauthorized, err := f.initialize(ctx)
	if err != nil {
		return err
	}
	if !unauthorized {
		err := f.session(ctx, nil)
		later, ok := errors.AsType[*unauthorizedLater](err)
		if !ok || f.has(fault.ClientAuthorizeAtFirstRequestOnly) {
			return err
		}
		f.logf("mcp session: a request without a token answered 401: authorizing (resource_metadata=%q scope=%q)",
			later.challenge["resource_metadata"], later.challenge["scope"])
		challenge = later.challenge
	}
	prm, err := f.findResourceMetadata(ctx, challenge)
	if err != nil {
		return err
	}
	as, err := f.findAuthorizationServer(ctx, prm)
	if err != nil {
		return err
	}
	if machine := f.machineCredentials(as); machine != nil {
		return f.clientCredentials(ctx, as, prm, challenge, machine)
	}
	// The callback listens before registration, which names it.
	cb, err := listenForCallback(ctx, f.callbackHost(), f.callbackPath(), callbackFaults{
		openRedirect:        f.has(fault.ClientCallbackOpenRedirect),
		thirdPartyResources: f.has(fault.ClientCallbackThirdPartyResources),
	})
	if err != nil {
		return err
	}
	defer cb.Close()
	f.logf("callback: listening at %s", cb.redirectURI)
	auth, err := f.clientIdentity(ctx, as, cb.redirectURI)
	if err != nil {
		return err
	}
	a := &authorizer{flow: f, as: as, prm: prm, cb: cb, auth: auth}
	scope := f.requestedScope(as, prm, challenge)
	granted, err := a.authorize(ctx, scope)
	if err != nil {
		return err
	}
	if f.has(fault.ClientStopAfterToken) {
		f.logf("stopping before the MCP session (fault %s)", fault.ClientStopAfterToken)
		return nil
	}
	return f.sessionStepping(ctx, &keeper{flow: f, authorizer: a, scope: scope, tokens: *granted})
}

// authorizer runs the authorization code flow (steps f to i) with one
// authorization server for one client: once for the scope chosen first,
// again for each step-up, and renews its tokens (refresh.go).
type authorizer struct {
	flow *flow
	as   *authorizationServer
	prm  *mockclient.Document
	cb   *callback
	auth mockclient.ClientAuth
	// resource is what the authorization request named, and so every
	// token request: "" in the 2025-03-26 layout and under
	// client.no-resource.
	resource string
}

// authorize asks the user agent for a code for scope and redeems it.
func (a *authorizer) authorize(ctx context.Context, scope string) (*tokens, error) {
	f := a.flow
	req, err := f.newAuthorizationRequest(a.as, a.prm, scope, a.auth.ID, f.authorizationRedirectURI(a.cb))
	if err != nil {
		return nil, err
	}
	a.resource = req.resource
	var frontChannel string // a token the authorization response carried
	code, err := f.userAgent(ctx, req.url, a.cb, func(response url.Values) (string, error) {
		frontChannel = response.Get("access_token")
		return f.checkAuthorizationResponse(a.as, req, response)
	})
	if err != nil {
		return nil, err
	}
	if frontChannel != "" && f.has(fault.ClientAcceptFrontChannelToken) {
		f.logf("using the access token of the authorization response (fault %s)", fault.ClientAcceptFrontChannelToken)
		return &tokens{access: frontChannel}, nil
	}
	auth := a.auth
	if document := f.metadataDocumentURL(); document != "" && auth.ID == document && f.has(fault.ClientCIMDTokenWithoutID) {
		f.logf("code exchange without client_id (fault %s)", fault.ClientCIMDTokenWithoutID)
		auth.ID = ""
	}
	return f.tokenRequest(ctx, a.as, req, auth, code)
}

// authorizationRedirectURI is the redirect URI the flow names: the one it
// registered, or under client.callback.unregistered-redirect-uri that one
// with a query parameter of its own.
func (f *flow) authorizationRedirectURI(cb *callback) string {
	if f.has(fault.ClientCallbackUnregisteredRedirect) {
		f.logf("authorizing with a redirect URI it did not register (fault %s)", fault.ClientCallbackUnregisteredRedirect)
		return cb.redirectURI + "?flow=1"
	}
	return cb.redirectURI
}

// callbackHost names the callback in the redirect URI: its IP literal, or
// under client.redirect-localhost the name localhost, which reaches the same
// listener.
func (f *flow) callbackHost() string {
	if f.has(fault.ClientRedirectLocalhost) {
		return "localhost"
	}
	return loopbackIP
}

// callbackPath is the redirect URI's path: the one the client ID metadata
// document lists, unless client.cimd.unlisted-redirect uses another.
func (f *flow) callbackPath() string {
	if f.metadataDocumentURL() != "" && f.has(fault.ClientCIMDUnlistedRedirect) {
		f.logf("redirect URI path %s, which the client ID metadata document does not list (fault %s)",
			unlistedCallbackPath, fault.ClientCIMDUnlistedRedirect)
		return unlistedCallbackPath
	}
	return callbackPath
}

// initialize is step a: an MCP initialize without a token. It reports
// whether the server asked for authorization and the parameters of its
// Bearer challenge (none when the challenge does not parse: discovery goes
// on at the well-known URLs).
func (f *flow) initialize(ctx context.Context) (challenge map[string]string, unauthorized bool, err error) {
	header := http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json, text/event-stream"}}
	if token := f.initialAccessToken(); token != "" && f.has(fault.ClientInitialAccessTokenToMCP) {
		f.logf("initialize with the initial access token as Bearer (fault %s)", fault.ClientInitialAccessTokenToMCP)
		header.Set("Authorization", "Bearer "+token)
	}
	resp, err := f.http.Do(ctx, http.MethodPost, f.cfg.MCPURL, header, mockclient.InitializeRequest(spec.Latest))
	if err != nil {
		return nil, false, fmt.Errorf("refclient: initialize without a token: %w", err)
	}
	f.logf("initialize without a token: %d", resp.Status)
	if resp.Status != http.StatusUnauthorized {
		return nil, false, nil
	}
	bearer, err := mockclient.ParseBearerChallenge(resp.Header.Values("WWW-Authenticate"))
	if err != nil {
		f.logf("no usable Bearer challenge: %v", err)
		return map[string]string{}, true, nil
	}
	f.logf("bearer challenge: resource_metadata=%q scope=%q", bearer.Params["resource_metadata"], bearer.Params["scope"])
	return bearer.Params, true, nil
}

// randomValue is 32 random bytes, base64url without padding: 43 characters.
func randomValue() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// fixedVerifier is the code_verifier of client.pkce-fixed-verifier:
// well-formed (RFC 7636 §4.1), and the same in every run.
const fixedVerifier = "mcpconform-reference-client-fixed-code-verifier"

// authorizationRequest is what the client sent and must hold the answer to.
type authorizationRequest struct {
	url         string
	redirectURI string
	state       string // "" under client.no-state
	verifier    string
	resource    string // "" in the 2025-03-26 layout and under client.no-resource
}

// newAuthorizationRequest is step f: the authorization code request with
// PKCE, state, the resource indicator and scope.
func (f *flow) newAuthorizationRequest(as *authorizationServer, prm *mockclient.Document, scope, clientID, redirectURI string) (*authorizationRequest, error) {
	req := &authorizationRequest{redirectURI: redirectURI, verifier: mockclient.NewVerifier()}
	if f.has(fault.ClientPKCEFixedVerifier) {
		req.verifier = fixedVerifier
	}
	f.http.Redact(req.verifier)
	params := url.Values{
		"response_type":         {"code"},
		"client_id":             {clientID},
		"redirect_uri":          {redirectURI},
		"code_challenge":        {mockclient.S256(req.verifier)},
		"code_challenge_method": {"S256"},
	}
	if f.has(fault.ClientFlowResponseTypeHybrid) {
		f.logf("asking for the hybrid response type (fault %s)", fault.ClientFlowResponseTypeHybrid)
		params.Set("response_type", "code id_token")
	}
	if f.has(fault.ClientPKCEPlain) {
		params.Set("code_challenge", req.verifier)
		params.Set("code_challenge_method", "plain")
	}
	if !f.has(fault.ClientNoState) {
		req.state = randomValue()
		params.Set("state", req.state)
		f.states = append(f.states, req.state)
	}
	if prm != nil && !f.has(fault.ClientNoResource) {
		req.resource = f.resourceIndicator(prm)
		params.Set("resource", req.resource)
	}
	switch {
	case scope != "" && f.has(fault.ClientNoScope):
		f.logf("asking for no scope, not %q (fault %s)", scope, fault.ClientNoScope)
	case scope != "":
		params.Set("scope", scope)
	}
	var err error
	if req.url, err = mockclient.AuthorizationURL(as.authorizationEndpoint, params); err != nil {
		return nil, fmt.Errorf("refclient: authorization request: %w", err)
	}
	f.logf("authorization request to %s: scope %q, resource %q, state sent: %t, PKCE %s",
		as.authorizationEndpoint, params.Get("scope"), req.resource, req.state != "", params.Get("code_challenge_method"))
	return req, nil
}

// requestedScope follows MCP's scope selection strategy: the challenge's
// scope, else every scope the protected resource metadata lists, else none
// (the server's default); to a scope it adds offline_access, for a refresh
// token, when the authorization server's scopes_supported lists it (MCP
// 2026-07-28, refresh tokens; OpenID Connect Core 1.0 §11).
func (f *flow) requestedScope(as *authorizationServer, prm *mockclient.Document, challenge map[string]string) string {
	scope := f.resourceScope(as, prm, challenge)
	switch {
	case f.has(fault.ClientOfflineAccessAlways):
		f.logf("adding offline_access whether or not the authorization server lists it (fault %s)", fault.ClientOfflineAccessAlways)
	case scope == "" || !slices.Contains(strings.Fields(as.scopesSupported), offlineAccess):
		return scope
	}
	return strings.TrimSpace(scope + " " + offlineAccess)
}

// offlineAccess is the scope asking the authorization server for a refresh
// token.
const offlineAccess = "offline_access"

// resourceScope is the scope the protected resource needs, by MCP's scope
// selection strategy.
func (f *flow) resourceScope(as *authorizationServer, prm *mockclient.Document, challenge map[string]string) string {
	var supported string
	if prm != nil {
		if scopes, ok := prm.Strings("scopes_supported"); ok {
			supported = strings.Join(scopes, " ")
		}
	}
	if scope := challenge["scope"]; scope != "" {
		if supported == "" || !f.has(fault.ClientScopeAllSupported) {
			return scope
		}
		f.logf("asking for every supported scope, not the challenge's %q (fault %s)", scope, fault.ClientScopeAllSupported)
	}
	if supported == "" && f.has(fault.ClientScopeFromASMetadata) {
		f.logf("asking for the authorization server's scopes_supported (fault %s)", fault.ClientScopeFromASMetadata)
		return as.scopesSupported
	}
	return supported
}

// checkAuthorizationResponse is step h: the callback must answer this
// request (state) from this authorization server (iss, RFC 9207) before
// its code is redeemed.
func (f *flow) checkAuthorizationResponse(as *authorizationServer, req *authorizationRequest, response url.Values) (string, error) {
	if err := f.checkState(req, response); err != nil {
		return "", err
	}
	if err := f.checkIss(as, response); err != nil {
		return "", err
	}
	if code := response.Get("error"); code != "" {
		return "", fmt.Errorf("refclient: authorization response: error %q: %s", code, response.Get("error_description"))
	}
	code := response.Get("code")
	if code == "" {
		return "", fmt.Errorf("refclient: authorization response carries no code")
	}
	f.http.Redact(code)
	f.logf("authorization response: code received")
	return code, nil
}

func (f *flow) checkState(req *authorizationRequest, response url.Values) error {
	state, present := response.Get("state"), response.Has("state")
	switch {
	case req.state == "": // client.no-state: nothing to compare
	case f.has(fault.ClientSkipStateCheck):
		f.skipped(fault.ClientSkipStateCheck, "state not compared")
	case !present && f.has(fault.ClientAcceptMissingState):
		f.skipped(fault.ClientAcceptMissingState, "the authorization response carries no state")
	case !present:
		return refuse("the authorization response carries no state")
	case state != req.state && slices.Contains(f.states, state) && f.has(fault.ClientCallbackAcceptSpentState):
		f.skipped(fault.ClientCallbackAcceptSpentState, "the authorization response's state is an earlier request's")
	case state != req.state:
		return refuse("the authorization response's state is not the one sent")
	}
	return nil
}

func (f *flow) checkIss(as *authorizationServer, response url.Values) error {
	iss, present := response.Get("iss"), response.Has("iss")
	switch {
	case f.has(fault.ClientSkipISSCheck):
		f.skipped(fault.ClientSkipISSCheck, "iss not compared")
	case !present && as.issParameterSupported && f.has(fault.ClientAcceptMissingISS):
		f.skipped(fault.ClientAcceptMissingISS, "the authorization response carries no iss although the metadata promises it")
	case !present && as.issParameterSupported:
		return refuse("the authorization response carries no iss although the metadata sets authorization_response_iss_parameter_supported")
	case !present && f.has(fault.ClientRequireISS):
		return refuse("the authorization response carries no iss (fault %s)", fault.ClientRequireISS)
	case present && !as.issParameterSupported && f.has(fault.ClientRejectUnadvertisedISS):
		return refuse("the authorization response carries iss the metadata does not advertise (fault %s)", fault.ClientRejectUnadvertisedISS)
	case present && iss != as.issuer && f.has(fault.ClientISSNormalize) && normalizedIssuer(iss) == normalizedIssuer(as.issuer):
		f.skipped(fault.ClientISSNormalize, fmt.Sprintf("iss %q taken for the issuer %q once normalised", iss, as.issuer))
	case present && iss != as.issuer:
		return refuse("the authorization response's iss is %q, not the issuer %q", iss, as.issuer)
	}
	return nil
}

// normalizedIssuer is what client.iss-normalize compares: percent-decoded,
// without a trailing slash (RFC 9207 §2.4 wants the strings compared as
// they are).
func normalizedIssuer(issuer string) string {
	if decoded, err := url.PathUnescape(issuer); err == nil {
		issuer = decoded
	}
	return strings.TrimSuffix(issuer, "/")
}

// noTokenIssued is the Bearer value of client.ignore-token-error and the
// faults that act on a token response without a usable token. Not the
// error code: reports hide every Bearer value wherever it appears, and
// would hide invalid_grant in their own messages too.
const noTokenIssued = "no-token-was-issued"

// tokens are what the token endpoint granted.
type tokens struct {
	access  string
	refresh string    // "": none was issued
	expires time.Time // from expires_in; zero when the response gave none
}

// renewMargin: an access token that expires sooner than this is renewed
// before it is sent, as x/oauth2 does (its expiryDelta), so that no request
// carries a token that expires on the way.
const renewMargin = 10 * time.Second

// due reports whether the access token expires, by the expires_in it was
// issued with, within renewMargin.
func (t tokens) due() bool { return !t.expires.IsZero() && time.Until(t.expires) < renewMargin }

// issuedTokens are the tokens of a successful token response, refresh
// token given.
func issuedTokens(answer *mockclient.OAuthAnswer, refresh string) *tokens {
	t := &tokens{access: answer.String("access_token"), refresh: refresh}
	var expiresIn int64
	if answer.Members != nil && json.Unmarshal(answer.Members["expires_in"], &expiresIn) == nil && expiresIn > 0 {
		t.expires = time.Now().Add(time.Duration(expiresIn) * time.Second)
	}
	return t
}

// tokenRequest is step i: the code exchange (with PKCE's verifier and the
// same resource), which must give a Bearer access token.
func (f *flow) tokenRequest(ctx context.Context, as *authorizationServer, req *authorizationRequest, auth mockclient.ClientAuth, code string) (*tokens, error) {
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"redirect_uri":  {req.redirectURI},
		"code_verifier": {req.verifier},
	}
	if f.has(fault.ClientTokenNoRedirectURI) {
		f.logf("code exchange without redirect_uri (fault %s)", fault.ClientTokenNoRedirectURI)
		form.Del("redirect_uri")
	}
	if req.resource != "" {
		form.Set("resource", req.resource)
	}
	answer, err := f.send(fault.ClientRetryToken, "token request", func() (*mockclient.OAuthAnswer, error) {
		return f.http.TokenRequest(ctx, as.tokenEndpoint, form, auth)
	})
	if err != nil {
		return nil, fmt.Errorf("refclient: token request: %w", err)
	}
	if err := f.checkTokenResponse(as.tokenEndpoint, answer); err != nil {
		if skip := tokenResponseSkip(answer); skip != "" && f.has(skip) {
			f.skipped(skip, err.Error())
			return &tokens{access: noTokenIssued}, nil
		}
		return nil, fmt.Errorf("refclient: token request: %w", err)
	}
	granted := issuedTokens(answer, answer.String("refresh_token"))
	f.logf("token response: a Bearer access token, refresh token: %t", granted.refresh != "")
	return granted, nil
}

// tokenResponseSkip is the fault under which the client acts on a token
// response that gave it no access token, as if it had one.
func tokenResponseSkip(answer *mockclient.OAuthAnswer) fault.Name {
	switch {
	case answer.Status != http.StatusOK:
		return fault.ClientIgnoreTokenError
	case answer.Members == nil:
		return fault.ClientTokenAcceptMalformed
	case answer.String("access_token") == "":
		return fault.ClientTokenAcceptNoAccessToken
	}
	return ""
}

// checkTokenResponse requires a successful token response with a Bearer
// access token (RFC 6749 §5.1; §7.1: a token of a type the client does not
// understand is not used). token_type is case insensitive.
func (f *flow) checkTokenResponse(endpoint string, answer *mockclient.OAuthAnswer) error {
	tokenType := answer.String("token_type")
	switch {
	case answer.Status != http.StatusOK:
		return fmt.Errorf("%s answered %d %s", endpoint, answer.Status, answer.Error())
	case answer.Members == nil:
		return fmt.Errorf("the answer is not a JSON object")
	case answer.String("access_token") == "":
		return fmt.Errorf("the answer has no access_token")
	case tokenType != "Bearer" && f.has(fault.ClientTokenTypeCaseSensitive):
		return fmt.Errorf("token_type is %q, not Bearer (fault %s)", tokenType, fault.ClientTokenTypeCaseSensitive)
	case !strings.EqualFold(tokenType, "bearer") && f.has(fault.ClientTokenIgnoreType):
		f.skipped(fault.ClientTokenIgnoreType, fmt.Sprintf("token_type is %q, not Bearer", tokenType))
	case !strings.EqualFold(tokenType, "bearer"):
		return fmt.Errorf("token_type is %q, not Bearer", tokenType)
	}
	return nil
}

// resourceIndicator is the resource to ask a token for: the protected
// resource's identifier as its metadata publishes it (checked against the
// MCP URL at discovery), the one its tokens must be for.
func (f *flow) resourceIndicator(prm *mockclient.Document) string {
	resource, _ := prm.String("resource")
	if resource == "" || f.has(fault.ClientResourceFromURL) {
		return f.cfg.MCPURL
	}
	return resource
}
