package mockserver

import (
	"net/http"
	"slices"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// as.client.accept-other-secret-method lets the two client secret methods
// stand in for each other: the secret is right, the method is not the one
// registered (RFC 7591 §2 token_endpoint_auth_method). as.cc.accept-wrong-secret
// checks the secret on every grant but client credentials.
func init() {
	registerFaults(
		Fault{fault.ASClientAcceptOtherSecretMethod, "a client registered for client_secret_basic may use client_secret_post, and the other way round", spec.Rev20250326},
		Fault{fault.ASCCAcceptWrongSecret, "the client_credentials grant accepts any client secret (the other grants check it)", spec.Rev20250326},
	)
}

// acceptsWrongSecret reports whether a faulty token endpoint lets a wrong
// client secret through for r's grant.
func (s *Server) acceptsWrongSecret(r *http.Request) bool {
	return s.faults[fault.ASClientAcceptWrongSecret] ||
		(s.faults[fault.ASCCAcceptWrongSecret] && r.PostForm.Get("grant_type") == grantClientCredentials)
}

// secretMethodSwapped reports whether, under its fault, presented is the
// other client secret method than the registered one.
func (s *Server) secretMethodSwapped(registered, presented string) bool {
	secretMethods := []string{authClientSecretBasic, authClientSecretPost}
	return s.faults[fault.ASClientAcceptOtherSecretMethod] &&
		slices.Contains(secretMethods, registered) && slices.Contains(secretMethods, presented)
}
