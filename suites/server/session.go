package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/suites/check"
)

// redirectURI is where the suite's clients are redirected after
// authorization. Only the command and manual strategies listen there; its
// port lies below Linux's ephemeral range (32768-60999), so no outgoing
// connection holds it.
const redirectURI = "http://127.0.0.1:28418/mcpconform/callback"

// Session is one server-mode run as the specs see it: the target, how to
// reach it, and what the OAuth steps found (the endpoints, registered
// clients, a token obtained the normal way), each step run once per run.
// The runner builds it; the specs read everything from it.
type Session struct {
	run                *check.Run
	discovery          *mockclient.Discovery
	trust              *trustSession
	upstream           Upstream
	stepUpProbe        StepUp
	client             *mockclient.Client
	initialAccessToken string
	fallback           fallback // strategy_session.go
	extraScopes        []string // asked for in every authorization request
	otherResource      string   // a second resource the authorization server serves; "" when not named

	endpoints mockclient.Memo[*endpoints]
	public    mockclient.Memo[*registeredClient]
	// publicRegistration is the public client's registration, whether or
	// not PublicClient is a client registered in advance.
	publicRegistration mockclient.Memo[*registeredClient]
	confidential       mockclient.Memo[*registeredClient]
	tokens             mockclient.Memo[*flow]
	accepted           mockclient.Memo[*acceptedToken] // rsmisuse_session.go
	stepUp             mockclient.Memo[*stepUpCall]    // rsmisuse_session.go
	replayed           mockclient.Memo[*replayedGrant] // introspection_session.go
	cimd               cimdState                       // cimd_session.go
}

// endpoints are the authorization server's endpoints and what it offers.
type endpoints struct {
	Authorization, Token, Registration string
	Issuer                             string
	// Scope is what the suite's clients ask for: the protected resource's
	// scopes_supported, else none.
	Scope string
	// IssuerInResponse: the server advertises RFC 9207 iss.
	IssuerInResponse bool
	// RegistrationAssumed: Registration is 2025-03-26's default path for a
	// server without metadata, which may register no clients.
	RegistrationAssumed bool
}

// Endpoints reads the endpoints from the authorization server metadata, or
// for 2025-03-26 without metadata the default paths at the MCP origin.
func (s *Session) Endpoints(ctx context.Context) (*endpoints, error) {
	return s.endpoints.Do(func() (*endpoints, error) {
		meta, err := s.discovery.AuthorizationServerMetadata(ctx)
		if err != nil && s.discovery.Revision.UsesProtectedResourceMetadata() {
			return nil, err
		}
		e := &endpoints{}
		if err != nil {
			origin, originErr := spec.Origin(s.discovery.MCPURL)
			if originErr != nil {
				return nil, originErr
			}
			e.Issuer, e.Authorization, e.Token, e.Registration = origin, origin+"/authorize", origin+"/token", origin+"/register"
			e.RegistrationAssumed = true
		} else {
			e.Issuer = meta.ExpectedIssuer
			e.Authorization, _ = meta.String("authorization_endpoint")
			e.Token, _ = meta.String("token_endpoint")
			e.Registration, _ = meta.String("registration_endpoint")
			var iss bool
			if raw, ok := meta.Members["authorization_response_iss_parameter_supported"]; ok {
				iss = string(raw) == "true"
			}
			e.IssuerInResponse = iss
		}
		if prm, err := s.discovery.ProtectedResourceMetadata(ctx); err == nil {
			scopes, _ := prm.Strings("scopes_supported")
			e.Scope = strings.Join(scopes, " ")
		}
		if e.Authorization == "" || e.Token == "" {
			return nil, errors.New("server: the authorization server advertises no authorization or token endpoint")
		}
		return e, nil
	})
}

// registeredClient is a client the suite registered.
type registeredClient struct {
	*mockclient.OAuthAnswer
	ID, Secret, AuthMethod string
}

// Evidence is the registration exchange; nil-safe.
func (c *registeredClient) Evidence() []evidence.Exchange {
	if c == nil {
		return nil
	}
	return c.OAuthAnswer.Evidence()
}

// Auth is how token requests authenticate as this client.
func (c *registeredClient) Auth() mockclient.ClientAuth {
	return mockclient.ClientAuth{Method: c.AuthMethod, ID: c.ID, Secret: c.Secret}
}

// PublicClient is a client registered as an MCP client registers itself:
// public, authorization code with refresh.
func (s *Session) PublicClient(ctx context.Context) (*registeredClient, error) {
	return s.public.Do(func() (*registeredClient, error) {
		if c, ok := s.preregistered(ctx, true); ok {
			return c, nil
		}
		return s.registeredPublicClient(ctx)
	})
}

// registeredPublicClient registers the public client, once. At an assumed
// registration endpoint it is also the probe of whether there is one: an
// answer of 404 or 405 says there is none.
func (s *Session) registeredPublicClient(ctx context.Context) (*registeredClient, error) {
	return s.publicRegistration.Do(func() (*registeredClient, error) {
		e, err := s.Endpoints(ctx)
		if err != nil {
			return nil, err
		}
		if e.Registration == "" {
			return nil, errNoRegistration
		}
		c, err := s.registerAt(ctx, e, "none", publicClientMetadata("mcpconform public client"))
		if e.RegistrationAssumed && (answered(c.OAuthAnswer, http.StatusNotFound) || answered(c.OAuthAnswer, http.StatusMethodNotAllowed)) {
			return c, fmt.Errorf("%w: without metadata, 2025-03-26's default registration endpoint %s answered %d; registration is a SHOULD there (MCP 2025-03-26 §2.4)",
				errNoRegistration, e.Registration, c.Status)
		}
		return c, err
	})
}

// publicClientMetadata is what an MCP client registers itself with.
func publicClientMetadata(name string) map[string]any {
	return map[string]any{
		"redirect_uris": []string{redirectURI}, "token_endpoint_auth_method": "none",
		"grant_types": []string{"authorization_code", "refresh_token"}, "response_types": []string{"code"},
		"client_name": name, "application_type": "native",
	}
}

// ConfidentialClient is a client with a secret that may also use client
// credentials.
func (s *Session) ConfidentialClient(ctx context.Context) (*registeredClient, error) {
	return s.confidential.Do(func() (*registeredClient, error) {
		if c, ok := s.preregistered(ctx, false); ok {
			return c, nil
		}
		return s.register(ctx, "client_secret_basic", map[string]any{
			"redirect_uris": []string{redirectURI}, "token_endpoint_auth_method": "client_secret_basic",
			"grant_types":    []string{"authorization_code", "refresh_token", "client_credentials"},
			"response_types": []string{"code"}, "client_name": "mcpconform confidential client",
		})
	})
}

func (s *Session) register(ctx context.Context, method string, metadata map[string]any) (*registeredClient, error) {
	if _, err := s.RegistrationEndpoint(ctx); err != nil {
		return nil, err
	}
	e, _ := s.Endpoints(ctx) // known good: the registration endpoint came from them
	return s.registerAt(ctx, e, method, metadata)
}

// registerAt registers a client at e's registration endpoint; the client is
// returned with the error too, its answer the evidence.
func (s *Session) registerAt(ctx context.Context, e *endpoints, method string, metadata map[string]any) (*registeredClient, error) {
	if e.Scope != "" {
		if _, chosen := metadata["scope"]; !chosen {
			metadata["scope"] = e.Scope
		}
	}
	answer, err := s.client.Register(ctx, e.Registration, metadata, s.initialAccessToken)
	c := &registeredClient{OAuthAnswer: answer, AuthMethod: method}
	if err != nil {
		return c, err
	}
	if answer.Status != http.StatusCreated && answer.Status != http.StatusOK {
		return c, fmt.Errorf("server: registration answered %d %s", answer.Status, answer.Error())
	}
	c.ID, c.Secret = answer.String("client_id"), answer.String("client_secret")
	if c.ID == "" {
		return c, errors.New("server: registration answered without a client_id")
	}
	if strings.HasPrefix(method, "client_secret_") && c.Secret == "" {
		return c, errors.New("server: registration of a confidential client answered without a client_secret")
	}
	return c, nil
}

// authorization is one authorization request and what came of it.
type authorization struct {
	*mockclient.AuthorizationResult
	Params   url.Values // as sent
	Verifier string
}

// Evidence is every hop of the authorization; nil-safe.
func (a *authorization) Evidence() []evidence.Exchange {
	if a == nil {
		return nil
	}
	return a.AuthorizationResult.Evidence()
}

// Authorize sends a standard authorization request for client (PKCE S256,
// state, the MCP resource, the scope), changed by edits, and follows it to
// the redirect back to the client.
func (s *Session) Authorize(ctx context.Context, client *registeredClient, edits ...func(url.Values)) (*authorization, error) {
	e, err := s.Endpoints(ctx)
	if err != nil {
		return nil, err
	}
	a := &authorization{Verifier: mockclient.NewVerifier()}
	s.client.Redact(a.Verifier)
	a.Params = url.Values{
		"response_type":         {"code"},
		"client_id":             {client.ID},
		"redirect_uri":          {redirectURI},
		"state":                 {mockclient.NewVerifier()},
		"code_challenge":        {mockclient.S256(a.Verifier)},
		"code_challenge_method": {"S256"},
	}
	if s.discovery.Revision.UsesProtectedResourceMetadata() {
		a.Params.Set("resource", s.discovery.MCPURL) // RFC 8707, from 2025-06-18
	}
	if e.Scope != "" {
		a.Params.Set("scope", e.Scope)
	}
	for _, edit := range edits {
		edit(a.Params)
	}
	if scope := withScopes(a.Params.Get("scope"), s.extraScopes); scope != "" {
		a.Params.Set("scope", scope)
	}
	target, err := mockclient.AuthorizationURL(e.Authorization, a.Params)
	if err != nil {
		return a, err
	}
	// The user agent goes back to the redirect URI the request named.
	a.AuthorizationResult, err = s.client.Authorize(ctx, target, cmp.Or(a.Params.Get("redirect_uri"), redirectURI))
	return a, err
}

// withScopes is scope with each of extra it lacks added.
func withScopes(scope string, extra []string) string {
	fields := strings.Fields(scope)
	for _, sc := range extra {
		if !slices.Contains(fields, sc) {
			fields = append(fields, sc)
		}
	}
	return strings.Join(fields, " ")
}

// Redeem exchanges the authorization's code at the token endpoint with the
// standard parameters (the verifier, the redirect URI, the resource),
// changed by edits.
func (s *Session) Redeem(ctx context.Context, client *registeredClient, a *authorization, edits ...func(url.Values)) (*mockclient.OAuthAnswer, error) {
	code, err := a.Code()
	if err != nil {
		return nil, err
	}
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"redirect_uri":  {redirectURI},
		"code_verifier": {a.Verifier},
	}
	return s.tokenEndpointRequest(ctx, client, form, edits...)
}

// tokenEndpointRequest posts form to the token endpoint as client, with the
// MCP resource from 2025-06-18 (RFC 8707 §2.2), changed by edits.
func (s *Session) tokenEndpointRequest(ctx context.Context, client *registeredClient, form url.Values, edits ...func(url.Values)) (*mockclient.OAuthAnswer, error) {
	e, err := s.Endpoints(ctx)
	if err != nil {
		return nil, err
	}
	if s.discovery.Revision.UsesProtectedResourceMetadata() {
		form.Set("resource", s.discovery.MCPURL)
	}
	for _, edit := range edits {
		edit(form)
	}
	return s.client.TokenRequest(ctx, e.Token, form, client.Auth())
}

// RegistrationEndpoint is where the authorization server registers clients
// (RFC 7591); an error when it advertises none.
func (s *Session) RegistrationEndpoint(ctx context.Context) (string, error) {
	e, err := s.Endpoints(ctx)
	if err != nil {
		return "", err
	}
	if e.Registration == "" {
		return "", errNoRegistration
	}
	if e.RegistrationAssumed {
		if _, err := s.registeredPublicClient(ctx); errors.Is(err, errNoRegistration) {
			return "", err
		}
	}
	return e.Registration, nil
}

// errNoRegistration: the authorization server registers no clients, which
// the specification allows (registration is a SHOULD).
var errNoRegistration = errors.New("server: the authorization server advertises no registration endpoint")

// flow is a standard authorization code flow of the public client: what
// the resource server checks start from.
type flow struct {
	Client                  *registeredClient
	Authorization           *authorization
	*mockclient.OAuthAnswer // the token endpoint's answer
}

// Evidence is the whole flow: registration, authorization, token request.
func (f *flow) Evidence() []evidence.Exchange {
	if f == nil {
		return nil
	}
	var out []evidence.Exchange
	if f.Client != nil {
		out = append(out, f.Client.Evidence()...)
	}
	if f.Authorization != nil {
		out = append(out, f.Authorization.Evidence()...)
	}
	return append(out, f.OAuthAnswer.Evidence()...)
}

// AccessToken is the flow's access token.
func (f *flow) AccessToken() string { return f.String("access_token") }

// Tokens runs the standard flow once per run.
func (s *Session) Tokens(ctx context.Context) (*flow, error) {
	return s.tokens.Do(func() (*flow, error) { return s.CodeFlow(ctx) })
}

// CodeFlow runs a new standard authorization code flow of the public
// client, its authorization request changed by edits, and fails unless it
// ends in an access token.
func (s *Session) CodeFlow(ctx context.Context, edits ...func(url.Values)) (*flow, error) {
	f := &flow{}
	var err error
	if f.Client, err = s.PublicClient(ctx); err != nil {
		return f, err
	}
	if f.Authorization, err = s.Authorize(ctx, f.Client, edits...); err != nil {
		return f, err
	}
	if f.OAuthAnswer, err = s.Redeem(ctx, f.Client, f.Authorization); err != nil {
		return f, err
	}
	if f.Status != http.StatusOK || !accessTokenIssued(f.OAuthAnswer) {
		return f, fmt.Errorf("server: the token endpoint answered %s to a standard code exchange", tokenOutcome(f.OAuthAnswer))
	}
	return f, nil
}

// CallMCP sends an MCP initialize request with the given Authorization
// header value ("" for none).
func (s *Session) CallMCP(ctx context.Context, authorization string) (*mockclient.Response, error) {
	return s.client.Do(ctx, http.MethodPost, s.discovery.MCPURL, mcpHeader(authorization), mockclient.InitializeRequest(s.discovery.Revision))
}
