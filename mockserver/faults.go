package mockserver

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Fault is one named way the reference target breaks exactly one requirement.
type Fault struct {
	Name        fault.Name
	Description string
	// Since is the first revision the fault applies to: before 2025-06-18
	// there is no protected resource metadata to break and the challenge
	// names neither metadata nor scope.
	Since spec.Revision
}

// AppliesTo reports whether the fault can be switched on under revision r.
func (f Fault) AppliesTo(r spec.Revision) bool { return r.AtLeast(f.Since) }

// faultRegistry holds every fault. Each one changes only what its
// description says; any combination may be switched on together. Discovery
// faults are listed here; each other area registers its own from its file's
// init.
var faultRegistry = []Fault{
	{fault.RSNoAuth, "the MCP endpoint serves requests without any access token", spec.Rev20250326},
	{fault.RSMCPHang, "a request to the MCP endpoint without a valid token never gets an answer", spec.Rev20250326},
	{fault.RSNoWWWAuthenticate, "the 401 from the MCP endpoint carries no WWW-Authenticate header", spec.Rev20250326},
	{fault.RSChallengeNoResourceMetadata, "the 401 Bearer challenge omits resource_metadata (scope kept)", spec.Rev20250618},
	{fault.RSChallengeNoScope, "the 401 Bearer challenge omits scope", spec.Rev20250618},
	{fault.RSErrorWithoutCredentials, "the 401 for a request without credentials carries error=\"invalid_token\"", spec.Rev20250326},
	{fault.RSPRMMissing, "every protected resource metadata URL answers 404 (the challenge still names the path URL)", spec.Rev20250618},
	{fault.RSPRMRootOnly, "protected resource metadata only at the root URL; the path URL answers 404; the challenge names the root URL", spec.Rev20250618},
	{fault.RSPRMWrongContentType, "protected resource metadata served as text/html", spec.Rev20250618},
	{fault.RSPRMMalformedJSON, "protected resource metadata body is truncated JSON", spec.Rev20250618},
	{fault.RSPRMHugeBody, "protected resource metadata answer streams 20 MiB", spec.Rev20250618},
	{fault.RSPRMHang, "protected resource metadata requests never get an answer", spec.Rev20250618},
	{fault.RSPRMRedirectLoop, "protected resource metadata URLs redirect (302) to themselves forever", spec.Rev20250618},
	{fault.RSPRMRedirectOffhost, "protected resource metadata URLs redirect (302) to the same path on host localhost", spec.Rev20250618},
	{fault.RSPRMResourceMismatch, "protected resource metadata resource is https://mcp.example.com/mcp", spec.Rev20250618},
	{fault.RSPRMNoAuthorizationServers, "protected resource metadata omits authorization_servers", spec.Rev20250618},
	{fault.RSPRMNoScopes, "protected resource metadata omits scopes_supported", spec.Rev20250618},
	{fault.RSPRMAdvertisesQuery, "protected resource metadata lists \"query\" in bearer_methods_supported", spec.Rev20250618},
	{fault.RSPRMSchemaViolation, "protected resource metadata resource_name is a number", spec.Rev20250618},
	{fault.ASMetadataMissing, "every authorization server metadata URL (RFC 8414 and OpenID) answers 404", spec.Rev20250326},
	{fault.ASMetadataMalformedJSON, "authorization server metadata bodies are truncated JSON", spec.Rev20250326},
	{fault.ASMetadataRedirectOffhost, "authorization server metadata URLs redirect (302) to the same path on host localhost", spec.Rev20250326},
	{fault.ASMetadataIssuerMismatch, "authorization server metadata issuer has a trailing slash added", spec.Rev20250326},
	{fault.ASMetadataWrongContentType, "authorization server metadata served as text/plain", spec.Rev20250326},
	{fault.ASMetadataNoTokenEndpoint, "authorization server metadata omits token_endpoint", spec.Rev20250326},
	{fault.ASMetadataNoCodeResponseType, "authorization server metadata response_types_supported is [\"token\"]", spec.Rev20250326},
	{fault.ASMetadataNoS256, "authorization server metadata code_challenge_methods_supported is [\"plain\"]", spec.Rev20250326},
	{fault.ASMetadataNoAuthorizationCodeGrant, "authorization server metadata grant_types_supported is [\"client_credentials\"]", spec.Rev20250326},
	{fault.ASMetadataSchemaViolation, "authorization server metadata token_endpoint_auth_methods_supported is a string, not an array", spec.Rev20250326},
	{fault.ASMetadataOIDCOnly, "no RFC 8414 metadata anywhere; OpenID discovery served at the appended location instead", spec.Rev20250326},
}

// registerFaults adds an area's faults to the registry.
func registerFaults(faults ...Fault) { faultRegistry = append(faultRegistry, faults...) }

// Faults lists every fault, sorted by name.
func Faults() []Fault {
	out := slices.Clone(faultRegistry)
	slices.SortFunc(out, func(a, b Fault) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// LookupFault finds the fault called name; it alone decides which names the
// reference target knows.
func LookupFault(name fault.Name) (Fault, bool) {
	i := slices.IndexFunc(faultRegistry, func(f Fault) bool { return f.Name == name })
	if i < 0 {
		return Fault{}, false
	}
	return faultRegistry[i], true
}

// faultSet is the set of faults switched on for one server.
type faultSet map[fault.Name]bool

func newFaultSet(rev spec.Revision, names []fault.Name) (faultSet, error) {
	set := faultSet{}
	for _, name := range names {
		f, ok := LookupFault(name)
		if !ok {
			return nil, fmt.Errorf("mockserver: unknown fault %q", name)
		}
		if !f.AppliesTo(rev) {
			return nil, fmt.Errorf("mockserver: fault %q needs revision %s or later, not %s", name, f.Since, rev)
		}
		set[name] = true
	}
	return set, nil
}
