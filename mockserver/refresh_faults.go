package mockserver

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// as.refresh.widen-resource lets a refresh reach beyond the resources of
// its grant (RFC 8707 §2.2).
func init() {
	registerFaults(
		Fault{fault.ASRefreshWidenResource, "a refresh issues a token for whatever resource it names, beyond the original grant", spec.Rev20250618},
	)
}
