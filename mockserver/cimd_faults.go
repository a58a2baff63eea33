package mockserver

import (
	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// as.cimd.ignore-documents advertises client ID metadata documents but
// never fetches one: a URL client_id is an unknown client.
func init() {
	registerFaults(
		Fault{fault.ASCIMDIgnoreDocuments, "client ID metadata documents are advertised but a URL client_id is refused as unknown", spec.Rev20251125},
	)
}
