package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/mcpconform/mcpconform/internal/fault"
)

// Truncated bodies for the malformed-json faults: valid JSON up to a cut in
// the middle of the first string.
const (
	truncatedProtectedResourceMetadata   = `{"resource": "`
	truncatedAuthorizationServerMetadata = `{"issuer": "`
)

// protectedResourceMetadata is the RFC 9728 document for the MCP endpoint,
// as served to r (nil: to any request).
func (s *Server) protectedResourceMetadata(r *http.Request) map[string]any {
	doc := map[string]any{
		"resource":                 s.asForwarded(r, s.resource),
		"authorization_servers":    []string{s.currentIssuer()},
		"scopes_supported":         supportedScopes,
		"bearer_methods_supported": []string{"header"},
		"resource_name":            "mcpconform reference",
	}
	if s.faults[fault.RSPRMResourceMismatch] {
		doc["resource"] = "https://mcp.example.com/mcp"
	}
	if s.faults[fault.RSPRMNoAuthorizationServers] {
		delete(doc, "authorization_servers")
	}
	if s.faults[fault.RSPRMNoScopes] {
		delete(doc, "scopes_supported")
	}
	if s.faults[fault.RSPRMAdvertisesQuery] {
		doc["bearer_methods_supported"] = []string{"header", "query"}
	}
	if s.faults[fault.RSPRMSchemaViolation] {
		doc["resource_name"] = 7
	}
	return doc
}

// authorizationServerMetadata is the RFC 8414 document, or with openID the
// OpenID Connect discovery document (the same members plus the two OpenID
// requires).
func (s *Server) authorizationServerMetadata(openID bool) map[string]any {
	doc := map[string]any{
		"issuer":                                           s.issuer,
		"authorization_endpoint":                           s.advertisedAuthorizationEndpoint(),
		"token_endpoint":                                   s.tokenEndpoint(),
		"registration_endpoint":                            s.registrationEndpoint(),
		"introspection_endpoint":                           s.introspectionEndpoint(),
		"jwks_uri":                                         s.jwksURL,
		"response_types_supported":                         []string{"code"},
		"grant_types_supported":                            []string{"authorization_code", "refresh_token", "client_credentials"},
		"code_challenge_methods_supported":                 s.advertisedChallengeMethods(),
		"token_endpoint_auth_methods_supported":            []string{authNone, authClientSecretBasic, authClientSecretPost, authPrivateKeyJWT},
		"token_endpoint_auth_signing_alg_values_supported": []string{"ES256", "RS256"},
		"scopes_supported":                                 s.authorizationServerScopes(),
		// RFC 9207: the authorization response carries iss.
		"authorization_response_iss_parameter_supported": true,
	}
	if s.supportsClientIDMetadataDocuments() {
		doc["client_id_metadata_document_supported"] = true
	}
	if method := s.cfg.registrationAuthMethod; method != "" {
		doc["token_endpoint_auth_methods_supported"] = []string{method}
	}
	s.restrictToClientCredentials(doc)
	if s.cfg.issNotAdvertised {
		delete(doc, "authorization_response_iss_parameter_supported")
	}
	if s.cfg.noRegistration {
		delete(doc, "registration_endpoint")
	}
	if openID {
		doc["subject_types_supported"] = []string{"public"}
		doc["id_token_signing_alg_values_supported"] = []string{string(signingAlgorithm)}
	}
	if s.faults[fault.ASMetadataIssuerMismatch] {
		doc["issuer"] = s.issuer + "/"
	}
	if s.faults[fault.ASMetadataNoTokenEndpoint] {
		delete(doc, "token_endpoint")
	}
	if s.faults[fault.ASMetadataNoCodeResponseType] {
		doc["response_types_supported"] = []string{"token"}
	}
	if s.faults[fault.ASMetadataNoS256] {
		doc["code_challenge_methods_supported"] = []string{"plain"}
	}
	if s.faults[fault.ASMetadataNoAuthorizationCodeGrant] {
		doc["grant_types_supported"] = []string{"client_credentials"}
	}
	if s.cfg.noRefreshTokens {
		doc["grant_types_supported"] = []string{"authorization_code", "client_credentials"}
	}
	if s.faults[fault.ASMetadataSchemaViolation] {
		doc["token_endpoint_auth_methods_supported"] = "none"
	}
	return doc
}

// delivery is how a metadata document goes over the wire; the zero value
// after contentType and body is the reference behaviour.
type delivery struct {
	contentType     string
	body            []byte
	hang            bool
	huge            bool
	redirectLoop    bool
	redirectOffhost bool
}

func (s *Server) protectedResourceDelivery(r *http.Request) (delivery, error) {
	body, err := json.Marshal(s.protectedResourceMetadata(r))
	if err != nil {
		return delivery{}, fmt.Errorf("mockserver: encode protected resource metadata: %w", err)
	}
	d := delivery{
		contentType:     "application/json",
		body:            body,
		hang:            s.faults[fault.RSPRMHang],
		huge:            s.faults[fault.RSPRMHugeBody],
		redirectLoop:    s.faults[fault.RSPRMRedirectLoop],
		redirectOffhost: s.faults[fault.RSPRMRedirectOffhost],
	}
	if s.faults[fault.RSPRMWrongContentType] {
		d.contentType = "text/html"
	}
	if s.faults[fault.RSPRMMalformedJSON] {
		d.body = []byte(truncatedProtectedResourceMetadata)
	}
	return d, nil
}

// serveProtectedResourceMetadata serves the protected resource metadata,
// built anew for each request when it changes as the MCP server moves to
// another authorization server, or with the request's forwarded headers.
func (s *Server) serveProtectedResourceMetadata() (http.HandlerFunc, error) {
	d, err := s.protectedResourceDelivery(nil)
	if err != nil || (s.next == nil && !s.faults[fault.RSTrustForwardedHeaders]) {
		return serveDocument(d, s.rsOrigin.local, s.rsOrigin.offhost), err
	}
	return func(w http.ResponseWriter, r *http.Request) {
		d, err := s.protectedResourceDelivery(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		serveDocument(d, s.rsOrigin.local, s.rsOrigin.offhost)(w, r)
	}, nil
}

func (s *Server) authorizationServerDelivery(openID bool) (delivery, error) {
	body, err := json.Marshal(s.authorizationServerMetadata(openID))
	if err != nil {
		return delivery{}, fmt.Errorf("mockserver: encode authorization server metadata: %w", err)
	}
	d := delivery{
		contentType:     "application/json",
		body:            body,
		redirectOffhost: s.faults[fault.ASMetadataRedirectOffhost],
	}
	if s.faults[fault.ASMetadataWrongContentType] {
		d.contentType = "text/plain"
	}
	if s.faults[fault.ASMetadataMalformedJSON] {
		d.body = []byte(truncatedAuthorizationServerMetadata)
	}
	return d, nil
}

// serveDocument answers with d on the listener reachable as origin (and as
// offhostOrigin, the "localhost" name of the same socket). A client that
// follows an off-host redirect gets the document there, so the only defect
// is the change of host.
func serveDocument(d delivery, origin, offhostOrigin string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch {
		case d.hang:
			hang(w, r)
		case d.redirectLoop:
			redirectTo(origin)(w, r)
		case d.redirectOffhost && !arrivedOffhost(r):
			redirectTo(offhostOrigin)(w, r)
		case d.huge:
			streamHugeJSON(w, r)
		default:
			w.Header().Set("Content-Type", d.contentType)
			w.Write(d.body)
		}
	}
}

// WithoutISSAdvertised leaves authorization_response_iss_parameter_supported
// out of the metadata while authorization responses still carry iss: an
// authorization server whose metadata predates RFC 9207, which a client
// must still compare iss with (RFC 9207 §2.4).
func WithoutISSAdvertised() Option {
	return func(c *config) { c.issNotAdvertised = true }
}
