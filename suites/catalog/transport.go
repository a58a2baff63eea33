package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Transport security. A target given as plain http on loopback is a local
// test deployment: these checks are then skipped, saying so, rather than
// passed; its https deployment is where they apply.
func init() {
	register(
		Check{
			ID: "AS-TLS-001", Title: "serves every endpoint it advertises over HTTPS",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "transport",
			Remediation: "Serve the metadata, authorization, token and registration endpoints over https only.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{mcp(mcpCommSecurity), oauth21("1.5"), rfc(8414, "2")},
			Faults:      faults(fault.ASPlainHTTP),
		},
		Check{
			ID: "RS-TLS-001", Title: "serves the MCP endpoint and names its authorization servers over HTTPS",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "transport",
			Remediation: "Serve the MCP endpoint and the authorization server URLs it names over https.",
			Revisions:   spec.From(spec.Rev20250618),
			Refs:        []Ref{mcp(mcpCommSecurity), oauth21("1.5"), rfc(9728, "1.2")},
			Faults:      faults(fault.ASPlainHTTP),
		},
	)
}
