package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Client mode: a client the context gives credentials of its own (a client
// secret, or a private key) and an authorization server for machine clients
// alone, as MCP's OAuth client credentials extension has them from
// 2025-11-25, the first revision to refer to the extensions. A client that
// did not take the extension up (sent no token request there) is not judged.
func init() {
	from20251125 := spec.From(spec.Rev20251125)
	both := []string{"auth/client-credentials-basic", "auth/client-credentials-jwt"}
	jwtOnly := []string{"auth/client-credentials-jwt"}
	flow := extClientCredentials("Flow steps", "flow-steps")
	authMethods := extClientCredentials("Client authentication methods", "client-authentication-methods")
	register(
		Check{
			ID: "CL-CC-001", Title: "asks for its token with the client_credentials grant",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "client-credentials",
			Revisions: from20251125, Refs: []Ref{flow, oauth21("4.2"), rfc(6749, "4.4.2")},
			Faults:    faults(fault.ClientCCJWTBearerGrant),
			Scenarios: both,
		},
		Check{
			ID: "CL-CC-002", Title: "sends no authorization request when it holds client credentials",
			Role: spec.RoleClient, Level: spec.LevelShould, Severity: spec.SeverityLow, Area: "client-credentials",
			Revisions: from20251125, Refs: []Ref{extClientCredentials("Overview", "overview"), rfc(6749, "4.4")},
			Faults:    faults(fault.ClientCCAuthorizationRequest),
			Scenarios: both,
		},
		Check{
			ID: "CL-CC-003", Title: "authenticates with its client secret by HTTP Basic",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "client-credentials",
			Revisions: from20251125, Refs: []Ref{authMethods, oauth21("2.4.1"), rfc(8414, "2")},
			Faults:    faults(fault.ClientCCSecretPost),
			Scenarios: []string{"auth/client-credentials-basic"},
		},
		Check{
			ID: "CL-CC-004", Title: "names the JWT bearer client assertion type",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "client-credentials",
			Revisions: from20251125, Refs: []Ref{authMethods, rfc(7523, "2.2")},
			Faults:    faults(fault.ClientCCAssertionTypeWrong),
			Scenarios: jwtOnly,
		},
		Check{
			ID: "CL-CC-005", Title: "makes its client_id the iss and sub of its client assertion",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityMedium, Area: "client-credentials",
			Revisions: from20251125, Refs: []Ref{rfc(7523, "3")},
			Faults:    faults(fault.ClientCCAssertionNoSubject),
			Scenarios: jwtOnly,
		},
		Check{
			ID: "CL-CC-006", Title: "addresses its client assertion to the authorization server and bounds it with exp",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "client-credentials",
			Remediation: "Set the assertion's aud to the authorization server's issuer and give it a short exp.",
			Revisions:   from20251125, Refs: []Ref{rfc(7523, "3")},
			Faults:    faults(fault.ClientCCAssertionAudienceMCP),
			Scenarios: jwtOnly,
		},
		Check{
			ID: "CL-CC-007", Title: "signs its client assertion with the private key it was given",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "client-credentials",
			Remediation: "Sign the client assertion with the configured private key, in the algorithm registered for it.",
			Revisions:   from20251125, Refs: []Ref{rfc(7523, "3"), authMethods},
			Faults:    faults(fault.ClientCCAssertionOwnKey),
			Scenarios: jwtOnly,
		},
	)
}
