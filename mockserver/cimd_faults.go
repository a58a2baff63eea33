package mockserver

import "github.com/mcpconform/mcpconform/internal/spec"

// faultCIMDIgnoreDocuments advertises client ID metadata documents but
// never fetches one: a URL client_id is an unknown client.
const faultCIMDIgnoreDocuments = "as.cimd.ignore-documents"

func init() {
	registerFaults(
		Fault{faultCIMDIgnoreDocuments, "client ID metadata documents are advertised but a URL client_id is refused as unknown", spec.Rev20251125},
	)
}
