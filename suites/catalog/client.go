package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Client mode: what an MCP client sends the MCP server and authorization
// server of each scenario, and what it refuses.
func init() {
	all := spec.Revisions
	withPRM := spec.From(spec.Rev20250618)
	flows := []string{"auth/dcr", "auth/pre-registration", "auth/metadata-in-challenge-only"}
	register(
		Check{
			ID: "CL-FLOW-001", Title: "completes the authorization code flow and calls the MCP server with the token",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "flow",
			Remediation: "Run the authorization code flow with PKCE to the end and send the token on the MCP request.",
			Revisions:   all, Refs: []Ref{mcp(mcpOverview), oauth21("4.1")},
			Faults: faults(fault.ClientStopAfterToken, fault.ClientPKCEPlain, fault.ClientTokenNoRedirectURI,
				fault.ClientCallbackUnregisteredRedirect, fault.ClientFlowResponseTypeHybrid),
			Scenarios: []string{"auth/dcr"},
		},
		Check{
			ID: "CL-RES-002", Title: "asks for the resource exactly as the protected resource metadata names it",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "resource",
			Revisions: spec.From(spec.Rev20251125), Refs: []Ref{mcp(mcpResourceParameter), rfc(8707, "2"), rfc(9728, "3.3")},
			Faults:    faults(fault.ClientResourceFromURL, fault.ClientNoResource),
			Scenarios: []string{"auth/dcr", "auth/origin-resource"},
		},
		Check{
			ID: "CL-FLOW-002", Title: "authorizes when a later request is answered 401, not only the first",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "flow",
			Revisions: all, Refs: []Ref{mcp(mcpPRMDiscovery), mcp(mcpOverview), rfc(6750, "3")},
			Faults:    faults(fault.ClientAuthorizeAtFirstRequestOnly),
			Scenarios: []string{"auth/dcr", "auth/authorization-after-initialize"},
		},
		Check{
			ID: "CL-TOK-001", Title: "sends the access token only in the Authorization header",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "token",
			Remediation: "Send the access token in the Authorization header only, never in the URL or body.",
			Revisions:   all, Refs: []Ref{mcp(mcpTokens), rfc(9700, "4.3.2")},
			Faults:    faults(fault.ClientTokenInQuery),
			Scenarios: []string{"auth/dcr"},
		},
		Check{
			ID: "CL-TOK-002", Title: "sends the access token on every MCP request",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "token",
			Revisions: all, Refs: []Ref{mcp(mcpTokens)},
			Faults:    faults(fault.ClientTokenFirstRequestOnly),
			Scenarios: []string{"auth/dcr"},
		},
		Check{
			ID: "CL-TOK-005", Title: "sends its access token to no server but the one it was issued for, redirects included",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "token",
			Remediation: "Send the access token only to the MCP server it was issued for, and drop it on redirects to other origins.",
			Revisions:   all, Refs: []Ref{mcp(mcpTokenHandling), mcp(mcpAudienceBinding), rfc(9700, "4.9.1")},
			Faults:    faults(fault.ClientTokenToAnyOrigin),
			Scenarios: []string{"auth/dcr", "auth/redirect-to-second-server"},
		},
		Check{
			ID: "CL-DISC-001", Title: "fetches the protected resource metadata the 401 challenge names",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "discovery",
			Revisions: withPRM, Refs: []Ref{mcp(mcpPRMDiscovery), rfc(9728, "5.1")},
			Faults:    faults(fault.ClientIgnoreResourceMetadata),
			Scenarios: []string{"auth/dcr", "auth/metadata-in-challenge-only"},
		},
		Check{
			ID: "CL-META-001", Title: "refuses protected resource metadata naming another resource",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "discovery",
			Remediation: "Reject protected resource metadata whose resource is not the MCP server's URL.",
			Revisions:   withPRM, Refs: []Ref{rfc(9728, "3.3"), rfc(9728, "7.3")},
			Faults:    faults(fault.ClientSkipResourceCheck),
			Scenarios: []string{"auth/dcr", "auth/resource-mismatch"},
		},
		Check{
			ID: "CL-META-002", Title: "refuses authorization server metadata naming another issuer",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "discovery",
			Remediation: "Reject authorization server metadata whose issuer is not the URL it was fetched for.",
			Revisions:   withPRM, Refs: []Ref{mcp(mcpASMetadata), rfc(8414, "3.3")},
			Faults:    faults(fault.ClientSkipIssuerCheck),
			Scenarios: []string{"auth/dcr", "auth/metadata-issuer-mismatch"},
		},
		Check{
			ID: "CL-PKCE-001", Title: "refuses an authorization server that does not offer S256",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "pkce",
			Remediation: "Refuse to authorize when the server's metadata does not list S256 in code_challenge_methods_supported.",
			Revisions:   spec.From(spec.Rev20251125), Refs: []Ref{mcp(mcpPKCE), rfc(7636, "4.2")},
			Faults:    faults(fault.ClientSkipPKCECheck),
			Scenarios: []string{"auth/dcr", "auth/no-s256"},
		},
		Check{
			ID: "CL-PKCE-002", Title: "sends an S256 code challenge",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "pkce",
			Remediation: "Send code_challenge_method=S256 with the SHA-256 of a fresh verifier.",
			Revisions:   all, Refs: []Ref{mcp(mcpPKCE), oauth21("4.1.1"), rfc(7636, "4.2")},
			Faults:    faults(fault.ClientPKCEPlain),
			Scenarios: []string{"auth/dcr"},
		},
		Check{
			ID: "CL-PKCE-003", Title: "redeems each code with a fresh verifier matching its challenge",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "pkce",
			Remediation: "Generate a fresh code verifier per authorization request and send it with that request's code.",
			Revisions:   all, Refs: []Ref{oauth21("7.5.2"), rfc(7636, "4.1"), rfc(7636, "7.1")},
			Faults:    faults(fault.ClientPKCEFixedVerifier),
			Scenarios: flows,
		},
		Check{
			ID: "CL-STATE-001", Title: "sends a fresh, unguessable state",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityMedium, Area: "state",
			Revisions: all, Refs: []Ref{rfc(9700, "2.1"), rfc(9700, "4.7.1")},
			Faults:    faults(fault.ClientNoState),
			Scenarios: flows,
		},
		Check{
			ID: "CL-STATE-002", Title: "rejects an authorization response with another state",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "state",
			Remediation: "Compare the returned state with the one sent and reject any other value.",
			Revisions:   all, Refs: []Ref{rfc(6749, "10.12"), rfc(9700, "4.7")},
			Faults:    faults(fault.ClientSkipStateCheck),
			Scenarios: []string{"auth/dcr", "auth/state-wrong"},
		},
		Check{
			ID: "CL-STATE-003", Title: "rejects an authorization response without state",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "state",
			Remediation: "Reject an authorization response that carries no state.",
			Revisions:   all, Refs: []Ref{rfc(6749, "10.12"), rfc(9700, "4.7")},
			Faults:    faults(fault.ClientSkipStateCheck, fault.ClientAcceptMissingState),
			Scenarios: []string{"auth/dcr", "auth/state-missing"},
		},
		Check{
			ID: "CL-CB-001", Title: "passes over an authorization response injected at its callback",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "callback",
			Remediation: "Accept at the callback only an authorization response to a request the client made and is still waiting for.",
			Revisions:   all, Refs: []Ref{rfc(9700, "4.7"), rfc(6749, "10.12")},
			Faults:    faults(fault.ClientSkipStateCheck, fault.ClientNoState),
			Scenarios: []string{"auth/dcr", "auth/injected-callback"},
		},
		Check{
			ID: "CL-CB-002", Title: "redeems the code of the authorization response, never a token in it",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityMedium, Area: "callback",
			Revisions: all, Refs: []Ref{oauth21("4.1.2"), rfc(9700, "2.1.2")},
			Faults:    faults(fault.ClientAcceptFrontChannelToken),
			Scenarios: []string{"auth/dcr", "auth/front-channel-token"},
		},
		Check{
			ID: "CL-CB-005", Title: "hands the code and state at its redirect URI to no other origin",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "callback",
			Revisions: all, Refs: []Ref{rfc(9700, "4.2.4"), rfc(6749, "3.1.2.5")},
			Faults:    faults(fault.ClientCallbackThirdPartyResources),
			Scenarios: flows,
		},
		Check{
			ID: "CL-ISS-001", Title: "rejects an authorization response naming another issuer",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "iss",
			Remediation: "Reject an authorization response whose iss differs from the authorization server the request went to.",
			Revisions:   spec.From(spec.Rev20260728), Refs: []Ref{mcp(mcpResponseValidation), rfc(9207, "2.4")},
			Faults:    faults(fault.ClientSkipISSCheck),
			Scenarios: []string{"auth/dcr", "auth/iss-wrong-issuer"},
		},
		Check{
			ID: "CL-ISS-002", Title: "rejects an authorization response without iss from a server that advertises it",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "iss",
			Remediation: "Reject an authorization response without iss when the server advertises authorization_response_iss_parameter_supported.",
			Revisions:   spec.From(spec.Rev20260728), Refs: []Ref{mcp(mcpResponseValidation), rfc(9207, "2.4")},
			Faults:    faults(fault.ClientSkipISSCheck, fault.ClientAcceptMissingISS),
			Scenarios: []string{"auth/dcr", "auth/iss-supported-missing"},
		},
		Check{
			ID: "CL-ISS-003", Title: "compares iss exactly, without normalising it",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "iss",
			Remediation: "Compare iss with the expected issuer by exact string match, without normalising either.",
			Revisions:   spec.From(spec.Rev20260728), Refs: []Ref{mcp(mcpResponseValidation), rfc(9207, "2.4")},
			Faults:    faults(fault.ClientISSNormalize, fault.ClientSkipISSCheck),
			Scenarios: []string{"auth/dcr", "auth/iss-normalized", "auth/iss-percent-encoded"},
		},
		Check{
			ID: "CL-ISS-004", Title: "accepts a matching iss its server does not advertise",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "iss",
			Revisions: spec.From(spec.Rev20260728), Refs: []Ref{mcp(mcpResponseValidation), rfc(9207, "2.4")},
			Faults:    faults(fault.ClientRejectUnadvertisedISS),
			Scenarios: []string{"auth/dcr", "auth/iss-unexpected"},
		},
		Check{
			ID: "CL-ISS-005", Title: "proceeds when its server neither advertises nor sends iss",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "iss",
			Revisions: spec.From(spec.Rev20260728), Refs: []Ref{mcp(mcpResponseValidation), rfc(9207, "2.4")},
			Faults:    faults(fault.ClientRequireISS),
			Scenarios: []string{"auth/dcr", "auth/iss-not-advertised"},
		},
		Check{
			ID: "CL-ISS-006", Title: "never redeems another authorization server's code at its own (mix-up)",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "iss",
			Remediation: "Keep the authorization server each request went to and redeem the code only at that server's token endpoint.",
			Revisions:   spec.From(spec.Rev20260728),
			Refs:        []Ref{mcp(mcpResponseValidation), rfc(9207, "2.4"), rfc(9700, "4.4.2")},
			Faults:      faults(fault.ClientSkipISSCheck),
			Scenarios:   []string{"auth/dcr", "auth/mix-up"},
		},
		Check{
			ID: "CL-RES-001", Title: "names the MCP server as resource in its authorization and token requests",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "resource",
			Remediation: "Send the resource parameter naming the MCP server in both authorization and token requests.",
			Revisions:   withPRM, Refs: []Ref{mcp(mcpResourceParameter), rfc(8707, "2")},
			Faults:    faults(fault.ClientNoResource),
			Scenarios: []string{"auth/dcr", "auth/client-credentials-basic", "auth/client-credentials-jwt"},
		},
	)
}
