package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Token misuse at the MCP resource server, black-box: forgeries of a token
// the authorization server really issued, tokens sent the wrong way, and
// tokens short of a scope. Checks of audience, issuer and lifetime need a
// token signed by a key the server trusts, which a black-box run lacks.
func init() {
	register(
		Check{
			ID: "RS-TOK-002", Title: "refuses an access token signed by a key other than its authorization server's",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "token",
			Remediation: "Verify the token's signature with the authorization server's published keys only.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{mcp(mcpTokenHandling), rfc(9068, "4"), rfc(7515, "5.2")},
			Faults:      faults(fault.RSAcceptForeignKey),
		},
		Check{
			ID: "RS-TOK-003", Title: "refuses an unsigned access token (alg none)",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "token",
			Remediation: "Refuse tokens with alg none: allow only the signing algorithms the authorization server uses.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{mcp(mcpTokenHandling), rfc(9068, "4"), rfc(8725, "3.1")},
			Faults:      faults(fault.RSAcceptAlgNone),
		},
		Check{
			ID: "RS-TOK-004", Title: "refuses an access token whose claims were changed after signing",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "token",
			Remediation: "Verify the signature over the whole token, so changed claims are refused.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{mcp(mcpTokenHandling), rfc(9068, "4"), rfc(7515, "5.2")},
			Faults:      faults(fault.RSAcceptForeignKey),
		},
		Check{
			ID: "RS-TOK-005", Title: "refuses an access token signed by a key embedded in its own header",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "token",
			Remediation: "Ignore keys embedded in a token's header (jwk, jku, x5c) and use only the authorization server's keys.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{mcp(mcpTokenHandling), rfc(9068, "4"), rfc(7515, "4.1.3")},
			// Not checking the signature at all accepts it too.
			Faults: faults(fault.RSAcceptEmbeddedJWK, fault.RSAcceptForeignKey),
		},
		Check{
			ID: "RS-TOK-006", Title: "refuses an access token MACed with its authorization server's public key (HS256 confusion)",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "token",
			Remediation: "Pin the expected asymmetric algorithm so a public key is never used as an HMAC secret.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{mcp(mcpTokenHandling), rfc(9068, "4"), rfc(8725, "3.1")},
			Faults:      faults(fault.RSAcceptHS256Confusion),
		},
		Check{
			ID: "RS-TOK-007", Title: "does not accept an access token in the query string",
			Role: spec.RoleRS, Level: spec.LevelShould, Severity: spec.SeverityHigh, Area: "token",
			Revisions: spec.Revisions,
			Refs:      []Ref{mcp(mcpTokens), rfc(6750, "2.3"), rfc(9700, "4.3.2")},
			Faults:    faults(fault.RSAcceptQueryToken),
		},
		Check{
			ID: "RS-TOK-008", Title: "refuses a malformed Bearer authorization header",
			Role: spec.RoleRS, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "token",
			Revisions: spec.Revisions,
			Refs:      []Ref{rfc(6750, "2.1"), rfc(6750, "3.1")},
			Faults:    faults(fault.RSAcceptMalformedHeader),
		},
		Check{
			ID: "RS-TOK-009", Title: "answers an invalid access token with 401 invalid_token",
			Role: spec.RoleRS, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "token",
			Revisions: spec.Revisions,
			Refs:      []Ref{mcp(mcpTokenHandling), rfc(6750, "3.1")},
			Faults:    faults(fault.RSInvalidTokenNoErrorCode),
		},
		Check{
			ID: "RS-TOK-010", Title: "refuses a tool call whose token lacks the scope the tool needs",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "token",
			Remediation: "Check the token's scopes against what each tool needs and answer 403 insufficient_scope when one is missing.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{mcp(mcpTokenHandling), mcp(mcpErrors), rfc(6750, "3.1")},
			Faults:      faults(fault.RSNoScopeCheck),
		},
		Check{
			ID: "RS-TOK-011", Title: "answers a token lacking a needed scope with 403 insufficient_scope",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "token",
			Revisions: spec.Revisions,
			Refs:      []Ref{mcp(mcpErrors), mcp(mcpInsufficientScope), rfc(6750, "3.1")},
			Faults:    faults(fault.RSStepUpAs401),
		},
		Check{
			// Before 2025-11-25 naming the scope is only RFC 6750's MAY.
			ID: "RS-TOK-012", Title: "names the needed scope in the insufficient_scope challenge",
			Role: spec.RoleRS, Level: spec.LevelShould, Severity: spec.SeverityMedium, Area: "token",
			Revisions: spec.From(spec.Rev20251125),
			Refs:      []Ref{mcp(mcpInsufficientScope), rfc(6750, "3.1")},
			Faults:    faults(fault.RSStepUpNoScope),
		},
		Check{
			// A resource server that validates JWTs locally can only know of a
			// revocation by introspecting, hence a SHOULD; it runs where the
			// authorization server offers introspection and says the token
			// is inactive.
			ID: "RS-TOK-013", Title: "refuses an access token its authorization server revoked",
			Role: spec.RoleRS, Level: spec.LevelShould, Severity: spec.SeverityMedium, Area: "token",
			Revisions: spec.Revisions,
			Refs:      []Ref{mcp(mcpTokenHandling), rfc(7662, "1"), rfc(6749, "4.1.2")},
			Faults:    faults(fault.RSAcceptRevoked),
		},
		Check{
			ID: "RS-TOK-014", Title: "refuses an access token its authorization server issued for another resource",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "token",
			Remediation: "Check that the token's audience names this MCP server and refuse tokens for any other resource.",
			Revisions:   spec.From(spec.Rev20250618),
			Refs:        []Ref{mcp(mcpAudienceBinding), mcp(mcpTokenHandling), rfc(8707, "2")},
			Faults:      faults(fault.RSAcceptOtherResource, fault.RSAcceptAnyAudience),
		},
	)
}
