package mockserver

import (
	"fmt"
	"slices"

	"github.com/mcpconform/mcpconform/internal/spec"
)

// Step-up authorization at runtime (MCP 2025-11-25 on). A client generally
// initializes and then lists the tools, so client-mode scenarios raise the
// scope tools/list needs: a client holding only the scope of the 401
// challenge meets a 403 insufficient_scope it should step up from.

// toolListMethod is the JSON-RPC method the step-up options guard.
const toolListMethod = "tools/list"

// WithScopeForToolList makes tools/list need scope besides the one every
// MCP request needs. A token without it is answered 403 insufficient_scope,
// the challenge naming every scope the request needs. scope must be one
// the authorization server grants (its scopes_supported).
func WithScopeForToolList(scope string) Option {
	return func(c *config) { c.toolListScope = scope }
}

// WithScopeOnlyForTools makes the MCP endpoint enforce scope per tool
// alone, as MCP allows: initialize and tools/list serve a valid token
// without any scope, write_note still needs mcp:write, and the 401
// challenge still names the scope a client should ask for.
func WithScopeOnlyForTools() Option {
	return func(c *config) { c.scopeOnlyForTools = true }
}

// WithToolListAlwaysInsufficient answers tools/list 403 insufficient_scope
// whatever the token holds, naming the scopes tools/list needs: no step-up
// ever helps, so a client has to give up.
func WithToolListAlwaysInsufficient() Option {
	return func(c *config) { c.toolListInsufficient = true }
}

// WithChallengeOmittingHeldScopes makes an insufficient_scope challenge
// name only the scopes the token lacks, from 2026-07-28 on: that revision
// lets a server leave out the scopes it granted already, and makes keeping
// them the client's part (it asks for the union of the scopes it held and
// those challenged). 2025-11-25 asks a server to name the granted scopes
// the request needs too, so before 2026-07-28 the option changes nothing.
func WithChallengeOmittingHeldScopes() Option {
	return func(c *config) { c.challengeOmitsHeld = true }
}

// checkStepUp refuses a tools/list scope the authorization server would
// never grant: no client could step up to it.
func (c *config) checkStepUp() error {
	if c.toolListScope != "" && !slices.Contains(supportedScopes, c.toolListScope) {
		return fmt.Errorf("mockserver: tools/list scope %q is not one the authorization server grants (%v)", c.toolListScope, supportedScopes)
	}
	return nil
}

// challengedScopes are the scopes an insufficient_scope challenge names for
// a request needing needed: all of them, or under
// WithChallengeOmittingHeldScopes from 2026-07-28 on those the token lacks
// (all of them when it lacks none, refused anyway).
func (s *Server) challengedScopes(needed []string, lacks func(string) bool) []string {
	if !s.cfg.challengeOmitsHeld || !s.revision.AtLeast(spec.Rev20260728) {
		return needed
	}
	if missing := slices.DeleteFunc(slices.Clone(needed), func(sc string) bool { return !lacks(sc) }); len(missing) > 0 {
		return missing
	}
	return needed
}
