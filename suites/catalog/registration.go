package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Dynamic client registration (RFC 7591) at the authorization server: what
// a standard MCP client registers is accepted, hostile metadata is refused,
// and a protected endpoint keeps out whoever lacks the initial access token.
// Each check runs only where the authorization server advertises
// registration.
func init() {
	all := spec.Revisions
	badRedirect := []Ref{mcp(mcpCommSecurity), rfc(7591, "3.2.2")}
	register(
		Check{
			ID: "AS-DCR-001", Title: "registers a public client with a loopback redirect URI",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "registration",
			Revisions: all,
			Refs:      []Ref{mcp(mcpDCR), rfc(7591, "3.2.1"), rfc(8252, "7.3")},
			Faults:    faults(fault.ASDCRRejectLoopbackRedirect),
		},
		Check{
			ID: "AS-DCR-002", Title: "issues a client secret to a confidential client it registers",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "registration",
			Revisions: all,
			Refs:      []Ref{mcp(mcpDCR), rfc(7591, "3.2.1")},
			Faults:    faults(fault.ASDCRNoClientSecret),
		},
		Check{
			ID: "AS-DCR-003", Title: "refuses to register a javascript: redirect URI",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "registration",
			Remediation: "Refuse redirect URIs with the javascript: scheme at registration.",
			Revisions:   all,
			Refs:        badRedirect,
			Faults:      faults(fault.ASDCRAcceptJavascriptURI),
		},
		Check{
			ID: "AS-DCR-004", Title: "refuses to register a data: redirect URI",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "registration",
			Remediation: "Refuse redirect URIs with the data: scheme at registration.",
			Revisions:   all,
			Refs:        badRedirect,
			Faults:      faults(fault.ASDCRAcceptDataURI),
		},
		Check{
			ID: "AS-DCR-005", Title: "refuses to register an http redirect URI on a host other than loopback",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "registration",
			Remediation: "Accept plain http redirect URIs only on loopback hosts; require https everywhere else.",
			Revisions:   all,
			Refs:        badRedirect,
			Faults:      faults(fault.ASDCRAcceptHTTPNonLoopback),
		},
		Check{
			ID: "AS-DCR-006", Title: "refuses to register a redirect URI with a fragment",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "registration",
			Revisions: all,
			Refs:      []Ref{rfc(6749, "3.1.2"), rfc(7591, "3.2.2")},
			Faults:    faults(fault.ASDCRAcceptFragment),
		},
		Check{
			ID: "AS-DCR-007", Title: "answers a refused redirect URI with the invalid_redirect_uri error",
			Role: spec.RoleAS, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "registration",
			Revisions: all,
			Refs:      []Ref{rfc(7591, "3.2.2"), rfc(6749, "3.1.2")},
			Faults:    faults(fault.ASDCRWrongErrorCode),
		},
		Check{
			ID: "AS-DCR-008", Title: "refuses or drops a grant type it does not support",
			Role: spec.RoleAS, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "registration",
			Revisions: all,
			Refs:      []Ref{rfc(7591, "2"), rfc(7591, "3.2.1"), rfc(7591, "3.2.2")},
			Faults:    faults(fault.ASDCRAcceptUnknownGrantType),
		},
		Check{
			ID: "AS-DCR-009", Title: "refuses or replaces a token endpoint auth method it does not support",
			Role: spec.RoleAS, Level: spec.LevelShould, Severity: spec.SeverityMedium, Area: "registration",
			Revisions: all,
			Refs:      []Ref{rfc(7591, "2"), rfc(7591, "3.2.1"), rfc(7591, "3.2.2")},
			Faults:    faults(fault.ASDCRAcceptUnknownAuthMethod),
		},
		Check{
			ID: "AS-DCR-010", Title: "refuses the client_credentials grant to a public client",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "registration",
			Remediation: "Register the client_credentials grant only for clients that register a way to authenticate.",
			Revisions:   all,
			Refs:        []Ref{rfc(6749, "4.4"), rfc(7591, "2"), rfc(7591, "3.2.2")},
			Faults:      faults(fault.ASDCRPublicClientCredentials),
		},
		Check{
			ID: "AS-DCR-011", Title: "refuses a registration without the initial access token",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "registration",
			Remediation: "Require the initial access token on the registration endpoint when registration is protected.",
			Revisions:   all,
			Refs:        []Ref{rfc(7591, "3"), rfc(6750, "3.1")},
			Faults:      faults(fault.ASDCROpenDespiteProtection),
		},
		Check{
			// An endpoint open despite protection lets any token through too.
			ID: "AS-DCR-012", Title: "refuses a registration with an invalid initial access token",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "registration",
			Remediation: "Validate the initial access token and refuse registrations that carry a wrong one.",
			Revisions:   all,
			Refs:        []Ref{rfc(7591, "3.2.2"), rfc(6750, "3.1")},
			Faults:      faults(fault.ASDCRAcceptAnyInitialToken, fault.ASDCROpenDespiteProtection),
		},
		Check{
			ID: "AS-DCR-013", Title: "answers a registration with client information of the types RFC 7591 defines",
			Role: spec.RoleAS, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "registration",
			Revisions: all,
			Refs:      []Ref{mcp(mcpDCR), rfc(7591, "3.2.1"), rfc(7591, "2")},
			Faults:    faults(fault.ASDCRNoSecretExpiry, fault.ASDCRLooseTypes),
		},
	)
}
