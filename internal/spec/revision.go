// Package spec holds the vocabulary shared by every part of mcpconform: MCP
// specification revisions, check roles, levels and severities, and the
// per-revision rules for where metadata lives.
package spec

import (
	"fmt"
	"slices"
)

// Revision is a dated MCP specification revision, or "draft".
type Revision string

const (
	Rev20250326 Revision = "2025-03-26"
	Rev20250618 Revision = "2025-06-18"
	Rev20251125 Revision = "2025-11-25"
	Rev20260728 Revision = "2026-07-28"
	RevDraft    Revision = "draft"
)

// Revisions lists every revision with an authorization specification, oldest first.
var Revisions = []Revision{Rev20250326, Rev20250618, Rev20251125, Rev20260728, RevDraft}

// Latest is the newest published (dated) revision: the default for a run.
const Latest = Rev20260728

// ParseRevision accepts one of Revisions.
func ParseRevision(s string) (Revision, error) {
	r := Revision(s)
	if !slices.Contains(Revisions, r) {
		return "", fmt.Errorf("spec: unknown revision %q (known: %v)", s, Revisions)
	}
	return r, nil
}

// AtLeast reports whether r is the same revision as min or a later one.
func (r Revision) AtLeast(min Revision) bool {
	return slices.Index(Revisions, r) >= slices.Index(Revisions, min)
}

// From lists min and every later revision.
func From(min Revision) []Revision {
	return Revisions[slices.Index(Revisions, min):]
}

// Only lists exactly the given revisions, for requirements dropped later.
func Only(revs ...Revision) []Revision { return revs }

// Discovery rules, one place for the timeline (see shared/spec/spec-revisions.md).

// UsesProtectedResourceMetadata: from 2025-06-18 the MCP server is a resource
// server that points to its authorization servers through RFC 9728 metadata;
// before that the MCP server's origin is the authorization server.
func (r Revision) UsesProtectedResourceMetadata() bool { return r.AtLeast(Rev20250618) }

// ChallengeMustNameMetadata: 2025-06-18 requires resource_metadata on every
// 401; later revisions accept the header or the well-known URL.
func (r Revision) ChallengeMustNameMetadata() bool { return r == Rev20250618 }

// AllowsOpenIDDiscovery: from 2025-11-25 an authorization server may publish
// OpenID Connect discovery instead of RFC 8414 metadata.
func (r Revision) AllowsOpenIDDiscovery() bool { return r.AtLeast(Rev20251125) }

// FallsBackToRootMetadata: from 2025-11-25 a client without a challenge URL
// tries the path-inserted then the root protected resource metadata URL.
func (r Revision) FallsBackToRootMetadata() bool { return r.AtLeast(Rev20251125) }
