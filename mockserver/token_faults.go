package mockserver

import (
	"net/http"
	"slices"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Token endpoint faults beyond the code exchange: refresh, client
// credentials and the error answers.
func init() {
	registerFaults(
		Fault{fault.ASRefreshNoRevokeOnReuse, "a reused rotated refresh token is refused but its grant, the newer refresh token included, stays valid", spec.Rev20250326},
		Fault{fault.ASRefreshWidenScope, "a refresh grants whatever scope is requested, beyond the original grant", spec.Rev20250326},
		Fault{fault.ASCCDisabled, "client_credentials is refused with unsupported_grant_type although grant_types_supported lists it", spec.Rev20250326},
		Fault{fault.ASCCPublicClient, "client_credentials is issued to public clients, without authentication, whatever grants they registered", spec.Rev20250326},
		Fault{fault.ASTokenUnknownGrantInvalidRequest, "an unknown grant_type is refused with invalid_request instead of unsupported_grant_type", spec.Rev20250326},
		Fault{fault.ASTokenMissingCodeHTML, "a code exchange without code is refused with an HTML page instead of a JSON invalid_request", spec.Rev20250326},
	)
}

// faultyGrantRefusal is how the grant type faults refuse grant; nil when
// none applies.
func (s *Server) faultyGrantRefusal(grant string) *oauthError {
	switch {
	case grant == grantClientCredentials && s.faults[fault.ASCCDisabled]:
		return oauthErrorf(oauthUnsupportedGrantType, "grant_type %q is not supported", grant)
	case grant != "" && !slices.Contains(supportedGrantTypes, grant) && s.faults[fault.ASTokenUnknownGrantInvalidRequest]:
		return oauthErrorf(oauthInvalidRequest, "grant_type %q is not supported", grant)
	}
	return nil
}

// publicClientCredentials: under its fault a public client may use the
// client_credentials grant whatever it registered.
func (s *Server) publicClientCredentials(c *client, grant string) bool {
	return grant == grantClientCredentials && c.Public() && s.faults[fault.ASCCPublicClient]
}

// writeMissingCodeHTML answers a code exchange refused for its missing code
// with a framework's HTML error page, and reports whether it did.
func (s *Server) writeMissingCodeHTML(w http.ResponseWriter, r *http.Request, err *oauthError) bool {
	if !s.faults[fault.ASTokenMissingCodeHTML] || err.Code != oauthInvalidRequest ||
		r.PostForm.Get("grant_type") != grantAuthorizationCode || r.PostForm.Get("code") != "" {
		return false
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	w.Write([]byte("<!doctype html><title>400 Bad Request</title><h1>Bad Request</h1><p>Required parameter 'code' is missing.</p>\n"))
	return true
}
