package mockserver

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

func init() {
	registerFaults(Fault{fault.ASPlainHTTP,
		"with WithTLS, the authorization server serves plain http, and its metadata and the protected resource metadata say so",
		spec.Rev20250618})
}

// listenerTLS is the TLS identity listener i serves with: none for the
// authorization server's (the second) under as.plain-http.
func (s *Server) listenerTLS(i int) *tlsIdentity {
	if i > 0 && s.faults[fault.ASPlainHTTP] {
		return nil
	}
	return s.tls
}
