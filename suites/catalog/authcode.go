package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// The authorization code grant at the authorization server, attacked: PKCE
// downgrades, code replay, redirect URI matching, the authorization
// response (state, iss) and resource indicators.
func init() {
	all := spec.Revisions
	withResource := spec.From(spec.Rev20250618)
	downgrade := together(fault.ASPKCEOptional, fault.ASPKCEAcceptVerifierWithoutChallenge)
	register(
		Check{
			ID: "AS-PKCE-001", Title: "refuses an authorization request without a code challenge",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "pkce",
			Remediation: "Require a code_challenge on every authorization request and refuse one without it.",
			Revisions:   all,
			Refs:        []Ref{mcp(mcpPKCE), rfc(7636, "4.4.1"), rfc(9700, "2.1.1")},
			Faults:      append(faults(fault.ASPKCEOptional), downgrade),
		},
		Check{
			ID: "AS-PKCE-002", Title: "refuses the plain code challenge method",
			Role: spec.RoleAS, Level: spec.LevelShould, Severity: spec.SeverityMedium, Area: "pkce",
			Revisions: all,
			Refs:      []Ref{mcp(mcpPKCE), rfc(7636, "7.2"), rfc(9700, "2.1.1")},
			Faults:    faults(fault.ASPKCEAcceptPlain),
		},
		Check{
			ID: "AS-PKCE-003", Title: "refuses a token request without the code verifier",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "pkce",
			Remediation: "Require the code_verifier when redeeming a code issued with a code challenge.",
			Revisions:   all,
			Refs:        []Ref{mcp(mcpPKCE), rfc(7636, "4.6"), rfc(9700, "2.1.1")},
			Faults:      faults(fault.ASPKCEAcceptMissingVerifier),
		},
		Check{
			ID: "AS-PKCE-004", Title: "refuses a code verifier that does not match the code challenge",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "pkce",
			Remediation: "Compute S256 of the code_verifier and refuse the code unless it equals the stored code challenge.",
			Revisions:   all,
			Refs:        []Ref{mcp(mcpPKCE), rfc(7636, "4.6")},
			Faults:      faults(fault.ASPKCEAcceptWrongVerifier),
		},
		Check{
			ID: "AS-PKCE-005", Title: "refuses the code challenge sent back as the code verifier",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "pkce",
			Remediation: "Hash the code_verifier before comparing it, so the challenge itself never passes as a verifier.",
			Revisions:   all,
			Refs:        []Ref{mcp(mcpPKCE), rfc(7636, "4.6")},
			// Not comparing at all lets the challenge through as well.
			Faults: faults(fault.ASPKCEAcceptChallengeAsVerifier, fault.ASPKCEAcceptWrongVerifier),
		},
		Check{
			ID: "AS-PKCE-006", Title: "refuses a code verifier for a code issued without a code challenge",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "pkce",
			Remediation: "Refuse a code_verifier for a code that was issued without a code challenge.",
			Revisions:   all,
			Refs:        []Ref{mcp(mcpPKCE), rfc(9700, "2.1.1"), rfc(9700, "4.8.2")},
			Faults:      []Fault{downgrade},
		},
		Check{
			ID: "AS-PKCE-007", Title: "refuses a code verifier that is not 43 to 128 unreserved characters",
			Role: spec.RoleAS, Level: spec.LevelShould, Severity: spec.SeverityMedium, Area: "pkce",
			Revisions: all,
			Refs:      []Ref{mcp(mcpPKCE), rfc(7636, "4.1")},
			Faults:    faults(fault.ASPKCEAcceptBadVerifierFormat),
		},
		Check{
			ID: "AS-PKCE-008", Title: "accepts every code challenge method it advertises",
			Role: spec.RoleAS, Level: spec.LevelShould, Severity: spec.SeverityMedium, Area: "pkce",
			Revisions: all,
			Refs:      []Ref{rfc(8414, "2"), rfc(7636, "4.3"), mcp(mcpPKCE)},
			// Advertising plain alone, refused as ever, trips it too.
			Faults: faults(fault.ASPKCEAdvertisedPlainRefused, fault.ASMetadataNoS256),
		},
		Check{
			ID: "AS-PKCE-009", Title: "refuses a code challenge method it does not support",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "pkce",
			Revisions: all,
			Refs:      []Ref{rfc(7636, "4.4.1"), mcp(mcpPKCE)},
			Faults:    faults(fault.ASPKCEAcceptUnknownMethod),
		},
		Check{
			ID: "AS-CODE-001", Title: "refuses an authorization code redeemed a second time",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "code",
			Remediation: "Make authorization codes single-use: mark a code redeemed and refuse it (and revoke its tokens) when it comes back.",
			Revisions:   all,
			Refs:        []Ref{mcp(mcpPKCE), rfc(6749, "4.1.2"), rfc(9700, "4.5")},
			Faults:      faults(fault.ASCodeAllowReplay),
		},
		Check{
			ID: "AS-CODE-002", Title: "revokes the tokens issued from an authorization code that is replayed",
			Role: spec.RoleAS, Level: spec.LevelShould, Severity: spec.SeverityMedium, Area: "code",
			Revisions: all,
			Refs:      []Ref{rfc(6749, "4.1.2"), rfc(6749, "10.5")},
			Faults:    faults(fault.ASCodeNoRevokeOnReplay),
		},
		Check{
			ID: "AS-CODE-003", Title: "refuses an authorization code redeemed by another client",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "code",
			Remediation: "Bind each authorization code to the client it was issued to and refuse it from any other client.",
			Revisions:   all,
			Refs:        []Ref{mcp(mcpPKCE), oauth21("4.1.3"), rfc(6749, "4.1.3"), rfc(6749, "5.2")},
			Faults:      faults(fault.ASCodeNotClientBound),
		},
		Check{
			ID: "AS-REDIR-001", Title: "refuses a redirect URI that extends a registered one, without redirecting to it",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "redirect",
			Remediation: "Compare redirect URIs with registered ones by exact string match, and show an error page instead of redirecting on a mismatch.",
			Revisions:   all,
			Refs:        []Ref{mcp(mcpOpenRedirect), rfc(9700, "4.1.3"), rfc(6749, "4.1.2.1")},
			// Redirecting the error there is as bad as accepting it.
			Faults: faults(fault.ASRedirectPrefixMatch, fault.ASRedirectErrorToUnregistered),
		},
		Check{
			ID: "AS-REDIR-002", Title: "refuses a token request whose redirect URI differs from the authorization request's",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "redirect",
			Remediation: "Refuse the code exchange unless its redirect_uri equals the one in the authorization request.",
			Revisions:   all,
			Refs:        []Ref{rfc(6749, "4.1.3"), rfc(9700, "4.1.3")},
			Faults:      faults(fault.ASRedirectUncheckedAtToken),
		},
		Check{
			ID: "AS-REDIR-003", Title: "does not redirect an error about an unknown client to the redirect URI it names",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "redirect",
			Remediation: "Show an error page, never a redirect, when the client is unknown or its redirect URI cannot be verified.",
			Revisions:   all,
			Refs:        []Ref{mcp(mcpOpenRedirect), rfc(6749, "4.1.2.1"), rfc(9700, "4.11.2")},
			Faults:      faults(fault.ASRedirectErrorToUnregistered),
		},
		Check{
			ID: "AS-AUTHZ-001", Title: "returns state unchanged in the authorization response",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "authorization",
			Remediation: "Copy the state parameter into the authorization response byte for byte, error responses included.",
			Revisions:   all,
			Refs:        []Ref{mcp(mcpOpenRedirect), rfc(6749, "4.1.2")},
			Faults:      faults(fault.ASStateNotReturned, fault.ASStateWrong),
		},
		Check{
			ID: "AS-AUTHZ-002", Title: "returns its issuer as iss in the authorization response when it advertises it",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "authorization",
			Revisions: all,
			Refs:      []Ref{mcp(mcpResponseValidation), rfc(9207, "2"), rfc(9207, "3")},
			Faults:    faults(fault.ASISSOmit, fault.ASISSWrong, fault.ASISSTrailingSlash, fault.ASISSPercentEncoded),
		},
		Check{
			ID: "AS-AUTHZ-003", Title: "returns no access token in the authorization response",
			Role: spec.RoleAS, Level: spec.LevelShould, Severity: spec.SeverityHigh, Area: "authorization",
			Revisions: all,
			Refs:      []Ref{oauth21("4.1.2"), rfc(9700, "2.1.2")},
			Faults:    faults(fault.ASTokenInResponse),
		},
		Check{
			ID: "AS-RES-001", Title: "issues access tokens whose audience is the requested resource",
			Role: spec.RoleAS, Level: spec.LevelShould, Severity: spec.SeverityHigh, Area: "resource",
			Revisions: withResource,
			Refs:      []Ref{mcp(mcpAudienceBinding), rfc(8707, "2.2"), rfc(9068, "3")},
			Faults:    faults(fault.ASResourceIgnored),
		},
		Check{
			ID: "AS-RES-002", Title: "refuses a resource it does not serve with invalid_target",
			Role: spec.RoleAS, Level: spec.LevelShould, Severity: spec.SeverityHigh, Area: "resource",
			Revisions: withResource,
			Refs:      []Ref{mcp(mcpResourceParameter), rfc(8707, "2")},
			Faults:    faults(fault.ASResourceAcceptAny),
		},
	)
}
