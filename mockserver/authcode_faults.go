package mockserver

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Authorization code grant faults beyond those of the authorization and
// token endpoints' own files.
func init() {
	registerFaults(
		Fault{fault.ASResourceAcceptAny, "the authorization endpoint accepts resource values it does not serve; the token endpoint then issues tokens for them", spec.Rev20250618},
	)
}

// authorizationResources checks the resource indicators of an
// authorization request: those this server serves, or under
// as.resource.accept-any any well-formed ones.
func (s *Server) authorizationResources(raw []string) ([]string, *oauthError) {
	if s.faults[fault.ASResourceAcceptAny] {
		return canonicalResources(raw)
	}
	return s.servedResources(raw)
}
