package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Client ID metadata documents (from 2025-11-25) at the authorization
// server: the suite serves the documents itself, on loopback, so these run
// only against an authorization server that advertises them and runs on
// the same machine.
func init() {
	withCIMD := spec.From(spec.Rev20251125)
	register(
		Check{
			ID: "AS-CIMD-003", Title: "completes the authorization code flow for a client known by its client ID metadata document",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "cimd",
			Revisions: withCIMD,
			Refs:      []Ref{mcp(mcpCIMDRequirements), cimdDraft("4")},
			Faults:    faults(fault.ASCIMDIgnoreDocuments),
		},
		Check{
			ID: "AS-CIMD-001", Title: "refuses a client ID metadata document whose client_id is not its own URL",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "cimd",
			Remediation: "Accept a client ID metadata document only when its client_id equals the URL it was fetched from.",
			Revisions:   withCIMD,
			Refs:        []Ref{mcp(mcpCIMDRequirements), cimdDraft("4")},
			Faults:      faults(fault.ASCIMDSkipClientIDCheck),
		},
		Check{
			// 2025-11-25 cites draft -00, which leaves redirects to its SSRF
			// considerations (a SHOULD in MCP); from 2026-07-28 MCP cites -02,
			// whose §5 makes it a MUST NOT. The level is the older, weaker one.
			ID: "AS-CIMD-002", Title: "does not follow redirects when fetching a client ID metadata document",
			Role: spec.RoleAS, Level: spec.LevelShould, Severity: spec.SeverityHigh, Area: "cimd",
			Revisions: withCIMD,
			Refs:      []Ref{mcp(mcpCIMDAbuse), cimdDraft("5"), cimdDraft("8.6")},
			Faults:    faults(fault.ASCIMDFollowRedirects),
		},
	)
}
