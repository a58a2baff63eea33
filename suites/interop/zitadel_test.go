package interop_test

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/modelcontextprotocol/go-sdk/oauthex"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/client/rp"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// The deployment under test: an authorization server built on zitadel/oidc's
// op package with the in-memory storage of its example server, and an MCP
// server built on the official Go SDK, each on its own loopback HTTPS
// listener, as an MCP server fronted by a separate identity provider is
// deployed.
//
// The glue is what neither library ships: an RFC 7591 registration endpoint
// (zitadel/oidc has none) whose clients the storage serves, a login page
// that approves every request for the example's test user, and the
// authorization server metadata, which the op package leaves to a
// MetadataServer so that the registration endpoint can be named in it.
// Everything else (authorization, PKCE, codes, tokens, refresh, keys,
// token verification) is the libraries' own.

// mcpScopes are what the MCP server lists in its protected resource
// metadata: the OpenID scope the identity provider expects and
// offline_access, without which zitadel issues no refresh token.
var mcpScopes = []string{oidc.ScopeOpenID, oidc.ScopeOfflineAccess}

// zitadelDeployment is the running pair.
type zitadelDeployment struct {
	MCPURL string
	// CA is the PEM certificate both servers' TLS certificates chain to.
	CA []byte
}

// startZitadelDeployment serves both parts over HTTPS until the spec ends.
// The MCP server also trusts the tokens of alsoTrusted, the suite's test
// issuer, as the suite asks of a target for its token claim checks.
func startZitadelDeployment(alsoTrusted tokenIssuer) (*zitadelDeployment, error) {
	as, err := startZitadelAuthorizationServer()
	if err != nil {
		return nil, err
	}
	issuer := tokenIssuer{URL: as.URL, JWKSURL: op.DefaultEndpoints.JwksURI.Absolute(as.URL)}
	mcpURL, err := startSDKMCPServer(as.Client(), issuer, alsoTrusted)
	if err != nil {
		return nil, err
	}
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: as.Certificate().Raw})
	return &zitadelDeployment{MCPURL: mcpURL, CA: ca}, nil
}

// tokenIssuer is an issuer whose access tokens the MCP server accepts.
type tokenIssuer struct{ URL, JWKSURL string }

// serveTLS starts an HTTPS server on 127.0.0.1 whose handler is built from
// its own base URL, closed when the spec ends. Every such server presents
// httptest's certificate.
func serveTLS(handler func(base string) (http.Handler, error)) (*httptest.Server, error) {
	srv := httptest.NewUnstartedServer(nil)
	h, err := handler("https://" + srv.Listener.Addr().String())
	if err != nil {
		srv.Listener.Close()
		return nil, err
	}
	srv.Config.Handler = h
	srv.StartTLS()
	DeferCleanup(srv.Close)
	return srv, nil
}

func startZitadelAuthorizationServer() (*httptest.Server, error) {
	return serveTLS(func(issuer string) (http.Handler, error) {
		users := storage.NewUserStore(issuer)
		store := &clientRegistry{
			Storage: storage.NewStorageWithClients(users, map[string]*storage.Client{}),
			clients: map[string]*registeredClient{},
		}
		var cryptoKey [32]byte
		if _, err := rand.Read(cryptoKey[:]); err != nil {
			return nil, err
		}
		provider, err := op.NewProvider(&op.Config{
			CryptoKey:             cryptoKey,
			CodeMethodS256:        true,
			AuthMethodPost:        true,
			GrantTypeRefreshToken: true,
		}, store, op.StaticIssuer(issuer))
		if err != nil {
			return nil, err
		}
		withIssuer := op.NewIssuerInterceptor(provider.IssuerFromRequest)
		mux := http.NewServeMux()
		mux.Handle("/.well-known/", op.RegisterMetadataServer(
			&metadataServer{provider: provider, registration: issuer + registrationPath},
			op.WithHTTPMiddleware(withIssuer.Handler)))
		mux.Handle("POST "+registrationPath, store.registrationHandler(provider))
		mux.Handle(loginPath, withIssuer.HandlerFunc(approve(store, users, op.AuthCallbackURL(provider))))
		mux.Handle("/", provider)
		return mux, nil
	})
}

const (
	registrationPath = "/register"
	loginPath        = "/login"
)

// metadataServer serves the provider's discovery document, RFC 8414 and
// OpenID Connect alike, naming the registration endpoint.
type metadataServer struct {
	op.UnimplementedMetadataServer
	provider     *op.Provider
	registration string
}

func (m *metadataServer) document(ctx context.Context) *op.Response {
	config := op.CreateDiscoveryConfig(ctx, m.provider, m.provider.Storage())
	config.RegistrationEndpoint = m.registration
	return op.NewResponse(config)
}

func (m *metadataServer) OpenIDConfiguration(ctx context.Context, _ *op.Request[op.MetadataRequest]) (*op.Response, error) {
	return m.document(ctx), nil
}

func (m *metadataServer) AuthorizationServerMetadata(ctx context.Context, _ *op.Request[op.MetadataRequest]) (*op.Response, error) {
	return m.document(ctx), nil
}

// approve is the login page of a test identity provider: it signs the
// example's first test user in without asking and sends the user agent back
// to the provider, as the example's login does after a correct password.
func approve(store *clientRegistry, users storage.UserStore, callback func(context.Context, string) string) http.HandlerFunc {
	user := users.GetUserByID("id1")
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.FormValue("authRequestID")
		if err := store.CheckUsernamePassword(user.Username, user.Password, id); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, callback(r.Context(), id), http.StatusFound)
	}
}

// clientRegistry is the example storage serving dynamically registered
// clients in place of its fixed ones: the example keeps its clients in a map
// of a type whose fields it does not export, and the client credentials
// grant in a separate table of service users.
type clientRegistry struct {
	*storage.Storage
	mu      sync.Mutex
	clients map[string]*registeredClient
}

func (s *clientRegistry) client(id string) (*registeredClient, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clients[id]
	return c, ok
}

// GetClientByClientID implements op.Storage.
func (s *clientRegistry) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	if c, ok := s.client(id); ok {
		return c, nil
	}
	return nil, errors.New("client not found")
}

// AuthorizeClientIDSecret implements op.Storage, comparing secrets as the
// example does.
func (s *clientRegistry) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	c, ok := s.client(id)
	if !ok {
		return errors.New("client not found")
	}
	if c.secret != secret {
		return errors.New("invalid secret")
	}
	return nil
}

// ClientCredentials implements op.ClientCredentialsStorage: the example's
// service users are the registered confidential clients.
func (s *clientRegistry) ClientCredentials(_ context.Context, id, secret string) (op.Client, error) {
	c, ok := s.client(id)
	if !ok || c.secret == "" || c.secret != secret {
		return nil, errors.New("wrong service user or password")
	}
	return c, nil
}

// ClientCredentialsTokenRequest implements op.ClientCredentialsStorage as
// the example does.
func (s *clientRegistry) ClientCredentialsTokenRequest(_ context.Context, id string, scopes []string) (op.TokenRequest, error) {
	if _, ok := s.client(id); !ok {
		return nil, errors.New("wrong service user or password")
	}
	return &oidc.JWTTokenRequest{Subject: id, Audience: []string{id}, Scopes: scopes}, nil
}

// registeredClient is an op.Client made from RFC 7591 client metadata. Its
// access tokens are JWTs, so that the MCP server can verify them itself.
type registeredClient struct {
	id, secret      string
	redirectURIs    []string
	applicationType op.ApplicationType
	authMethod      oidc.AuthMethod
	grantTypes      []oidc.GrantType
	scopes          []string
}

func (c *registeredClient) GetID() string                       { return c.id }
func (c *registeredClient) RedirectURIs() []string              { return c.redirectURIs }
func (c *registeredClient) PostLogoutRedirectURIs() []string    { return nil }
func (c *registeredClient) ApplicationType() op.ApplicationType { return c.applicationType }
func (c *registeredClient) AuthMethod() oidc.AuthMethod         { return c.authMethod }
func (c *registeredClient) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *registeredClient) GrantTypes() []oidc.GrantType { return c.grantTypes }
func (c *registeredClient) LoginURL(id string) string {
	return loginPath + "?authRequestID=" + url.QueryEscape(id)
}
func (c *registeredClient) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeJWT }
func (c *registeredClient) IDTokenLifetime() time.Duration       { return time.Hour }
func (c *registeredClient) DevMode() bool                        { return false }
func (c *registeredClient) IsScopeAllowed(scope string) bool     { return slices.Contains(c.scopes, scope) }
func (c *registeredClient) IDTokenUserinfoClaimsAssertion() bool { return false }
func (c *registeredClient) ClockSkew() time.Duration             { return 0 }
func (c *registeredClient) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(scopes []string) []string { return scopes }
}
func (c *registeredClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(scopes []string) []string { return scopes }
}

// clientMetadata is the part of RFC 7591 §2 the registration honours.
type clientMetadata struct {
	RedirectURIs            []string `json:"redirect_uris"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method,omitempty"`
	GrantTypes              []string `json:"grant_types,omitempty"`
	ResponseTypes           []string `json:"response_types,omitempty"`
	ClientName              string   `json:"client_name,omitempty"`
	Scope                   string   `json:"scope,omitempty"`
	ApplicationType         string   `json:"application_type,omitempty"`
}

// registrationHandler is an open RFC 7591 registration endpoint. It refuses
// what the provider does not support and judges redirect URIs by the
// provider's own rule for the client being registered.
func (s *clientRegistry) registrationHandler(provider *op.Provider) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var m clientMetadata
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&m); err != nil {
			registrationError(w, "invalid_client_metadata", "the body is not client metadata")
			return
		}
		m.TokenEndpointAuthMethod = cmp.Or(m.TokenEndpointAuthMethod, string(oidc.AuthMethodBasic))
		if len(m.GrantTypes) == 0 {
			m.GrantTypes = []string{string(oidc.GrantTypeCode)}
		}
		m.ResponseTypes = []string{string(oidc.ResponseTypeCode)}
		c := &registeredClient{
			id:              rand.Text(),
			redirectURIs:    m.RedirectURIs,
			applicationType: op.ApplicationTypeWeb,
			authMethod:      oidc.AuthMethod(m.TokenEndpointAuthMethod),
			scopes:          strings.Fields(m.Scope),
		}
		if m.ApplicationType == "native" {
			c.applicationType = op.ApplicationTypeNative
		}
		if !slices.Contains(op.AuthMethodsTokenEndpoint(provider), c.authMethod) {
			registrationError(w, "invalid_client_metadata", "unsupported token_endpoint_auth_method")
			return
		}
		for _, g := range m.GrantTypes {
			grant := oidc.GrantType(g)
			if !slices.Contains(op.GrantTypes(provider), grant) ||
				grant == oidc.GrantTypeClientCredentials && c.authMethod == oidc.AuthMethodNone {
				registrationError(w, "invalid_client_metadata", "unsupported grant type "+g)
				return
			}
			c.grantTypes = append(c.grantTypes, grant)
		}
		if len(c.redirectURIs) == 0 && slices.Contains(c.grantTypes, oidc.GrantTypeCode) {
			registrationError(w, "invalid_redirect_uri", "redirect_uris are required")
			return
		}
		for _, uri := range c.redirectURIs {
			if err := op.ValidateAuthReqRedirectURI(c, uri, oidc.ResponseTypeCode); err != nil {
				registrationError(w, "invalid_redirect_uri", err.Error())
				return
			}
		}
		answer := map[string]any{"client_id": c.id, "client_id_issued_at": time.Now().Unix(), "redirect_uris": m.RedirectURIs,
			"token_endpoint_auth_method": m.TokenEndpointAuthMethod, "grant_types": m.GrantTypes,
			"response_types": m.ResponseTypes, "client_name": m.ClientName, "scope": m.Scope,
			"application_type": c.applicationType.String()}
		if c.authMethod != oidc.AuthMethodNone {
			c.secret = rand.Text()
			answer["client_secret"], answer["client_secret_expires_at"] = c.secret, 0
		}
		s.mu.Lock()
		s.clients[c.id] = c
		s.mu.Unlock()
		writeJSON(w, http.StatusCreated, answer)
	}
}

func registrationError(w http.ResponseWriter, code, description string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": code, "error_description": description})
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// startSDKMCPServer serves an MCP endpoint with the SDK's bearer middleware
// and protected resource metadata, as the SDK's auth example does, verifying
// access tokens with zitadel/oidc's own verifier against each issuer's keys.
// The metadata names the first issuer, the authorization server; the keys
// are fetched with client.
func startSDKMCPServer(client *http.Client, issuers ...tokenIssuer) (string, error) {
	var verifiers []*op.AccessTokenVerifier
	for _, issuer := range issuers {
		verifiers = append(verifiers, op.NewAccessTokenVerifier(issuer.URL, rp.NewRemoteKeySet(client, issuer.JWKSURL)))
	}
	verify := func(ctx context.Context, token string, _ *http.Request) (*auth.TokenInfo, error) {
		errs := []error{auth.ErrInvalidToken}
		for _, verifier := range verifiers {
			claims, err := op.VerifyAccessToken[*oidc.AccessTokenClaims](ctx, token, verifier)
			if err == nil {
				return &auth.TokenInfo{Scopes: claims.Scopes, Expiration: claims.GetExpiration(), UserID: claims.Subject}, nil
			}
			errs = append(errs, err)
		}
		return nil, errors.Join(errs...)
	}
	var mcpURL string
	_, err := serveTLS(func(base string) (http.Handler, error) {
		mcpURL = base + "/mcp"
		metadataURL := base + "/.well-known/oauth-protected-resource"
		server := mcp.NewServer(&mcp.Implementation{Name: "interop", Version: "1.0.0"}, nil)
		mcp.AddTool(server, &mcp.Tool{Name: "echo", Description: "Returns its text unchanged."}, echo)
		mux := http.NewServeMux()
		mux.Handle("/.well-known/oauth-protected-resource", auth.ProtectedResourceMetadataHandler(&oauthex.ProtectedResourceMetadata{
			Resource: mcpURL, AuthorizationServers: []string{issuers[0].URL}, ScopesSupported: mcpScopes,
		}))
		mux.Handle("/mcp", auth.RequireBearerToken(verify, &auth.RequireBearerTokenOptions{ResourceMetadataURL: metadataURL})(
			mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server }, nil)))
		return mux, nil
	})
	return mcpURL, err
}

type echoInput struct {
	Text string `json:"text"`
}

func echo(_ context.Context, _ *mcp.CallToolRequest, in echoInput) (*mcp.CallToolResult, any, error) {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: in.Text}}}, nil, nil
}
