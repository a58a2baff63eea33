package mockserver

import (
	"slices"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// as.client.accept-other-secret-method lets the two client secret methods
// stand in for each other: the secret is right, the method is not the one
// registered (RFC 7591 §2 token_endpoint_auth_method).
func init() {
	registerFaults(
		Fault{fault.ASClientAcceptOtherSecretMethod, "a client registered for client_secret_basic may use client_secret_post, and the other way round", spec.Rev20250326},
	)
}

// secretMethodSwapped reports whether, under its fault, presented is the
// other client secret method than the registered one.
func (s *Server) secretMethodSwapped(registered, presented string) bool {
	secretMethods := []string{authClientSecretBasic, authClientSecretPost}
	return s.faults[fault.ASClientAcceptOtherSecretMethod] &&
		slices.Contains(secretMethods, registered) && slices.Contains(secretMethods, presented)
}
