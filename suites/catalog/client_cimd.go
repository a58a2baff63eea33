package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// mcpCIMD is the section on client ID metadata documents, from 2025-11-25 on.
var mcpCIMD = &mcpSection{title: "Client ID metadata documents", since: spec.Rev20251125,
	page: "client-registration", anchor: "client-id-metadata-documents"}

// Client mode: how an MCP client with a client ID metadata document
// identifies itself, from 2025-11-25 on.
func init() {
	withCIMD := spec.From(spec.Rev20251125)
	register(
		Check{
			ID: "CL-CIMD-001", Title: "authorizes with its client ID metadata document URL as client_id, without registering, where the authorization server supports documents",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "cimd",
			Revisions: withCIMD, Refs: []Ref{mcp(mcpCIMD), cimdDraft("3"), cimdDraft("6")},
			Faults:    faults(fault.ClientCIMDRegisterAnyway),
			Scenarios: []string{"auth/dcr", "auth/basic-cimd"},
		},
		Check{
			ID: "CL-CIMD-002", Title: "names the same client_id in the code exchange as in the authorization request",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityLow, Area: "cimd",
			Revisions: withCIMD, Refs: []Ref{mcp(mcpCIMD), rfc(6749, "4.1.3"), oauth21("4.1.3")},
			Faults:    faults(fault.ClientCIMDTokenWithoutID),
			Scenarios: []string{"auth/dcr", "auth/basic-cimd"},
		},
		Check{
			ID: "CL-CIMD-003", Title: "uses a redirect URI its client ID metadata document lists",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "cimd",
			Revisions: withCIMD, Refs: []Ref{mcp(mcpCIMDRequirements), cimdDraft("8.1"), rfc(8252, "7.3")},
			Faults:    faults(fault.ClientCIMDUnlistedRedirect, fault.ClientRedirectLocalhost),
			Scenarios: []string{"auth/dcr", "auth/basic-cimd"},
		},
		Check{
			ID: "CL-CIMD-004", Title: "registers instead where the authorization server does not advertise client ID metadata documents",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "cimd",
			Revisions: withCIMD, Refs: []Ref{mcp(mcpCIMD), mcp(mcpDCR), cimdDraft("6")},
			Faults:    faults(fault.ClientCIMDIgnoreSupportFlag),
			Scenarios: []string{"auth/dcr", "auth/cimd-not-supported"},
		},
	)
}
