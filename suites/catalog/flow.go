package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// The standard flow an MCP client runs, end to end: what every attack
// check starts from.
func init() {
	register(
		Check{
			ID: "AS-FLOW-001", Title: "completes the authorization code flow a standard MCP client runs",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "flow",
			Remediation: "Make the authorization code flow with PKCE, the resource parameter and a standard token response work end to end.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{mcp(mcpOverview), rfc(6749, "4.1"), rfc(7636, "4"), rfc(8707, "2")},
			Faults:      []Fault{faultIn(fault.ASResourceRejected, spec.From(spec.Rev20250618)...)},
		},
		Check{
			ID: "RS-TOK-001", Title: "accepts an access token its authorization server issued for it",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "token",
			Remediation: "Accept access tokens your authorization server issues for this resource, validating signature, issuer, audience and expiry.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{mcp(mcpTokens), rfc(6750, "2.1"), rfc(9068, "4")},
			Faults:      []Fault{faultIn(fault.RSExpectsOriginAudience, spec.From(spec.Rev20250618)...)},
		},
	)
}
