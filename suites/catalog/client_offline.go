package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Client mode: how an MCP client asks for a refresh token, from 2026-07-28
// on: the offline_access scope only where the authorization server lists
// it, and the refresh_token grant in its registration.
func init() {
	from20260728 := spec.From(spec.Rev20260728)
	register(
		Check{
			ID: "CL-SCOPE-007", Title: "asks for offline_access only when the authorization server lists it",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityLow, Area: "scope",
			Revisions: from20260728, Refs: []Ref{mcp(mcpRefreshTokens), rfc(6749, "3.3")},
			Faults:    faults(fault.ClientOfflineAccessAlways),
			Scenarios: []string{"auth/dcr", "auth/offline-access-not-supported"},
		},
		Check{
			ID: "CL-REG-006", Title: "registers the refresh_token grant",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "registration",
			Revisions: from20260728, Refs: []Ref{mcp(mcpRefreshTokens), rfc(7591, "2")},
			Faults:    faults(fault.ClientNoRefreshGrant),
			Scenarios: []string{"auth/dcr", "auth/offline-access-scope"},
		},
	)
}
