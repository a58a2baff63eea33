package mockserver

import "github.com/mcpconform/mcpconform/internal/spec"

// faultRefreshWidenResource lets a refresh reach beyond the resources of
// its grant (RFC 8707 §2.2).
const faultRefreshWidenResource = "as.refresh.widen-resource"

func init() {
	registerFaults(
		Fault{faultRefreshWidenResource, "a refresh issues a token for whatever resource it names, beyond the original grant", spec.Rev20250618},
	)
}
