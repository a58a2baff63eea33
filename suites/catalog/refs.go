package catalog

import (
	"fmt"

	"github.com/mcpconform/mcpconform/internal/spec"
)

// Ref cites a requirement. A citation of the MCP specification follows the
// revision: sections moved between pages and anchors over time.
type Ref struct {
	Label   string `json:"label"`
	URL     string `json:"url"`
	section *mcpSection
}

// For resolves the reference for revision r.
func (r Ref) For(rev spec.Revision) Ref {
	if r.section == nil {
		return r
	}
	return r.section.ref(rev)
}

// RefsFor lists the check's references as they read in revision r, leaving
// out MCP sections that revision does not have yet.
func (c Check) RefsFor(r spec.Revision) []Ref {
	var out []Ref
	for _, ref := range c.Refs {
		if ref.section == nil || r.AtLeast(ref.section.since) {
			out = append(out, ref.For(r))
		}
	}
	return out
}

// mcpSection is a section of the MCP authorization specification. Until
// 2025-11-25 it is one page; from 2026-07-28 on it is split in four.
type mcpSection struct {
	title    string
	since    spec.Revision            // the first revision with this section
	page     string                   // below basic/authorization/ from 2026-07-28 on
	anchor   string                   // the anchor in the newest revisions
	anchorIn map[spec.Revision]string // where older revisions used another anchor
}

func (s *mcpSection) ref(rev spec.Revision) Ref {
	page := "authorization"
	if rev.AtLeast(spec.Rev20260728) {
		page += "/" + s.page
	}
	anchor := s.anchor
	if a, ok := s.anchorIn[rev]; ok {
		anchor = a
	}
	return Ref{
		Label:   fmt.Sprintf("MCP %s: %s", rev, s.title),
		URL:     fmt.Sprintf("https://modelcontextprotocol.io/specification/%s/basic/%s#%s", rev, page, anchor),
		section: s,
	}
}

// The sections the catalogue cites.
var (
	mcpOverview   = &mcpSection{title: "Overview", page: "index", anchor: "overview"}
	mcpErrors     = &mcpSection{title: "Error handling", page: "index", anchor: "error-handling"}
	mcpTokens     = &mcpSection{title: "Token requirements", page: "index", anchor: "token-requirements"}
	mcpScopes     = &mcpSection{title: "Scope selection strategy", page: "index", anchor: "scope-selection-strategy"}
	mcpBaseURL    = &mcpSection{title: "Authorization base URL", anchor: "authorization-base-url"}
	mcpPKCE       = &mcpSection{title: "Authorization code protection", page: "security-considerations", anchor: "authorization-code-protection"}
	mcpASLocation = &mcpSection{title: "Authorization server location", page: "authorization-server-discovery",
		anchor: "authorization-server-location"}
	mcpPRMDiscovery = &mcpSection{title: "Protected resource metadata discovery requirements",
		page: "authorization-server-discovery", anchor: "protected-resource-metadata-discovery-requirements",
		anchorIn: map[spec.Revision]string{spec.Rev20250618: "authorization-server-location"}}
	mcpASMetadata = &mcpSection{title: "Authorization server metadata discovery",
		page: "authorization-server-discovery", anchor: "authorization-server-metadata-discovery",
		anchorIn: map[spec.Revision]string{spec.Rev20250618: "server-metadata-discovery", spec.Rev20250326: "2-3-server-metadata-discovery"}}
	mcpDCR = &mcpSection{title: "Dynamic client registration", page: "client-registration",
		anchor: "dynamic-client-registration", anchorIn: map[spec.Revision]string{spec.Rev20250326: "2-4-dynamic-client-registration"}}
	mcpApplicationType = &mcpSection{title: "Application type and redirect URI constraints", since: spec.Rev20260728,
		page: "client-registration", anchor: "application-type-and-redirect-uri-constraints"}
	mcpCommSecurity = &mcpSection{title: "Communication security", page: "security-considerations",
		anchor: "communication-security", anchorIn: map[spec.Revision]string{spec.Rev20250326: "2-7-security-considerations"}}
	mcpTokenHandling = &mcpSection{title: "Token handling", page: "index", anchor: "token-handling",
		anchorIn: map[spec.Revision]string{spec.Rev20250326: "2-6-2-token-handling"}}
	mcpInsufficientScope = &mcpSection{title: "Runtime insufficient scope errors", since: spec.Rev20251125,
		page: "index", anchor: "runtime-insufficient-scope-errors"}
)

// The sections the authorization code checks cite.
var (
	mcpOpenRedirect = &mcpSection{title: "Open redirection", since: spec.Rev20250618,
		page: "security-considerations", anchor: "open-redirection"}
	mcpResourceParameter = &mcpSection{title: "Resource parameter implementation", since: spec.Rev20250618,
		page: "index", anchor: "resource-parameter-implementation"}
	mcpAudienceBinding = &mcpSection{title: "Token audience binding and validation", since: spec.Rev20250618,
		page: "security-considerations", anchor: "token-audience-binding-and-validation"}
	mcpResponseValidation = &mcpSection{title: "Authorization response validation", since: spec.Rev20260728,
		page: "index", anchor: "authorization-response-validation"}
)

// The sections the token endpoint checks cite.
var (
	mcpTokenTheft = &mcpSection{title: "Token theft", since: spec.Rev20250618,
		page: "security-considerations", anchor: "token-theft"}
	// mcpImplementation is a section of 2025-03-26 only.
	mcpImplementation = &mcpSection{title: "Implementation requirements", anchor: "2-9-implementation-requirements"}
)

// The sections the client ID metadata document checks cite.
var (
	mcpCIMDRequirements = &mcpSection{title: "Client ID metadata documents: implementation requirements", since: spec.Rev20251125,
		page: "client-registration", anchor: "implementation-requirements"}
	mcpCIMDAbuse = &mcpSection{title: "Authorization server abuse protection", since: spec.Rev20251125,
		page: "security-considerations", anchor: "authorization-server-abuse-protection"}
)

// mcpSessionHijacking cites the security best practices on session
// hijacking, in the newest revision with sessions (2026-07-28 has none).
var mcpSessionHijacking = Ref{
	Label: "MCP 2025-11-25 security best practices: session hijacking",
	URL:   "https://modelcontextprotocol.io/specification/2025-11-25/basic/security_best_practices#session-hijacking",
}

// mcp cites an MCP section (resolved per revision when reported).
func mcp(s *mcpSection) Ref { return s.ref(spec.Latest) }

// rfc cites an RFC section.
func rfc(number int, section string) Ref {
	return Ref{
		Label: fmt.Sprintf("RFC %d §%s", number, section),
		URL:   fmt.Sprintf("https://www.rfc-editor.org/rfc/rfc%d.html#section-%s", number, section),
	}
}

// oauth21 cites OAuth 2.1 in the draft the MCP specification cites.
func oauth21(section string) Ref {
	return Ref{
		Label: "OAuth 2.1 (draft-ietf-oauth-v2-1-13) §" + section,
		URL:   "https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1-13#section-" + section,
	}
}

// cimdDraft cites the OAuth Client ID Metadata Document draft in the
// version the newest MCP revision cites (2025-11-25 cites -00, whose
// sections are numbered otherwise).
func cimdDraft(section string) Ref {
	return Ref{
		Label: "draft-ietf-oauth-client-id-metadata-document-02 §" + section,
		URL:   "https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-02#section-" + section,
	}
}

// oidcDiscovery cites OpenID Connect Discovery 1.0.
func oidcDiscovery(section, anchor string) Ref {
	return Ref{
		Label: "OpenID Connect Discovery 1.0 §" + section,
		URL:   "https://openid.net/specs/openid-connect-discovery-1_0.html#" + anchor,
	}
}

// extClientCredentials cites a section of MCP's OAuth client credentials
// extension (io.modelcontextprotocol/oauth-client-credentials).
func extClientCredentials(title, anchor string) Ref {
	return Ref{
		Label: "MCP OAuth client credentials extension: " + title,
		URL:   "https://github.com/modelcontextprotocol/ext-auth/blob/main/specification/draft/oauth-client-credentials.mdx#" + anchor,
	}
}
