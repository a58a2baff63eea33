package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// The token endpoint beyond the code exchange: its response headers and
// errors, refresh tokens, client authentication and client credentials.
func init() {
	all := spec.Revisions
	register(
		Check{
			ID: "AS-TOKEN-001", Title: "marks token responses Cache-Control: no-store",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "token",
			Remediation: "Send Cache-Control: no-store with every token endpoint response.",
			Revisions:   all,
			Refs:        []Ref{mcp(mcpOverview), rfc(6749, "5.1")},
			Faults:      faults(fault.ASTokenNoCacheControl),
		},
		Check{
			ID: "AS-TOKEN-002", Title: "refuses an unknown grant type with a JSON unsupported_grant_type error",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityLow, Area: "token",
			Revisions: all,
			Refs:      []Ref{mcp(mcpOverview), rfc(6749, "5.2")},
			Faults:    faults(fault.ASTokenUnknownGrantInvalidRequest),
		},
		Check{
			ID: "AS-TOKEN-003", Title: "refuses a code exchange without a code with a JSON invalid_request error",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityLow, Area: "token",
			Revisions: all,
			Refs:      []Ref{mcp(mcpOverview), rfc(6749, "5.2")},
			Faults:    faults(fault.ASTokenMissingCodeHTML),
		},
		Check{
			ID: "AS-TOKEN-004", Title: "refuses a replayed authorization code with a JSON invalid_grant error",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityLow, Area: "token",
			Revisions: all,
			Refs:      []Ref{mcp(mcpOverview), rfc(6749, "5.2"), oauth21("3.2.4")},
			Faults:    faults(fault.ASCodeReplayError500),
		},
		Check{
			ID: "AS-REF-001", Title: "rotates a public client's refresh token on each refresh",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "refresh",
			Remediation: "Issue a new refresh token on each refresh of a public client and invalidate the old one.",
			Revisions:   spec.From(spec.Rev20250618),
			Refs:        []Ref{mcp(mcpTokenTheft), rfc(9700, "4.14.2")},
			Faults:      faults(fault.ASRefreshNoRotation),
		},
		Check{
			ID: "AS-REF-002", Title: "rotates a public client's refresh token, as 2025-03-26 recommends",
			Role: spec.RoleAS, Level: spec.LevelShould, Severity: spec.SeverityHigh, Area: "refresh",
			Revisions: spec.Only(spec.Rev20250326),
			Refs:      []Ref{mcp(mcpImplementation), rfc(9700, "4.14.2")},
			Faults:    faults(fault.ASRefreshNoRotation),
		},
		Check{
			ID: "AS-REF-003", Title: "refuses a refresh token it has rotated",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "refresh",
			Remediation: "Refuse a refresh token once it has been rotated out.",
			Revisions:   all,
			Refs:        []Ref{mcp(mcpTokenTheft), rfc(9700, "4.14.2"), rfc(6749, "5.2")},
			Faults:      faults(fault.ASRefreshAllowReuse),
		},
		Check{
			ID: "AS-REF-004", Title: "revokes the newer refresh token when a rotated one is reused",
			Role: spec.RoleAS, Level: spec.LevelShould, Severity: spec.SeverityMedium, Area: "refresh",
			Revisions: all,
			Refs:      []Ref{rfc(9700, "4.14.2")},
			Faults:    faults(fault.ASRefreshNoRevokeOnReuse),
		},
		Check{
			ID: "AS-REF-005", Title: "refuses a refresh token issued to another client",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "refresh",
			Remediation: "Bind each refresh token to its client and refuse it from any other client.",
			Revisions:   all,
			Refs:        []Ref{mcp(mcpOverview), rfc(6749, "6"), rfc(6749, "5.2")},
			Faults:      faults(fault.ASRefreshNotClientBound),
		},
		Check{
			ID: "AS-REF-006", Title: "grants no scope on refresh beyond the original grant",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "refresh",
			Remediation: "Limit the scope of a refreshed token to the scope originally granted.",
			Revisions:   all,
			Refs:        []Ref{mcp(mcpOverview), rfc(6749, "6")},
			Faults:      faults(fault.ASRefreshWidenScope),
		},
		Check{
			ID: "AS-REF-007", Title: "refuses a refresh that asks for another resource",
			Role: spec.RoleAS, Level: spec.LevelShould, Severity: spec.SeverityHigh, Area: "refresh",
			Revisions: spec.From(spec.Rev20250618),
			Refs:      []Ref{mcp(mcpResourceParameter), rfc(8707, "2.2"), rfc(8707, "2")},
			Faults:    faults(fault.ASRefreshWidenResource),
		},
		Check{
			ID: "AS-CLIENT-001", Title: "refuses a wrong client secret with invalid_client",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "client-auth",
			Remediation: "Verify the client secret at the token endpoint and answer a wrong one with invalid_client.",
			Revisions:   all,
			Refs:        []Ref{mcp(mcpOverview), rfc(6749, "2.3.1"), rfc(6749, "5.2")},
			Faults:      faults(fault.ASClientAcceptWrongSecret),
		},
		Check{
			ID: "AS-CLIENT-002", Title: "answers a failed HTTP Basic client authentication with 401 and a Basic challenge",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityLow, Area: "client-auth",
			Revisions: all,
			Refs:      []Ref{rfc(6749, "5.2"), rfc(9110, "11.6.1")},
			Faults:    faults(fault.ASClientInvalidClient400),
		},
		Check{
			ID: "AS-CLIENT-003", Title: "refuses a confidential client that leaves out its registered authentication",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "client-auth",
			Remediation: "Require every confidential client to authenticate with the method it registered.",
			Revisions:   all,
			Refs:        []Ref{mcp(mcpOverview), rfc(6749, "3.2.1"), rfc(6749, "4.1.3"), rfc(7591, "2")},
			Faults:      faults(fault.ASClientAcceptOtherAuthMethod),
		},
		Check{
			// RFC 7591 registers one method and OAuth 2.1 lets the server
			// establish it, but neither requires refusing the other secret
			// method, which leaks no more than the one registered.
			ID: "AS-CLIENT-004", Title: "refuses a client authentication method other than the registered one",
			Role: spec.RoleAS, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "client-auth",
			Revisions: all,
			Refs:      []Ref{rfc(7591, "2"), oauth21("2.4"), rfc(6749, "5.2")},
			// Accepting any method, none included, accepts this one too.
			Faults: faults(fault.ASClientAcceptOtherSecretMethod, fault.ASClientAcceptOtherAuthMethod),
		},
		Check{
			ID: "AS-CC-001", Title: "issues a token for client credentials when it advertises the grant",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityLow, Area: "client-credentials",
			Revisions: all,
			Refs:      []Ref{rfc(6749, "4.4"), rfc(8414, "2"), rfc(8707, "2")},
			// A server without RFC 8707 refuses the resource MCP clients send.
			Faults: append(faults(fault.ASCCDisabled), faultIn(fault.ASResourceRejected, spec.From(spec.Rev20250618)...)),
		},
		Check{
			ID: "AS-CC-002", Title: "refuses client credentials to a public client",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "client-credentials",
			Remediation: "Issue client credentials tokens only to confidential clients that authenticated at the token endpoint.",
			Revisions:   all,
			Refs:        []Ref{mcp(mcpOverview), rfc(6749, "4.4"), rfc(6749, "4.4.2")},
			Faults:      faults(fault.ASCCPublicClient),
		},
		Check{
			ID: "AS-CC-003", Title: "grants client credentials no scope beyond the client's registration",
			Role: spec.RoleAS, Level: spec.LevelShould, Severity: spec.SeverityHigh, Area: "client-credentials",
			Revisions: all,
			Refs:      []Ref{rfc(7591, "2"), rfc(6749, "3.3")},
			Faults:    faults(fault.ASCCWidenScope),
		},
		Check{
			ID: "AS-CC-004", Title: "refuses a wrong client secret on the client credentials grant with invalid_client",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "client-credentials",
			Remediation: "Verify the client secret on the client credentials grant and answer a wrong one with 401 invalid_client.",
			Revisions:   all,
			Refs:        []Ref{mcp(mcpOverview), rfc(6749, "4.4.2"), rfc(6749, "2.3.1"), rfc(6749, "5.2")},
			// Any secret accepted on every grant, and a 401 answered 400,
			// show here as well.
			Faults: faults(fault.ASCCAcceptWrongSecret, fault.ASClientAcceptWrongSecret, fault.ASClientInvalidClient400),
		},
	)
}
