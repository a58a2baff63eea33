package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// mcpDefaultEndpoints is a section of 2025-03-26 only.
var mcpDefaultEndpoints = &mcpSection{title: "Fallbacks for servers without metadata discovery",
	anchor: "fallbacks-for-servers-without-metadata-discovery"}

// Client mode: the discovery variants a compliant client finds its way
// through, and the scope it asks for.
func init() {
	withPRM := spec.From(spec.Rev20250618)
	from20251125 := spec.From(spec.Rev20251125)
	register(
		Check{
			ID: "CL-DISC-002", Title: "falls back to the well-known metadata URLs when the challenge names none",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "discovery",
			Revisions: from20251125, Refs: []Ref{mcp(mcpPRMDiscovery), rfc(9728, "3.1")},
			Faults:    faults(fault.ClientNoWellKnownFallback),
			Scenarios: []string{"auth/dcr", "auth/challenge-without-metadata"},
		},
		Check{
			ID: "CL-DISC-003", Title: "finds OpenID Connect discovery metadata",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "discovery",
			Revisions: from20251125, Refs: []Ref{mcp(mcpASMetadata), oidcDiscovery("4", "ProviderConfig")},
			Faults:    faults(fault.ClientNoOIDCDiscovery),
			Scenarios: []string{"auth/dcr", "auth/oidc-only"},
		},
		Check{
			ID: "CL-DISC-004", Title: "builds the metadata URL by inserting the well-known path before the issuer's path",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "discovery",
			Revisions: withPRM, Refs: []Ref{mcp(mcpASMetadata), rfc(8414, "3.1")},
			Faults:    faults(fault.ClientAppendWellKnown),
			Scenarios: []string{"auth/dcr"},
		},
		Check{
			ID: "CL-DISC-005", Title: "discovers an authorization server whose issuer has no path",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "discovery",
			Revisions: withPRM, Refs: []Ref{mcp(mcpASMetadata), rfc(8414, "3.1")},
			Faults:    faults(fault.ClientRootIssuerTrailingSlash),
			Scenarios: []string{"auth/dcr", "auth/root-issuer"},
		},
		Check{
			ID: "CL-DISC-006", Title: "does not fall back to the MCP server's origin when its authorization server publishes no metadata",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "discovery",
			Remediation: "Stop with an error when the named authorization server publishes no metadata instead of guessing endpoints at the MCP server's origin.",
			Revisions:   spec.From(spec.Rev20250618), Refs: []Ref{mcp(mcpASLocation), rfc(9728, "2")},
			Faults:    faults(fault.ClientFallbackToMCPOrigin),
			Scenarios: []string{"auth/dcr", "auth/authorization-server-metadata-missing"},
		},
		Check{
			ID: "CL-DISC-008", Title: "falls back to the root protected resource metadata when the path-inserted one is missing",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "discovery",
			Revisions: from20251125, Refs: []Ref{mcp(mcpPRMDiscovery), rfc(9728, "3.1")},
			Faults:    faults(fault.ClientNoRootMetadataFallback, fault.ClientNoWellKnownFallback),
			Scenarios: []string{"auth/dcr", "auth/origin-resource"},
		},
		Check{
			ID: "CL-DISC-007", Title: "uses the authorization server the protected resource names, not metadata at the MCP server's origin",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "discovery",
			Remediation: "Take the authorization server from the protected resource metadata, not from metadata found at the MCP server's origin.",
			Revisions:   spec.From(spec.Rev20250618), Refs: []Ref{mcp(mcpASLocation), rfc(9728, "2")},
			Faults:    faults(fault.ClientOriginMetadataFirst),
			Scenarios: []string{"auth/dcr", "auth/origin-metadata-decoy"},
		},
		Check{
			ID: "CL-LEG-001", Title: "uses the default endpoints when a 2025-03-26 server publishes no metadata",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "discovery",
			Revisions: spec.Only(spec.Rev20250326), Refs: []Ref{mcp(mcpDefaultEndpoints), mcp(mcpBaseURL)},
			Faults:    faults(fault.ClientNoDefaultEndpoints, fault.ClientRequireISS),
			Scenarios: []string{"auth/dcr", "auth/2025-03-26-oauth-endpoint-fallback"},
		},
		Check{
			ID: "CL-SCOPE-001", Title: "requests the scope the 401 challenge names",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "scope",
			Revisions: from20251125, Refs: []Ref{mcp(mcpScopes), rfc(6750, "3")},
			// Without scope the server grants its default: the flow
			// completes, asking for neither scope the strategy names.
			Faults:    faults(fault.ClientScopeAllSupported, fault.ClientNoScope),
			Scenarios: []string{"auth/dcr"},
		},
		Check{
			ID: "CL-SCOPE-002", Title: "requests the protected resource's scopes_supported when the challenge names none",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "scope",
			Revisions: from20251125, Refs: []Ref{mcp(mcpScopes), rfc(9728, "2")},
			Faults:    faults(fault.ClientNoScope),
			Scenarios: []string{"auth/dcr", "auth/scope-from-scopes-supported"},
		},
		Check{
			ID: "CL-SCOPE-006", Title: "omits scope when neither the challenge nor the resource names one",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "scope",
			Revisions: from20251125, Refs: []Ref{mcp(mcpScopes)},
			Faults:    faults(fault.ClientScopeFromASMetadata),
			Scenarios: []string{"auth/dcr", "auth/scope-omitted-when-undefined"},
		},
	)
}
