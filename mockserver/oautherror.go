package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// OAuth error codes (RFC 6749 §4.1.2.1 and §5.2, RFC 8707 §2).
const (
	oauthInvalidRequest          = "invalid_request"
	oauthInvalidClient           = "invalid_client"
	oauthInvalidGrant            = "invalid_grant"
	oauthUnauthorizedClient      = "unauthorized_client"
	oauthUnsupportedGrantType    = "unsupported_grant_type"
	oauthUnsupportedResponseType = "unsupported_response_type"
	oauthInvalidScope            = "invalid_scope"
	oauthInvalidTarget           = "invalid_target"
	oauthServerError             = "server_error"
	oauthAccessDenied            = "access_denied"
)

// basicChallenge answers a failed client authentication (RFC 6749 §5.2).
const basicChallenge = `Basic realm="mcpconform"`

// oauthError is an OAuth error answer. Its description is for people and
// never carries a secret the request sent.
type oauthError struct {
	Code        string
	Description string
}

func oauthErrorf(code, format string, args ...any) *oauthError {
	return &oauthError{Code: code, Description: fmt.Sprintf(format, args...)}
}

// clientRefusal carries why resolveClient refused a client_id (unknown, or
// a client ID metadata document that failed) as an OAuth error.
func clientRefusal(code string, err error) *oauthError {
	return oauthErrorf(code, "%s", strings.TrimPrefix(err.Error(), "mockserver: "))
}

// Error is also the error_description sent, prefixed like every error
// text of the reference target.
func (e *oauthError) Error() string { return "mockserver: " + e.Description }

// Status is the token endpoint's HTTP status for the error (RFC 6749 §5.2).
func (e *oauthError) Status() int {
	switch e.Code {
	case oauthInvalidClient:
		return http.StatusUnauthorized
	case oauthServerError:
		return http.StatusInternalServerError
	default:
		return http.StatusBadRequest
	}
}

// body is the JSON error document of the token endpoint.
func (e *oauthError) body() map[string]string {
	return map[string]string{"error": e.Code, "error_description": e.Error()}
}

// writeNoStoreJSON answers with a JSON document that no cache may keep, as
// every token endpoint answer must be (RFC 6749 §5.1, §5.2), unless
// cacheable.
func writeNoStoreJSON(w http.ResponseWriter, status int, doc any, cacheable bool) {
	body, err := json.Marshal(doc)
	if err != nil {
		http.Error(w, "mockserver: encode token response", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	// Pragma goes too when cacheable: Go's client turns a lone "Pragma:
	// no-cache" into "Cache-Control: no-cache".
	if !cacheable {
		h.Set("Cache-Control", "no-store")
		h.Set("Pragma", "no-cache")
	}
	w.WriteHeader(status)
	w.Write(body)
}
