package catalog

import (
	"fmt"

	"github.com/mcpconform/mcpconform/internal/spec"
)

// mcp cites a section of the MCP authorization specification of one
// revision; page is the path below basic/ (the 2026 revisions split the
// authorization page in four).
func mcp(rev spec.Revision, page, anchor, section string) Ref {
	return Ref{
		Label: fmt.Sprintf("MCP %s: %s", rev, section),
		URL:   fmt.Sprintf("https://modelcontextprotocol.io/specification/%s/basic/%s#%s", rev, page, anchor),
	}
}

// rfc cites an RFC section.
func rfc(number int, section string) Ref {
	return Ref{
		Label: fmt.Sprintf("RFC %d §%s", number, section),
		URL:   fmt.Sprintf("https://www.rfc-editor.org/rfc/rfc%d.html#section-%s", number, section),
	}
}

// oidcDiscovery cites OpenID Connect Discovery 1.0.
func oidcDiscovery(section, anchor string) Ref {
	return Ref{
		Label: "OpenID Connect Discovery 1.0 §" + section,
		URL:   "https://openid.net/specs/openid-connect-discovery-1_0.html#" + anchor,
	}
}

// Pages of the MCP authorization specification.
const (
	pageAuthorization   = "authorization"
	pageServerDiscovery = "authorization/authorization-server-discovery"
	pageIndex           = "authorization/index"
	pageSecurity        = "authorization/security-considerations"
)
