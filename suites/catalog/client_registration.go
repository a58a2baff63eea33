package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Client mode: what an MCP client registers, and how it takes a refusal
// from the registration and token endpoints.
func init() {
	all := spec.Revisions
	// The scenarios whose token endpoint issues no usable token for a code.
	tokenless := []string{"auth/dcr", "auth/token-refused", "auth/token-response-malformed", "auth/token-response-no-access-token"}
	register(
		Check{
			ID: "CL-REG-001", Title: "registers with an application_type that fits its redirect URIs",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityLow, Area: "registration",
			Revisions: spec.From(spec.Rev20260728), Refs: []Ref{mcp(mcpApplicationType), rfc(7591, "2")},
			Faults:    faults(fault.ClientNoApplicationType),
			Scenarios: []string{"auth/dcr"},
		},
		Check{
			ID: "CL-REG-002", Title: "registers http redirect URIs only on a loopback IP literal",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityMedium, Area: "registration",
			Revisions: all, Refs: []Ref{rfc(8252, "7.3"), rfc(8252, "8.3")},
			Faults:    faults(fault.ClientRedirectLocalhost),
			Scenarios: []string{"auth/dcr"},
		},
		Check{
			ID: "CL-REG-003", Title: "stops after a refused registration",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "registration",
			Revisions: all, Refs: []Ref{mcp(mcpDCR), rfc(7591, "3")},
			Faults:    faults(fault.ClientRetryRegistration, fault.ClientIgnoreRegistrationError),
			Scenarios: []string{"auth/dcr", "auth/registration-refused"},
		},
		Check{
			ID: "CL-REG-004", Title: "authorizes as its pre-registered client without registering",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "registration",
			Revisions: spec.From(spec.Rev20251125), Refs: []Ref{mcp(mcpDCR), rfc(7591, "1")},
			Faults:    faults(fault.ClientIgnorePreregistered),
			Scenarios: []string{"auth/dcr", "auth/pre-registration"},
		},
		Check{
			ID: "CL-REG-005", Title: "authenticates at the token endpoint as its registration answered",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "registration",
			Revisions: all, Refs: []Ref{rfc(7591, "3.2.1"), oauth21("2.4")},
			Faults:    faults(fault.ClientIgnoreRegisteredAuthMethod),
			Scenarios: []string{"auth/dcr", "auth/token-endpoint-auth-basic", "auth/token-endpoint-auth-post", "auth/token-endpoint-auth-none"},
		},
		Check{
			ID: "CL-REG-008", Title: "sends its initial access token to the registration endpoint alone",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "registration",
			Remediation: "Send the initial access token to the registration endpoint only.",
			Revisions:   all, Refs: []Ref{rfc(7591, "3"), rfc(6750, "5.2"), mcp(mcpTokenHandling)},
			Faults:    faults(fault.ClientInitialAccessTokenToMCP),
			Scenarios: []string{"auth/dcr", "auth/registration-initial-access-token"},
		},
		Check{
			ID: "CL-TOK-003", Title: "makes no MCP request with a token after the token endpoint issued none",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityLow, Area: "token",
			Revisions: all, Refs: []Ref{rfc(6749, "5.1"), rfc(6749, "5.2"), oauth21("3.2.3")},
			Faults:    faults(fault.ClientIgnoreTokenError, fault.ClientTokenAcceptMalformed, fault.ClientTokenAcceptNoAccessToken),
			Scenarios: tokenless,
		},
		Check{
			ID: "CL-TOK-004", Title: "does not retry a failed code exchange in a loop",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "token",
			Revisions: all, Refs: []Ref{rfc(6749, "5.2")},
			Faults:    faults(fault.ClientRetryToken),
			Scenarios: tokenless,
		},
	)
}
