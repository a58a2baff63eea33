package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// mcpRefreshTokens is the section on refresh tokens, from 2026-07-28 on.
var mcpRefreshTokens = &mcpSection{title: "Refresh tokens", since: spec.Rev20260728, page: "index", anchor: "refresh-tokens"}

// Client mode: how an MCP client renews an expired access token with its
// refresh token, and where the refresh token goes.
func init() {
	all := spec.Revisions
	refreshing := []string{"auth/dcr", "auth/refresh"}
	register(
		Check{
			ID: "CL-REF-005", Title: "authorizes again when its access token expires and it got no refresh token",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityLow, Area: "refresh",
			Revisions: spec.From(spec.Rev20260728), Refs: []Ref{mcp(mcpRefreshTokens), oauth21("4.3")},
			Faults:    faults(fault.ClientNoReauthorization),
			Scenarios: []string{"auth/dcr", "auth/expiry-without-refresh-token"},
		},
		Check{
			ID: "CL-REF-001", Title: "refreshes with its refresh token when the access token expires",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "refresh",
			Revisions: all, Refs: []Ref{oauth21("4.3"), rfc(6749, "1.5"), rfc(6749, "6")},
			Faults:    faults(fault.ClientNoRefresh),
			Scenarios: refreshing,
		},
		Check{
			ID: "CL-REF-002", Title: "names the MCP server as resource when it refreshes",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "refresh",
			Remediation: "Send the resource parameter naming the MCP server on refresh requests too.",
			Revisions:   spec.From(spec.Rev20250618), Refs: []Ref{mcp(mcpResourceParameter), rfc(8707, "2")},
			Faults:    faults(fault.ClientRefreshWithoutResource, fault.ClientNoResource),
			Scenarios: refreshing,
		},
		Check{
			ID: "CL-REF-003", Title: "refreshes with the rotated refresh token, never an old one again",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "refresh",
			Revisions: all, Refs: []Ref{rfc(6749, "6"), rfc(9700, "4.14.2")},
			Faults:    faults(fault.ClientReuseRefreshToken),
			Scenarios: refreshing,
		},
		Check{
			ID: "CL-REF-004", Title: "sends its refresh token only to the token endpoint that issued it",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "refresh",
			Remediation: "Send a refresh token only to the token endpoint of the server that issued it.",
			Revisions:   all, Refs: []Ref{mcp(mcpRefreshTokens), oauth21("4.3"), rfc(6749, "10.4")},
			Faults: append(faults(fault.ClientRefreshTokenToMCP),
				faultIn(fault.ClientMigrationRefreshAtNewAS, spec.From(spec.Rev20260728)...)),
			Scenarios: []string{"auth/dcr", "auth/refresh", "auth/authorization-server-migration"},
		},
	)
}
