package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// mcpPrivilegeRestriction is where MCP forbids passing the client's token
// upstream.
var mcpPrivilegeRestriction = &mcpSection{title: "Access token privilege restriction", since: spec.Rev20250618,
	page: "security-considerations", anchor: "access-token-privilege-restriction"}

// Token passthrough, judged by a canary upstream API the server is pointed
// at; without one the check is skipped, saying how to set it up.
func init() {
	register(Check{
		ID: "RS-PASS-001", Title: "does not pass the client's access token on to an upstream API",
		Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "token",
		Remediation: "Call upstream APIs with a token of their own (token exchange or the server's credentials), never the token the client sent.",
		Revisions:   spec.From(spec.Rev20250618),
		Refs:        []Ref{mcp(mcpTokenHandling), mcp(mcpPrivilegeRestriction), rfc(9700, "2.3")},
		Faults:      faults(fault.RSPassthroughToken),
	})
}
