package catalog

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// cve20256514 is mcp-remote's remote code execution: a server-supplied
// authorization_endpoint reached an OS command line.
var cve20256514 = Ref{Label: "CVE-2025-6514 (an authorization_endpoint run as an OS command)",
	URL: "https://nvd.nist.gov/vuln/detail/CVE-2025-6514"}

// Client mode: what a hostile server hands the client (URLs to open,
// certificates to trust) must not take it over.
func init() {
	every := spec.From(spec.Rev20250326)
	register(
		Check{
			ID: "CL-URL-001", Title: "runs no shell command an authorization endpoint URL carries",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityCritical, Area: "hostile",
			Remediation: "Open authorization URLs with an API that takes a URL, never through a shell.",
			Revisions:   every, Refs: []Ref{cve20256514, mcp(mcpCommSecurity), oauth21("7")},
			Faults:    faults(fault.ClientBrowserThroughShell),
			Scenarios: []string{"auth/authorization-endpoint-shell-command"},
		},
		Check{
			ID: "CL-URL-002", Title: "opens no authorization endpoint but an https (or loopback http) URL",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "hostile",
			Remediation: "Open an authorization endpoint only if its scheme is https (or http on loopback).",
			Revisions:   every, Refs: []Ref{mcp(mcpCommSecurity), oauth21("1.5"), cve20256514},
			Faults:    faults(fault.ClientAnyEndpointScheme),
			Scenarios: []string{"auth/dcr", "auth/authorization-endpoint-javascript"},
		},
		Check{
			ID: "CL-TLS-002", Title: "opens no plain-http authorization endpoint off loopback",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "hostile",
			Remediation: "Open authorization endpoints over https, allowing plain http only on loopback.",
			Revisions:   every, Refs: []Ref{mcp(mcpCommSecurity), oauth21("1.5")},
			Faults:    faults(fault.ClientPlainHTTPEndpoints, fault.ClientAnyEndpointScheme),
			Scenarios: []string{"auth/dcr", "auth/plain-http-authorization-endpoint"},
		},
		Check{
			ID: "CL-TLS-001", Title: "refuses a server whose TLS certificate it cannot verify",
			Role: spec.RoleClient, Level: spec.LevelMust, Severity: spec.SeverityHigh, Area: "hostile",
			Remediation: "Verify server certificates and never fall back to skipping verification.",
			Revisions:   every, Refs: []Ref{oauth21("1.5"), rfc(9110, "4.3.4"), mcp(mcpCommSecurity)},
			Faults:    faults(fault.ClientSkipCertificateVerify),
			Scenarios: []string{"auth/untrusted-certificate"},
		},
	)
}
