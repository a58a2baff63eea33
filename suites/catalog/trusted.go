package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Token claims at the MCP resource server, judged with tokens a test issuer
// mints: the server under test is configured to trust that issuer, since
// its real authorization server will not issue a bad token on request.
// Without one these checks are skipped, saying how to configure it.
func init() {
	register(
		Check{
			ID: "RS-TRUST-001", Title: "accepts a valid access token of an issuer it trusts",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "token",
			Remediation: "Accept tokens from the issuers you trust once their signature, audience and expiry validate.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{mcp(mcpTokenHandling), rfc(9068, "4")},
			// Expecting the origin as audience refuses every valid token.
			Faults: faults(fault.RSRefuseTrustedIssuer, fault.RSExpectsOriginAudience),
		},
		Check{
			ID: "RS-TRUST-002", Title: "refuses an expired access token",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "token",
			Remediation: "Check exp (with little clock skew) and refuse expired tokens.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{mcp(mcpTokenHandling), rfc(9068, "4"), rfc(7519, "4.1.4")},
			Faults:      faults(fault.RSAcceptExpired),
		},
		Check{
			ID: "RS-TRUST-003", Title: "refuses an access token that is not valid yet",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "token",
			Revisions: spec.Revisions,
			Refs:      []Ref{rfc(9068, "4"), rfc(7519, "4.1.5")},
			Faults:    faults(fault.RSAcceptNotYetValid),
		},
		Check{
			ID: "RS-TRUST-004", Title: "refuses an access token issued for another resource",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "token",
			Remediation: "Check that the token's audience names this MCP server and refuse tokens for any other resource.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{mcp(mcpTokenHandling), mcp(mcpAudienceBinding), rfc(9068, "4"), rfc(8707, "2")},
			Faults:      faults(fault.RSAcceptAnyAudience),
		},
		Check{
			ID: "RS-TRUST-005", Title: "refuses an access token naming another issuer than its signing key's",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "token",
			Remediation: "Look up the signing key by the token's own issuer and refuse a token whose key belongs to another issuer.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{mcp(mcpTokenHandling), rfc(9068, "4"), rfc(8725, "3.8")},
			Faults:      faults(fault.RSAcceptWrongIssuer),
		},
		Check{
			ID: "RS-TRUST-006", Title: "refuses an access token signed by a key its issuer does not publish",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "token",
			Remediation: "Verify signatures only with keys the issuer publishes in its JWKS.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{mcp(mcpTokenHandling), rfc(9068, "4"), rfc(7515, "5.2")},
			Faults:      faults(fault.RSAcceptForeignKey),
		},
		Check{
			// Before 2025-06-18 the 401 challenge names no scope, so a server
			// serving a token without scope may require none (RS-TOK-010
			// covers scope there).
			ID: "RS-TRUST-007", Title: "refuses an access token without the scope it requires",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "token",
			Remediation: "Check the token's scopes and refuse a request whose token lacks the required one.",
			Revisions:   spec.From(spec.Rev20250618),
			Refs:        []Ref{mcp(mcpTokenHandling), mcp(mcpErrors), rfc(6750, "3.1")},
			Faults:      faults(fault.RSNoScopeCheck),
		},
		Check{
			ID: "RS-TRUST-008", Title: "refuses an unsigned access token (alg none) naming an issuer it trusts",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "token",
			Remediation: "Refuse tokens with alg none even when they name a trusted issuer.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{mcp(mcpTokenHandling), rfc(9068, "4"), rfc(8725, "3.1")},
			Faults:      faults(fault.RSAcceptAlgNone),
		},
		Check{
			ID: "RS-TRUST-009", Title: "refuses an access token MACed with its trusted issuer's public key (HS256 confusion)",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "token",
			Remediation: "Pin the trusted issuer's asymmetric algorithm so its public key is never used as an HMAC secret.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{mcp(mcpTokenHandling), rfc(9068, "4"), rfc(8725, "3.1")},
			Faults:      faults(fault.RSAcceptHS256Confusion),
		},
		Check{
			ID: "RS-TRUST-010", Title: "refuses an access token naming an issuer it trusts, signed by a key in its own header",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "token",
			Remediation: "Ignore keys embedded in a token's header (jwk, jku, x5c) and use only the trusted issuer's published keys.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{mcp(mcpTokenHandling), rfc(9068, "4"), rfc(7515, "4.1.3")},
			// Not checking the signature at all accepts it too.
			Faults: faults(fault.RSAcceptEmbeddedJWK, fault.RSAcceptForeignKey),
		},
		Check{
			// As RS-TRUST-007: before 2025-06-18 the 401 challenge names no
			// scope, so a server that serves a scopeless token shows none it
			// requires.
			ID: "RS-TRUST-011", Title: "answers a token without a scope it needs with 403 insufficient_scope",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "token",
			Revisions: spec.From(spec.Rev20250618),
			Refs:      []Ref{mcp(mcpErrors), mcp(mcpInsufficientScope), rfc(6750, "3.1")},
			Faults:    faults(fault.RSEndpointScopeNoError, fault.RSStepUpAs401),
		},
	)
}
