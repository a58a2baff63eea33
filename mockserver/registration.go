package mockserver

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Dynamic client registration faults.
func init() {
	registerFaults(
		Fault{fault.ASDCRAcceptJavascriptURI, "registration accepts javascript: redirect URIs", spec.Rev20250326},
		Fault{fault.ASDCRAcceptDataURI, "registration accepts data: redirect URIs", spec.Rev20250326},
		Fault{fault.ASDCRAcceptHTTPNonLoopback, "registration accepts http redirect URIs on hosts other than loopback", spec.Rev20250326},
		Fault{fault.ASDCRAcceptFragment, "registration accepts redirect URIs with a fragment", spec.Rev20250326},
		Fault{fault.ASDCRAcceptUnknownGrantType, "registration accepts grant types the server does not support, such as password", spec.Rev20250326},
		Fault{fault.ASDCRAcceptUnknownAuthMethod, "registration accepts token endpoint auth methods the server does not support", spec.Rev20250326},
		Fault{fault.ASDCROpenDespiteProtection, "registration needs no initial access token although one is configured", spec.Rev20250326},
		Fault{fault.ASDCRAcceptAnyInitialToken, "registration accepts any Bearer value as the initial access token", spec.Rev20250326},
		Fault{fault.ASDCRWrongErrorCode, "bad redirect URIs are refused with invalid_client_metadata instead of invalid_redirect_uri", spec.Rev20250326},
		Fault{fault.ASDCRPublicClientCredentials, "a public client (auth method none) may register the client_credentials grant", spec.Rev20250326},
	)
}

// maxClientMetadata bounds a registration request and a client ID metadata
// document; real metadata is a few hundred bytes.
const maxClientMetadata = 64 << 10

// RFC 7591 §3.2.2 error codes.
const (
	errInvalidRedirectURI    = "invalid_redirect_uri"
	errInvalidClientMetadata = "invalid_client_metadata"
)

// clientMetadata is the part of RFC 7591 §2 client metadata the server acts
// on. Other members are ignored, client_id and client_secret among them: the
// server assigns its own.
type clientMetadata struct {
	RedirectURIs            []string        `json:"redirect_uris"`
	GrantTypes              []string        `json:"grant_types"`
	ResponseTypes           []string        `json:"response_types"`
	TokenEndpointAuthMethod string          `json:"token_endpoint_auth_method"`
	JWKS                    json.RawMessage `json:"jwks"`
	JWKSURI                 string          `json:"jwks_uri"`
	ClientName              string          `json:"client_name"`
	Scope                   string          `json:"scope"`
	ApplicationType         string          `json:"application_type"`
}

// metadataRefusal refuses client metadata with an RFC 7591 error code.
type metadataRefusal struct {
	code   string
	reason string
}

func invalidMetadata(format string, args ...any) *metadataRefusal {
	return &metadataRefusal{code: errInvalidClientMetadata, reason: fmt.Sprintf(format, args...)}
}

// mountRegistration routes dynamic client registration (RFC 7591).
func (s *Server) mountRegistration(as *http.ServeMux) {
	if s.cfg.noRegistration {
		return
	}
	as.HandleFunc("POST "+pathOf(s.asOrigin, s.registrationEndpoint()), s.register)
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	if reason, ok := s.initialAccessTokenAccepted(r); !ok {
		decide(r, "refused: %s", reason)
		// RFC 6750 §3.1: no error code when no credentials were sent.
		challenge := "Bearer"
		if presented, _ := bearerToken(r); presented != "" {
			challenge = `Bearer error="` + errInvalidToken + `"`
		}
		w.Header().Set("WWW-Authenticate", challenge)
		writeRegistrationJSON(w, http.StatusUnauthorized, oauthErrorBody(errInvalidToken, "mockserver: "+reason))
		return
	}
	meta, refusal := readClientMetadata(r)
	if refusal == nil {
		var c *client
		if c, refusal = validateClientMetadata(meta, s.faults); refusal == nil {
			s.completeRegistration(w, r, c, meta.ApplicationType)
			return
		}
	}
	decide(r, "refused: %s: %s", refusal.code, refusal.reason)
	writeRegistrationJSON(w, http.StatusBadRequest, oauthErrorBody(refusal.code, "mockserver: "+refusal.reason))
}

// initialAccessTokenAccepted checks the RFC 7591 §3 initial access token
// when one is configured, and says why not when it fails.
func (s *Server) initialAccessTokenAccepted(r *http.Request) (reason string, ok bool) {
	want := s.cfg.initialAccessToken
	if want == "" || s.faults[fault.ASDCROpenDespiteProtection] {
		return "", true
	}
	presented, sent := bearerToken(r)
	switch {
	case !sent || presented == "":
		return "initial access token required", false
	case s.faults[fault.ASDCRAcceptAnyInitialToken]:
		return "", true
	case subtle.ConstantTimeCompare([]byte(presented), []byte(want)) != 1:
		return "initial access token not valid", false
	}
	return "", true
}

func readClientMetadata(r *http.Request) (clientMetadata, *metadataRefusal) {
	var meta clientMetadata
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "application/json" {
		return meta, invalidMetadata("the request must be application/json")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxClientMetadata+1))
	if err != nil {
		return meta, invalidMetadata("reading the request: %v", err)
	}
	if len(body) > maxClientMetadata {
		return meta, invalidMetadata("the request exceeds %d bytes", maxClientMetadata)
	}
	return meta, decodeClientMetadata(body, &meta)
}

// decodeClientMetadata unmarshals a JSON object of client metadata into v.
func decodeClientMetadata(body []byte, v any) *metadataRefusal {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil || members == nil {
		return invalidMetadata("client metadata must be a JSON object")
	}
	if err := json.Unmarshal(body, v); err != nil {
		if typeErr, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
			return invalidMetadata("%s has the wrong type", typeErr.Field)
		}
		return invalidMetadata("client metadata does not decode: %v", err)
	}
	return nil
}

// completeRegistration assigns the credentials, keeps the client and
// answers RFC 7591 §3.2.1.
func (s *Server) completeRegistration(w http.ResponseWriter, r *http.Request, c *client, applicationType string) {
	c.ID = randomValue()
	c.IssuedAt = time.Now()
	if s.cfg.registrationAuthMethod != "" {
		c.AuthMethod = s.cfg.registrationAuthMethod
	}
	if issuesSecret(c.AuthMethod) {
		c.Secret = randomValue()
	}
	s.store.addRegisteredClient(c)
	decide(r, "registered a client with auth method %s and grant types %s", c.AuthMethod, strings.Join(c.GrantTypes, " "))

	body := map[string]any{
		"client_id":                  c.ID,
		"client_id_issued_at":        c.IssuedAt.Unix(),
		"grant_types":                c.GrantTypes,
		"response_types":             c.ResponseTypes,
		"token_endpoint_auth_method": c.AuthMethod,
	}
	if secret := s.answeredSecret(c); secret != "" {
		body["client_secret"] = secret
		body["client_secret_expires_at"] = 0 // never (RFC 7591 §3.2.1)
	}
	optional := map[string]string{"client_name": c.Name, "scope": c.Scope, "application_type": applicationType}
	for name, value := range optional {
		if value != "" {
			body[name] = value
		}
	}
	if len(c.RedirectURIs) > 0 {
		body["redirect_uris"] = c.RedirectURIs
	}
	if c.JWKS != nil {
		body["jwks"] = c.JWKS
	}
	s.spoilClientInformation(body)
	writeRegistrationJSON(w, http.StatusCreated, body)
}

// WithRegistrationAuthMethod makes registration assign method (none,
// client_secret_basic or client_secret_post) whatever the client asked, as
// RFC 7591 §3.2.1 lets a server, and makes the metadata list only it.
func WithRegistrationAuthMethod(method string) Option {
	return func(c *config) { c.registrationAuthMethod = method }
}

// issuesSecret: shared-secret methods get a secret, and so does whatever an
// unknown method (as.dcr.accept-unknown-auth-method) might need.
func issuesSecret(authMethod string) bool {
	return authMethod != authNone && authMethod != authPrivateKeyJWT
}

func oauthErrorBody(code, description string) map[string]any {
	return map[string]any{"error": code, "error_description": description}
}

func writeRegistrationJSON(w http.ResponseWriter, status int, body map[string]any) {
	encoded, err := json.Marshal(body)
	if err != nil {
		http.Error(w, "mockserver: encode registration answer: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store") // it may hold a client secret
	w.WriteHeader(status)
	w.Write(encoded)
}

// validateClientMetadata applies the registration policy, loosened by the
// dcr faults switched on in faults (none for client ID metadata documents),
// and returns the client to register, still without ID and secret.
func validateClientMetadata(meta clientMetadata, faults faultSet) (*client, *metadataRefusal) {
	c := &client{
		RedirectURIs:  meta.RedirectURIs,
		GrantTypes:    meta.GrantTypes,
		ResponseTypes: meta.ResponseTypes,
		AuthMethod:    meta.TokenEndpointAuthMethod,
		Name:          meta.ClientName,
		Scope:         strings.Join(strings.Fields(meta.Scope), " "),
	}
	if c.GrantTypes == nil {
		c.GrantTypes = []string{grantAuthorizationCode} // RFC 7591 §2
	}
	if c.AuthMethod == "" {
		c.AuthMethod = authClientSecretBasic // RFC 7591 §2
	}
	if refusal := checkGrantTypes(c.GrantTypes, faults); refusal != nil {
		return nil, refusal
	}
	redirects := c.allows(grantAuthorizationCode)
	if c.ResponseTypes == nil {
		c.ResponseTypes = []string{}
		if redirects {
			c.ResponseTypes = []string{responseTypeCode}
		}
	}
	if refusal := checkResponseTypes(c.ResponseTypes, redirects); refusal != nil {
		return nil, refusal
	}
	redirectCode := errInvalidRedirectURI
	if faults[fault.ASDCRWrongErrorCode] {
		redirectCode = errInvalidClientMetadata
	}
	if redirects && len(c.RedirectURIs) == 0 {
		return nil, &metadataRefusal{redirectCode, "redirect_uris is required for the authorization_code grant"}
	}
	for _, uri := range c.RedirectURIs {
		if reason := redirectURIProblem(uri, faults); reason != "" {
			return nil, &metadataRefusal{redirectCode, fmt.Sprintf("redirect URI %q: %s", uri, reason)}
		}
	}
	jwks, refusal := checkAuthMethod(c, meta, faults)
	if refusal != nil {
		return nil, refusal
	}
	c.JWKS = jwks
	if meta.ApplicationType != "" && meta.ApplicationType != "web" && meta.ApplicationType != "native" {
		return nil, invalidMetadata("application_type must be web or native")
	}
	for _, scope := range strings.Fields(c.Scope) {
		if !slices.Contains(supportedScopes, scope) {
			return nil, invalidMetadata("scope %q is not supported", scope)
		}
	}
	return c, nil
}

var supportedGrantTypes = []string{grantAuthorizationCode, grantRefreshToken, grantClientCredentials}

func checkGrantTypes(grants []string, faults faultSet) *metadataRefusal {
	if len(grants) == 0 {
		return invalidMetadata("grant_types is empty")
	}
	for _, grant := range grants {
		if !slices.Contains(supportedGrantTypes, grant) && !faults[fault.ASDCRAcceptUnknownGrantType] {
			return invalidMetadata("grant type %q is not supported", grant)
		}
	}
	return nil
}

// checkResponseTypes: the code response type goes with the
// authorization_code grant and nothing else is supported (RFC 7591 §2.1).
func checkResponseTypes(responseTypes []string, authorizationCode bool) *metadataRefusal {
	for _, rt := range responseTypes {
		if rt != responseTypeCode {
			return invalidMetadata("response type %q is not supported", rt)
		}
	}
	if slices.Contains(responseTypes, responseTypeCode) != authorizationCode {
		return invalidMetadata("response type code and grant type authorization_code go together")
	}
	return nil
}

// loopbackHosts may receive redirects over plain http (RFC 8252 §7.3, §8.3).
var loopbackHosts = []string{"127.0.0.1", "::1", "localhost"}

func isLoopbackHost(host string) bool {
	return slices.Contains(loopbackHosts, strings.ToLower(host))
}

// redirectURIProblem says what is wrong with a redirect URI, or "".
func redirectURIProblem(raw string, faults faultSet) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "not a URI"
	}
	if strings.Contains(raw, "#") && !faults[fault.ASDCRAcceptFragment] {
		return "a fragment is not allowed (RFC 6749 §3.1.2)"
	}
	switch scheme := u.Scheme; {
	case scheme == "":
		return "not an absolute URI"
	case scheme == "https":
		if u.Host == "" || strings.Contains(u.Host, "*") {
			return "needs a host, without wildcards"
		}
	case loopbackRefused(u, faults):
		return "http is not allowed"
	case scheme == "http":
		if !isLoopbackHost(u.Hostname()) && !faults[fault.ASDCRAcceptHTTPNonLoopback] {
			return "http is only allowed on loopback hosts"
		}
	case scheme == "javascript" && faults[fault.ASDCRAcceptJavascriptURI]:
	case scheme == "data" && faults[fault.ASDCRAcceptDataURI]:
	case strings.Contains(scheme, "."):
		// A private-use scheme in reverse-DNS form, for native apps (RFC 8252 §7.1).
	default:
		return "scheme " + scheme + " is not allowed"
	}
	return ""
}

// checkAuthMethod checks the token endpoint auth method and returns the
// client's public keys for private_key_jwt.
func checkAuthMethod(c *client, meta clientMetadata, faults faultSet) (*jose.JSONWebKeySet, *metadataRefusal) {
	if meta.JWKSURI != "" {
		return nil, invalidMetadata("jwks_uri is not supported; send the keys inline as jwks")
	}
	switch c.AuthMethod {
	case authNone:
		if c.allows(grantClientCredentials) && !faults[fault.ASDCRPublicClientCredentials] {
			return nil, invalidMetadata("a public client cannot use the client_credentials grant")
		}
	case authClientSecretBasic, authClientSecretPost:
	case authPrivateKeyJWT:
		return publicKeySet(meta.JWKS)
	default:
		if !faults[fault.ASDCRAcceptUnknownAuthMethod] {
			return nil, invalidMetadata("token endpoint auth method %q is not supported", c.AuthMethod)
		}
	}
	return nil, nil
}

// publicKeySet parses an inline jwks that must hold public keys only.
func publicKeySet(raw json.RawMessage) (*jose.JSONWebKeySet, *metadataRefusal) {
	if len(raw) == 0 {
		return nil, invalidMetadata("private_key_jwt needs the client's public keys as jwks")
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(raw, &set); err != nil {
		return nil, invalidMetadata("jwks is not a JSON Web Key Set: %v", err)
	}
	if len(set.Keys) == 0 {
		return nil, invalidMetadata("jwks holds no key")
	}
	for _, key := range set.Keys {
		if !key.Valid() || !key.IsPublic() {
			return nil, invalidMetadata("jwks must hold valid public keys only")
		}
	}
	return &set, nil
}

// RegisteredClientIDs are the client IDs dynamic client registration
// issued so far, in order.
func (s *Server) RegisteredClientIDs() []string {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	return append([]string(nil), s.store.registeredIDs...)
}
