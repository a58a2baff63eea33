package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Client mode: what an MCP client does with a token response, how it
// redeems a code, and the hygiene of its redirect URI.
func init() {
	all := spec.Revisions
	register(
		Check{
			ID: "CL-CB-004", Title: "sends the browser nowhere an injected response names",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "callback",
			Revisions: all, Refs: []Ref{rfc(9700, "4.11.1")},
			Faults:    faults(fault.ClientCallbackOpenRedirect),
			Scenarios: []string{"auth/dcr", "auth/injected-error-callback"},
		},
		Check{
			ID: "CL-TOK-006", Title: "uses no access token whose token_type is not Bearer",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityLow, Area: "token",
			Revisions: all, Refs: []Ref{rfc(6749, "7.1"), rfc(6749, "5.1"), mcp(mcpTokens)},
			Faults:    faults(fault.ClientTokenIgnoreType),
			Scenarios: []string{"auth/dcr", "auth/token-type-not-bearer"},
		},
		Check{
			ID: "CL-TOK-007", Title: "takes token_type bearer in any letter case",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityLow, Area: "token",
			Revisions: all, Refs: []Ref{rfc(6749, "5.1"), oauth21("3.2.3")},
			Faults:    faults(fault.ClientTokenTypeCaseSensitive),
			Scenarios: []string{"auth/dcr", "auth/token-type-lowercase"},
		},
		Check{
			ID: "CL-FLOW-004", Title: "asks for a code, as the client its registration created",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "flow",
			Revisions: all, Refs: []Ref{oauth21("4.1.1"), rfc(7591, "3.2.1")},
			Faults:    faults(fault.ClientFlowResponseTypeHybrid),
			Scenarios: []string{"auth/dcr", "auth/pre-registration", "auth/metadata-in-challenge-only"},
		},
		Check{
			ID: "CL-FLOW-003", Title: "redeems each code with grant_type authorization_code and its authorization request's redirect_uri",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "flow",
			Revisions: all, Refs: []Ref{rfc(6749, "4.1.3"), oauth21("4.1.3")},
			Faults:    faults(fault.ClientTokenNoRedirectURI),
			Scenarios: []string{"auth/dcr", "auth/pre-registration", "auth/metadata-in-challenge-only"},
		},
		Check{
			ID: "CL-REG-007", Title: "authorizes with a redirect URI it registered",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "registration",
			Revisions: all, Refs: []Ref{rfc(7591, "2"), oauth21("2.3.1"), rfc(8252, "7.3"), mcp(mcpOpenRedirect)},
			Faults:    faults(fault.ClientCallbackUnregisteredRedirect),
			Scenarios: []string{"auth/dcr", "auth/metadata-in-challenge-only"},
		},
		Check{
			ID: "CL-CB-003", Title: "passes over an error response injected at its callback, and completes its flow",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "callback",
			Revisions: all, Refs: []Ref{rfc(9700, "4.7"), rfc(6749, "10.12")},
			Faults:    faults(fault.ClientCallbackAbortOnError),
			Scenarios: []string{"auth/dcr", "auth/injected-error-callback"},
		},
		Check{
			ID: "CL-CB-006", Title: "takes an authorization response once: an earlier one replayed is passed over",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "callback",
			Revisions: spec.From(spec.Rev20251125), Refs: []Ref{rfc(9700, "4.7.1"), rfc(6749, "10.12")},
			Faults:    faults(fault.ClientCallbackAcceptSpentState, fault.ClientSkipStateCheck, fault.ClientNoState),
			Scenarios: []string{"auth/dcr", "auth/replayed-callback"},
		},
	)
}
