package client

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

// discoveryScenarios are the other layouts a compliant client must find its
// way through, and the scope it is told to ask for.
var discoveryScenarios = []Scenario{
	{Name: "auth/challenge-without-metadata", Since: spec.Rev20251125,
		Description: "the 401 challenge names no resource_metadata; the metadata is at the well-known URLs",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.RSChallengeNoResourceMetadata)}},
	{Name: "auth/oidc-only", Since: spec.Rev20251125,
		Description: "the authorization server publishes OpenID Connect discovery metadata only",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.ASMetadataOIDCOnly)}},
	{Name: "auth/root-issuer", Since: spec.Rev20250618,
		Description: "the authorization server's issuer has no path: its metadata is at the root well-known URLs",
		Options:     []mockserver.Option{mockserver.WithRootIssuer()}},
	{Name: "auth/2025-03-26-oauth-endpoint-fallback", Since: spec.Rev20250326, Until: spec.Rev20250326,
		Description: "the MCP server's origin publishes no authorization server metadata; the default endpoints serve",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.ASMetadataMissing)}},
	{Name: "auth/authorization-server-metadata-missing", Since: spec.Rev20250618,
		Description: "the authorization server the protected resource metadata names publishes no metadata anywhere",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.ASMetadataMissing)}},
	{Name: "auth/origin-metadata-decoy", Since: spec.Rev20250618,
		Description: "the MCP server's origin serves authorization server metadata too, as a 2025-03-26 server would, naming " +
			"itself issuer and endpoints at its root (which answer 404); the protected resource metadata names the real one",
		Options: []mockserver.Option{mockserver.WithOriginMetadataDecoy()}},
	{Name: "auth/scope-omitted-when-undefined", Since: spec.Rev20251125,
		Description: "neither the 401 challenge nor the protected resource metadata names a scope",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.RSChallengeNoScope, fault.RSPRMNoScopes)}},
	{Name: "auth/scope-from-scopes-supported", Since: spec.Rev20251125,
		Description: "the 401 challenge names no scope; the protected resource metadata lists scopes_supported",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.RSChallengeNoScope)}},
}
