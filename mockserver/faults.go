package mockserver

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mcpconform/mcpconform/internal/spec"
)

// Fault is one named way the reference target breaks exactly one requirement.
type Fault struct {
	Name        string
	Description string
	// Since is the first revision the fault applies to: before 2025-06-18
	// there is no protected resource metadata to break and the challenge
	// names neither metadata nor scope.
	Since spec.Revision
}

// AppliesTo reports whether the fault can be switched on under revision r.
func (f Fault) AppliesTo(r spec.Revision) bool { return r.AtLeast(f.Since) }

// Fault names. Each one changes only what its description says; any
// combination may be switched on together.
const (
	faultNoAuth                     = "rs.no-auth"
	faultMCPHang                    = "rs.mcp-hang"
	faultNoWWWAuthenticate          = "rs.no-www-authenticate"
	faultChallengeNoResourceMeta    = "rs.challenge-no-resource-metadata"
	faultChallengeNoScope           = "rs.challenge-no-scope"
	faultErrorWithoutCredentials    = "rs.error-without-credentials"
	faultPRMMissing                 = "rs.prm-missing"
	faultPRMRootOnly                = "rs.prm-root-only"
	faultPRMWrongContentType        = "rs.prm-wrong-content-type"
	faultPRMMalformedJSON           = "rs.prm-malformed-json"
	faultPRMHugeBody                = "rs.prm-huge-body"
	faultPRMHang                    = "rs.prm-hang"
	faultPRMRedirectLoop            = "rs.prm-redirect-loop"
	faultPRMRedirectOffhost         = "rs.prm-redirect-offhost"
	faultPRMResourceMismatch        = "rs.prm-resource-mismatch"
	faultPRMNoAuthorizationServers  = "rs.prm-no-authorization-servers"
	faultPRMNoScopes                = "rs.prm-no-scopes"
	faultPRMAdvertisesQuery         = "rs.prm-advertises-query"
	faultPRMSchemaViolation         = "rs.prm-schema-violation"
	faultASMissing                  = "as.metadata.missing"
	faultASMalformedJSON            = "as.metadata.malformed-json"
	faultASRedirectOffhost          = "as.metadata.redirect-offhost"
	faultASIssuerMismatch           = "as.metadata.issuer-mismatch"
	faultASWrongContentType         = "as.metadata.wrong-content-type"
	faultASNoTokenEndpoint          = "as.metadata.no-token-endpoint"
	faultASNoCodeResponseType       = "as.metadata.no-code-response-type"
	faultASNoS256                   = "as.metadata.no-s256"
	faultASNoAuthorizationCodeGrant = "as.metadata.no-authorization-code-grant"
	faultASSchemaViolation          = "as.metadata.schema-violation"
	faultASOIDCOnly                 = "as.metadata.oidc-only"
)

// faultRegistry holds every fault. Discovery faults are listed here; each
// other area registers its own from its file's init.
var faultRegistry = []Fault{
	{faultNoAuth, "the MCP endpoint serves requests without any access token", spec.Rev20250326},
	{faultMCPHang, "a request to the MCP endpoint without a valid token never gets an answer", spec.Rev20250326},
	{faultNoWWWAuthenticate, "the 401 from the MCP endpoint carries no WWW-Authenticate header", spec.Rev20250326},
	{faultChallengeNoResourceMeta, "the 401 Bearer challenge omits resource_metadata (scope kept)", spec.Rev20250618},
	{faultChallengeNoScope, "the 401 Bearer challenge omits scope", spec.Rev20250618},
	{faultErrorWithoutCredentials, "the 401 for a request without credentials carries error=\"invalid_token\"", spec.Rev20250326},
	{faultPRMMissing, "every protected resource metadata URL answers 404 (the challenge still names the path URL)", spec.Rev20250618},
	{faultPRMRootOnly, "protected resource metadata only at the root URL; the path URL answers 404; the challenge names the root URL", spec.Rev20250618},
	{faultPRMWrongContentType, "protected resource metadata served as text/html", spec.Rev20250618},
	{faultPRMMalformedJSON, "protected resource metadata body is truncated JSON", spec.Rev20250618},
	{faultPRMHugeBody, "protected resource metadata answer streams 20 MiB", spec.Rev20250618},
	{faultPRMHang, "protected resource metadata requests never get an answer", spec.Rev20250618},
	{faultPRMRedirectLoop, "protected resource metadata URLs redirect (302) to themselves forever", spec.Rev20250618},
	{faultPRMRedirectOffhost, "protected resource metadata URLs redirect (302) to the same path on host localhost", spec.Rev20250618},
	{faultPRMResourceMismatch, "protected resource metadata resource is https://mcp.example.com/mcp", spec.Rev20250618},
	{faultPRMNoAuthorizationServers, "protected resource metadata omits authorization_servers", spec.Rev20250618},
	{faultPRMNoScopes, "protected resource metadata omits scopes_supported", spec.Rev20250618},
	{faultPRMAdvertisesQuery, "protected resource metadata lists \"query\" in bearer_methods_supported", spec.Rev20250618},
	{faultPRMSchemaViolation, "protected resource metadata resource_name is a number", spec.Rev20250618},
	{faultASMissing, "every authorization server metadata URL (RFC 8414 and OpenID) answers 404", spec.Rev20250326},
	{faultASMalformedJSON, "authorization server metadata bodies are truncated JSON", spec.Rev20250326},
	{faultASRedirectOffhost, "authorization server metadata URLs redirect (302) to the same path on host localhost", spec.Rev20250326},
	{faultASIssuerMismatch, "authorization server metadata issuer has a trailing slash added", spec.Rev20250326},
	{faultASWrongContentType, "authorization server metadata served as text/plain", spec.Rev20250326},
	{faultASNoTokenEndpoint, "authorization server metadata omits token_endpoint", spec.Rev20250326},
	{faultASNoCodeResponseType, "authorization server metadata response_types_supported is [\"token\"]", spec.Rev20250326},
	{faultASNoS256, "authorization server metadata code_challenge_methods_supported is [\"plain\"]", spec.Rev20250326},
	{faultASNoAuthorizationCodeGrant, "authorization server metadata grant_types_supported is [\"client_credentials\"]", spec.Rev20250326},
	{faultASSchemaViolation, "authorization server metadata token_endpoint_auth_methods_supported is a string, not an array", spec.Rev20250326},
	{faultASOIDCOnly, "no RFC 8414 metadata anywhere; OpenID discovery served at the appended location instead", spec.Rev20250326},
}

// registerFaults adds an area's faults to the registry.
func registerFaults(faults ...Fault) { faultRegistry = append(faultRegistry, faults...) }

// Faults lists every fault, sorted by name.
func Faults() []Fault {
	out := slices.Clone(faultRegistry)
	slices.SortFunc(out, func(a, b Fault) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// faultSet is the set of faults switched on for one server.
type faultSet map[string]bool

func newFaultSet(rev spec.Revision, names []string) (faultSet, error) {
	set := faultSet{}
	for _, name := range names {
		i := slices.IndexFunc(faultRegistry, func(f Fault) bool { return f.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("mockserver: unknown fault %q", name)
		}
		if f := faultRegistry[i]; !f.AppliesTo(rev) {
			return nil, fmt.Errorf("mockserver: fault %q needs revision %s or later, not %s", name, f.Since, rev)
		}
		set[name] = true
	}
	return set, nil
}
