package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Token introspection (RFC 7662) at the authorization server, where its
// metadata names an introspection endpoint: not every caller may ask, and
// what it answers follows revocation.
func init() {
	register(
		Check{
			ID: "AS-INTRO-001", Title: "refuses token introspection without client authentication",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "introspection",
			Remediation: "Require client authentication on the introspection endpoint.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{rfc(7662, "2.1"), rfc(7662, "4")},
			Faults:      faults(fault.ASIntrospectionUnauthenticated),
		},
		Check{
			ID: "AS-INTRO-002", Title: "reports a revoked access token inactive",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "introspection",
			Remediation: "Check revocation on introspection and answer active false for a revoked token.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{rfc(7662, "2.2"), rfc(7662, "4"), rfc(6749, "4.1.2")},
			Faults:      faults(fault.ASIntrospectionRevokedActive),
		},
	)
}
