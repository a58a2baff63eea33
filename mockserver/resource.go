package mockserver

import "github.com/mcpconform/mcpconform/internal/fault"

// WithOriginResource makes the protected resource the MCP server's origin
// rather than its URL, as a server protecting its whole origin names it
// (MCP 2025-06-18 on): its metadata, at the root well-known URL only (the
// one RFC 9728 §3.3 lets name the origin), says so; the authorization
// server serves that resource, and the MCP endpoint accepts only tokens
// for it. Metadata found through a challenge must name the request's URL
// itself (RFC 9728 §3.3), so a client should meet this one through the
// well-known URLs: pair it with rs.challenge-no-resource-metadata.
func WithOriginResource() Option {
	return func(c *config) { c.originResource = true }
}

// prmAtRootOnly: the protected resource metadata is served only at the
// root well-known URL, which the challenge names.
func (s *Server) prmAtRootOnly() bool { return s.faults[fault.RSPRMRootOnly] || s.cfg.originResource }
