package mockserver

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Faults that break the standard MCP flow itself, as servers that never
// implemented a piece of it do.
func init() {
	registerFaults(
		Fault{fault.ASResourceRejected, "the authorization and token endpoints refuse every resource parameter with invalid_target (no RFC 8707 support)", spec.Rev20250618},
		Fault{fault.RSExpectsOriginAudience, "the MCP endpoint expects its origin, not its URL, as token audience and so refuses correctly issued tokens", spec.Rev20250618},
	)
}
