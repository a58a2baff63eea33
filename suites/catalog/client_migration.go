package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Client mode: how an MCP client follows its MCP server to another
// authorization server, from 2026-07-28 on (SEP-2352).
func init() {
	from20260728 := spec.From(spec.Rev20260728)
	migrating := []string{"auth/dcr", "auth/authorization-server-migration"}
	register(
		Check{
			ID: "CL-MIG-001", Title: "registers at the authorization server its MCP server moved to, and authorizes there",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "migration",
			Revisions: from20260728, Refs: []Ref{mcp(mcpASLocation), mcp(mcpPRMDiscovery), rfc(6749, "2.2")},
			Faults:    faults(fault.ClientMigrationNoRediscovery, fault.ClientMigrationReuseClient),
			Scenarios: migrating,
		},
		Check{
			ID: "CL-MIG-002", Title: "never presents the old authorization server's client credentials to the new one",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "migration",
			Remediation: "Keep client credentials per authorization server and register anew when the server changes.",
			Revisions:   from20260728, Refs: []Ref{mcp(mcpASLocation), rfc(6749, "2.2")},
			Faults:    faults(fault.ClientMigrationReuseClient),
			Scenarios: migrating,
		},
	)
}
