package mockserver

import (
	"encoding/json"
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
		Fault{fault.ASTokenMalformedJSON, "successful token responses are 200 with the first half of their JSON body only", spec.Rev20250326},
		Fault{fault.ASTokenNoAccessToken, "successful token responses are 200 JSON without access_token", spec.Rev20250326},
	)
}

// WithTokenType names token_type in successful token responses instead of
// Bearer: "bearer" (RFC 6749 §5.1: the value is case insensitive) or a type
// MCP clients do not use.
func WithTokenType(tokenType string) Option {
	return func(c *config) { c.tokenType = tokenType }
}

func (s *Server) tokenType() string {
	if s.cfg.tokenType != "" {
		return s.cfg.tokenType
	}
	return "Bearer"
}

// writeTokenResponse answers a successful token request, spoilt as the
// token response faults say.
func (s *Server) writeTokenResponse(w http.ResponseWriter, resp *tokenResponse) {
	noCacheControl := s.faults[fault.ASTokenNoCacheControl]
	switch {
	case s.faults[fault.ASTokenNoAccessToken]:
		resp.AccessToken = ""
	case s.faults[fault.ASTokenMalformedJSON]:
		body, _ := json.Marshal(resp) // plain strings and numbers: never fails
		w.Header().Set("Content-Type", "application/json")
		if !noCacheControl {
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Pragma", "no-cache")
		}
		w.WriteHeader(http.StatusOK)
		w.Write(body[:len(body)/2])
		return
	}
	writeNoStoreJSON(w, http.StatusOK, resp, noCacheControl)
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
