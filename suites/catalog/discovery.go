package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Server-mode discovery: the unauthenticated challenge, protected resource
// metadata (RFC 9728) and authorization server metadata (RFC 8414, OpenID
// Connect discovery), as each revision places them.
func init() {
	withPRM := spec.From(spec.Rev20250618)
	all := spec.Revisions
	register(
		Check{
			ID: "RS-AUTH-001", Title: "answers an unauthenticated MCP request with 401",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "challenge",
			Remediation: "Answer every MCP request without a valid access token with 401 before doing any work.",
			Revisions:   all,
			Refs: []Ref{
				mcp(mcpErrors),
				rfc(6750, "3.1"),
			},
			Faults: faults(fault.RSNoAuth, fault.RSMCPHang),
		},
		Check{
			ID: "RS-AUTH-002", Title: "challenges with the Bearer scheme on 401",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "challenge",
			Remediation: "Send WWW-Authenticate: Bearer with every 401.",
			Revisions:   all,
			Refs:        []Ref{rfc(6750, "3"), rfc(9110, "11.6.1")},
			Faults:      faults(fault.RSNoWWWAuthenticate),
		},
		Check{
			ID: "RS-AUTH-003", Title: "names resource_metadata in the 401 challenge",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "challenge",
			Remediation: "Add resource_metadata with the protected resource metadata URL to the Bearer challenge.",
			Revisions:   spec.Only(spec.Rev20250618),
			Refs: []Ref{
				mcp(mcpASLocation),
				rfc(9728, "5.1"),
			},
			Faults: faults(fault.RSNoWWWAuthenticate, fault.RSChallengeNoResourceMetadata),
		},
		Check{
			ID: "RS-AUTH-004", Title: "sends no error code when the request had no credentials",
			Role: spec.RoleRS, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "challenge",
			Revisions: all,
			Refs:      []Ref{rfc(6750, "3.1")},
			Faults:    faults(fault.RSErrorWithoutCredentials),
		},
		Check{
			ID: "RS-AUTH-005", Title: "names the needed scope in the 401 challenge",
			Role: spec.RoleRS, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "challenge",
			Revisions: spec.From(spec.Rev20251125),
			Refs: []Ref{
				mcp(mcpScopes),
				rfc(6750, "3"),
			},
			Faults: faults(fault.RSChallengeNoScope),
		},
		Check{
			ID: "RS-AUTH-006", Title: "refuses a request of an authorized session that carries no access token",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "challenge",
			Remediation: "Require a valid access token on every request, also within a session that was authorized before.",
			// Sessions are gone from 2026-07-28.
			Revisions: spec.Only(spec.Rev20250326, spec.Rev20250618, spec.Rev20251125),
			Refs:      []Ref{mcp(mcpTokens), mcpSessionHijacking, rfc(6750, "3.1")},
			Faults:    faults(fault.RSSessionAuthorizes),
		},
		Check{
			ID: "RS-PRM-001", Title: "publishes protected resource metadata where clients look for it",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "prm",
			Remediation: "Serve protected resource metadata at the well-known URL derived from the MCP endpoint (RFC 9728).",
			Revisions:   withPRM,
			Refs: []Ref{
				mcp(mcpPRMDiscovery),
				rfc(9728, "3"),
			},
			Faults: faults(
				fault.RSPRMMissing, fault.RSPRMMalformedJSON, fault.RSPRMHugeBody, fault.RSPRMHang,
				fault.RSPRMRedirectLoop, fault.RSPRMRedirectOffhost,
			),
		},
		Check{
			ID: "RS-PRM-002", Title: "serves protected resource metadata as application/json",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "prm",
			Revisions: withPRM,
			Refs:      []Ref{rfc(9728, "3.2")},
			Faults:    faults(fault.RSPRMWrongContentType),
		},
		Check{
			ID: "RS-PRM-003", Title: "publishes metadata at the path-inserted well-known URL",
			Role: spec.RoleRS, Level: spec.LevelShould, Severity: spec.SeverityMedium, Area: "prm",
			Revisions: withPRM,
			Refs: []Ref{
				rfc(9728, "3.1"),
				mcp(mcpPRMDiscovery),
			},
			// From 2025-11-25 (SEP-985) the challenge alone may name the
			// metadata, and clients fall back to the root URL: metadata at
			// the root URL the challenge names is no longer a miss.
			Faults: append(faults(
				fault.RSPRMMissing, fault.RSPRMMalformedJSON, fault.RSPRMHugeBody,
				fault.RSPRMHang, fault.RSPRMRedirectLoop, fault.RSPRMRedirectOffhost,
			), faultIn(fault.RSPRMRootOnly, spec.Rev20250618)),
		},
		Check{
			ID: "RS-PRM-004", Title: "names the MCP endpoint URL as its resource",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "prm",
			Remediation: "Set resource in the protected resource metadata to the MCP endpoint's URL.",
			Revisions:   withPRM,
			Refs:        []Ref{rfc(9728, "3.3"), mcp(mcpASLocation)},
			Faults:      faults(fault.RSPRMResourceMismatch),
		},
		Check{
			ID: "RS-PRM-005", Title: "lists at least one authorization server",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "prm",
			Remediation: "List at least one authorization server in authorization_servers.",
			Revisions:   withPRM,
			Refs:        []Ref{mcp(mcpASLocation), rfc(9728, "2")},
			Faults:      faults(fault.RSPRMNoAuthorizationServers),
		},
		Check{
			ID: "RS-PRM-006", Title: "matches the protected resource metadata schema",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "prm",
			Revisions: withPRM,
			Refs:      []Ref{rfc(9728, "2")},
			Faults:    faults(fault.RSPRMSchemaViolation),
		},
		Check{
			ID: "RS-PRM-007", Title: "advertises the scopes it accepts",
			Role: spec.RoleRS, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "prm",
			Revisions: withPRM,
			Refs:      []Ref{rfc(9728, "2"), mcp(mcpScopes)},
			Faults:    faults(fault.RSPRMNoScopes),
		},
		Check{
			ID: "RS-PRM-008", Title: "does not offer bearer tokens in the query string",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "prm",
			Revisions: withPRM,
			Refs:      []Ref{mcp(mcpTokens), rfc(9728, "2")},
			Faults:    faults(fault.RSPRMAdvertisesQuery),
		},
		Check{
			ID: "RS-PRM-009", Title: "ignores the forwarded host and scheme a client sends",
			Role: spec.RoleRS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "prm",
			Remediation: "Build metadata URLs from configuration, not from Host or X-Forwarded-* headers a client sends.",
			Revisions:   withPRM,
			Refs:        []Ref{rfc(9700, "4.13"), rfc(9728, "3.3")},
			Faults:      faults(fault.RSTrustForwardedHeaders),
		},
		Check{
			ID: "AS-META-001", Title: "publishes authorization server metadata where the revision says",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "as-metadata",
			Remediation: "Serve authorization server metadata at the well-known URL the revision names (RFC 8414, or OpenID discovery where allowed).",
			Revisions:   withPRM,
			Refs: []Ref{
				mcp(mcpASMetadata),
				rfc(8414, "3"), oidcDiscovery("4", "ProviderConfig"),
			},
			Faults: append(faults(fault.ASMetadataMissing, fault.ASMetadataMalformedJSON, fault.ASMetadataRedirectOffhost),
				faultIn(fault.ASMetadataOIDCOnly, spec.Rev20250618)),
		},
		Check{
			// 2025-03-26 looks the metadata up at the MCP server's origin, its
			// authorization base URL: RFC 8414 §3.3 holds there too.
			ID: "AS-META-002", Title: "publishes the issuer it was discovered under",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "as-metadata",
			Remediation: "Publish an issuer identical to the URL the metadata was looked up for.",
			Revisions:   spec.Revisions,
			Refs:        []Ref{rfc(8414, "3.3"), mcp(mcpASMetadata)},
			Faults:      faults(fault.ASMetadataIssuerMismatch),
		},
		Check{
			ID: "AS-META-003", Title: "serves authorization server metadata as application/json",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "as-metadata",
			Revisions: all,
			Refs:      []Ref{rfc(8414, "3.2")},
			Faults:    faults(fault.ASMetadataWrongContentType),
		},
		Check{
			ID: "AS-META-004", Title: "advertises its authorization and token endpoints",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "as-metadata",
			Remediation: "List authorization_endpoint and token_endpoint in the metadata.",
			Revisions:   all,
			Refs:        []Ref{rfc(8414, "2")},
			Faults:      faults(fault.ASMetadataNoTokenEndpoint),
		},
		Check{
			ID: "AS-META-005", Title: "supports the code response type",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "as-metadata",
			Remediation: "Include code in response_types_supported and support it.",
			Revisions:   all,
			Refs:        []Ref{rfc(8414, "2"), mcp(mcpOverview)},
			Faults:      faults(fault.ASMetadataNoCodeResponseType),
		},
		Check{
			ID: "AS-META-006", Title: "advertises S256 in code_challenge_methods_supported",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "as-metadata",
			Remediation: "Support PKCE with S256 and list it in code_challenge_methods_supported.",
			Revisions:   spec.From(spec.Rev20251125),
			Refs: []Ref{
				mcp(mcpPKCE),
				rfc(8414, "2"), rfc(7636, "4.2"),
			},
			Faults: faults(fault.ASMetadataNoS256),
		},
		Check{
			ID: "AS-META-007", Title: "matches the authorization server metadata schema",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "as-metadata",
			Revisions: all,
			Refs:      []Ref{rfc(8414, "2"), oidcDiscovery("3", "ProviderMetadata")},
			Faults:    faults(fault.ASMetadataSchemaViolation),
		},
		Check{
			ID: "AS-META-008", Title: "lists authorization_code among its grant types",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "as-metadata",
			Revisions: all,
			Refs:      []Ref{rfc(8414, "2"), mcp(mcpOverview)},
			Faults:    faults(fault.ASMetadataNoAuthorizationCodeGrant),
		},
		Check{
			ID: "AS-LEG-001", Title: "publishes metadata at the MCP server's origin",
			Role: spec.RoleAS, Level: spec.LevelShould, Severity: spec.SeverityMedium, Area: "as-metadata",
			Revisions: spec.Only(spec.Rev20250326),
			Refs: []Ref{
				mcp(mcpBaseURL),
				rfc(8414, "3"),
			},
			Faults: faults(fault.ASMetadataMissing, fault.ASMetadataMalformedJSON, fault.ASMetadataRedirectOffhost, fault.ASMetadataOIDCOnly),
		},
	)
}
