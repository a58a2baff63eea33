package mockserver

import (
	"net/http"
	"slices"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// MCP sessions (Streamable HTTP, 2025-03-26 to 2025-11-25; 2026-07-28 has
// none): the MCP endpoint assigns an Mcp-Session-Id at initialize, as
// servers of those revisions commonly do. The SDK handler stays stateless
// and ignores the header; the IDs are recorded only under the session fault.

func init() {
	registerFaults(
		Fault{fault.RSSessionAuthorizes, "a request without a token is served when it carries an Mcp-Session-Id the MCP endpoint assigned", spec.Rev20250326},
	)
}

// WithoutSessionIDs makes the MCP endpoint assign no session ID, whatever
// the revision (the specification lets a server do without: MCP 2025-11-25
// transports, session management).
func WithoutSessionIDs() Option {
	return func(c *config) { c.noSessionIDs = true }
}

// assignSessionIDs gives the answer to each initialize request a new
// session ID, in the revisions that have sessions.
func (s *Server) assignSessionIDs(next http.Handler) http.Handler {
	if s.cfg.noSessionIDs || s.revision.AtLeast(spec.Rev20260728) {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			if calls, err := peekCalls(r); err == nil && slices.Contains(calls.methods, "initialize") {
				id := randomValue()
				if s.faults[fault.RSSessionAuthorizes] {
					s.sessions.Store(id, true)
				}
				w.Header().Set("Mcp-Session-Id", id)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// sessionAuthorizes: under its fault, a session ID the endpoint assigned
// stands in for the access token, as if the session had been authorized
// once and for all.
func (s *Server) sessionAuthorizes(r *http.Request) bool {
	if !s.faults[fault.RSSessionAuthorizes] {
		return false
	}
	_, known := s.sessions.Load(r.Header.Get("Mcp-Session-Id"))
	return known
}
