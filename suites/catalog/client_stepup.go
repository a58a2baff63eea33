package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// mcpStepUp is the step-up authorization flow (2025-11-25 on).
var mcpStepUp = &mcpSection{title: "Step-up authorization flow", since: spec.Rev20251125,
	page: "index", anchor: "step-up-authorization-flow"}

// Client mode: what a client does when the MCP server answers 403
// insufficient_scope at runtime.
func init() {
	from20251125 := spec.From(spec.Rev20251125)
	register(
		Check{
			ID: "CL-SCOPE-003", Title: "re-authorizes for the scopes a 403 insufficient_scope names",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "scope",
			Revisions: from20251125, Refs: []Ref{mcp(mcpStepUp), mcp(mcpInsufficientScope), rfc(6750, "3.1")},
			// A client that never sends scope re-authorizes for the
			// server's default, not for the challenged scopes.
			Faults:    faults(fault.ClientNoStepUp, fault.ClientNoScope),
			Scenarios: []string{"auth/dcr", "auth/scope-step-up"},
		},
		Check{
			ID: "CL-SCOPE-004", Title: "keeps the scopes it held when it steps up",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "scope",
			Revisions: spec.From(spec.Rev20260728), Refs: []Ref{mcp(mcpStepUp), mcp(mcpScopes)},
			// A client that never steps up never asks for the union either.
			Faults:    faults(fault.ClientStepUpReplacesScopes, fault.ClientNoStepUp),
			Scenarios: []string{"auth/dcr", "auth/scope-step-up"},
		},
		Check{
			ID: "CL-SCOPE-005", Title: "bounds its step-up attempts",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "scope",
			Revisions: from20251125, Refs: []Ref{mcp(mcpStepUp)},
			Faults:    faults(fault.ClientStepUpUnbounded),
			Scenarios: []string{"auth/dcr", "auth/scope-retry-limit"},
		},
	)
}
