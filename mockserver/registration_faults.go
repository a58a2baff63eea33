package mockserver

import (
	"net/url"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Dynamic client registration faults that break what a conforming client
// relies on, rather than let hostile metadata through.
func init() {
	registerFaults(
		Fault{fault.ASDCRRejectLoopbackRedirect,
			"registration refuses http redirect URIs on loopback hosts, so native MCP clients cannot register", spec.Rev20250326},
		Fault{fault.ASDCRNoClientSecret,
			"registration answers a confidential client without the client_secret it assigned", spec.Rev20250326},
		Fault{fault.ASDCRNoSecretExpiry,
			"registration answers a client_secret without client_secret_expires_at", spec.Rev20250326},
		Fault{fault.ASDCRLooseTypes,
			"registration answers client_uri and logo_uri as null and contacts as an object, as serialisers of unset fields do", spec.Rev20250326},
	)
}

// spoilClientInformation bends a registration answer's body as the client
// information faults say.
func (s *Server) spoilClientInformation(body map[string]any) {
	if s.faults[fault.ASDCRNoSecretExpiry] {
		delete(body, "client_secret_expires_at")
	}
	if s.faults[fault.ASDCRLooseTypes] {
		body["client_uri"], body["logo_uri"], body["contacts"] = nil, nil, map[string]any{}
	}
}

// loopbackRefused: under as.dcr.reject-loopback-redirect an http redirect
// URI is refused even on a loopback host, as https-only servers do.
func loopbackRefused(u *url.URL, faults faultSet) bool {
	return faults[fault.ASDCRRejectLoopbackRedirect] && u.Scheme == "http" && isLoopbackHost(u.Hostname())
}

// answeredSecret is the client secret the registration answer carries: none
// under as.dcr.no-client-secret, though the client keeps its secret.
func (s *Server) answeredSecret(c *client) string {
	if s.faults[fault.ASDCRNoClientSecret] {
		return ""
	}
	return c.Secret
}
