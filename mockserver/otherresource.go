package mockserver

import (
	"slices"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// otherResourcePath is where, on the MCP server's origin, the second
// resource of the authorization server lives: a sibling of the MCP
// endpoint, as another MCP server of the same deployment would be.
const otherResourcePath = "/other-mcp"

func init() {
	registerFaults(
		Fault{fault.RSAcceptOtherResource, "the MCP endpoint accepts access tokens its authorization server issued for its other resource (OtherResourceURL)", spec.Rev20250618},
	)
}

// OtherResourceURL is a second resource the authorization server issues
// access tokens for (RFC 8707), whose tokens the MCP endpoint refuses: what
// a run names with --other-resource.
func (s *Server) OtherResourceURL() string { return s.otherResource }

// servesResource reports whether the authorization server issues tokens
// for resource.
func (s *Server) servesResource(resource string) bool {
	return resource == s.resource || resource == s.otherResource
}

// acceptsOtherResource reports whether rs.accept-other-resource lets a
// token for audience through: one for the other resource.
func (s *Server) acceptsOtherResource(audience []string) bool {
	return s.faults[fault.RSAcceptOtherResource] && slices.Contains(audience, s.otherResource)
}
