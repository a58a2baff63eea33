package mockserver

import (
	"net/http"
	"slices"
	"strings"
)

// WithAuthorizationAfterInitialize lets an MCP request without a token
// through when it only initializes (initialize and notifications); any
// other request without one is answered 401 with the usual challenge. A
// client meets the challenge at tools/list, not at its first request.
func WithAuthorizationAfterInitialize() Option {
	return func(c *config) { c.authorizationAfterInitialize = true }
}

// initializesOnly reports whether r, sent without a token, may pass under
// WithAuthorizationAfterInitialize.
func (s *Server) initializesOnly(r *http.Request) bool {
	if !s.cfg.authorizationAfterInitialize || r.Method != http.MethodPost {
		return false
	}
	calls, err := peekCalls(r)
	if err != nil || len(calls.methods) == 0 {
		return false
	}
	return !slices.ContainsFunc(calls.methods, func(m string) bool {
		return m != "initialize" && !strings.HasPrefix(m, "notifications/")
	})
}
