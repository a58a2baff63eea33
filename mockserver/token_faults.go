package mockserver

import (
	"net/http"
	"slices"

	"github.com/mcpconform/mcpconform/internal/spec"
)

// Token endpoint faults beyond the code exchange: refresh, client
// credentials and the error answers.
const (
	faultRefreshNoRevokeOnReuse          = "as.refresh.no-revoke-on-reuse"
	faultRefreshWidenScope               = "as.refresh.widen-scope"
	faultCCDisabled                      = "as.cc.disabled"
	faultCCPublicClient                  = "as.cc.public-client"
	faultTokenUnknownGrantInvalidRequest = "as.token.unknown-grant-invalid-request"
	faultTokenMissingCodeHTML            = "as.token.missing-code-html"
)

func init() {
	registerFaults(
		Fault{faultRefreshNoRevokeOnReuse, "a reused rotated refresh token is refused but its grant, the newer refresh token included, stays valid", spec.Rev20250326},
		Fault{faultRefreshWidenScope, "a refresh grants whatever scope is requested, beyond the original grant", spec.Rev20250326},
		Fault{faultCCDisabled, "client_credentials is refused with unsupported_grant_type although grant_types_supported lists it", spec.Rev20250326},
		Fault{faultCCPublicClient, "client_credentials is issued to public clients, without authentication, whatever grants they registered", spec.Rev20250326},
		Fault{faultTokenUnknownGrantInvalidRequest, "an unknown grant_type is refused with invalid_request instead of unsupported_grant_type", spec.Rev20250326},
		Fault{faultTokenMissingCodeHTML, "a code exchange without code is refused with an HTML page instead of a JSON invalid_request", spec.Rev20250326},
	)
}

// faultyGrantRefusal is how the grant type faults refuse grant; nil when
// none applies.
func (s *Server) faultyGrantRefusal(grant string) *oauthError {
	switch {
	case grant == grantClientCredentials && s.faults[faultCCDisabled]:
		return oauthErrorf(oauthUnsupportedGrantType, "grant_type %q is not supported", grant)
	case grant != "" && !slices.Contains(supportedGrantTypes, grant) && s.faults[faultTokenUnknownGrantInvalidRequest]:
		return oauthErrorf(oauthInvalidRequest, "grant_type %q is not supported", grant)
	}
	return nil
}

// publicClientCredentials: under its fault a public client may use the
// client_credentials grant whatever it registered.
func (s *Server) publicClientCredentials(c *client, grant string) bool {
	return grant == grantClientCredentials && c.Public() && s.faults[faultCCPublicClient]
}

// writeMissingCodeHTML answers a code exchange refused for its missing code
// with a framework's HTML error page, and reports whether it did.
func (s *Server) writeMissingCodeHTML(w http.ResponseWriter, r *http.Request, err *oauthError) bool {
	if !s.faults[faultTokenMissingCodeHTML] || err.Code != oauthInvalidRequest ||
		r.PostForm.Get("grant_type") != grantAuthorizationCode || r.PostForm.Get("code") != "" {
		return false
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	w.Write([]byte("<!doctype html><title>400 Bad Request</title><h1>Bad Request</h1><p>Required parameter 'code' is missing.</p>\n"))
	return true
}
