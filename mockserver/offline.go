package mockserver

import (
	"slices"
	"strings"
)

// offlineAccessScope asks the authorization server for a refresh token
// (OpenID Connect Core 1.0 §11). It is the authorization server's scope,
// not the protected resource's: the protected resource metadata and the
// challenges never name it (MCP 2026-07-28, refresh tokens).
const offlineAccessScope = "offline_access"

// WithOfflineAccess makes the authorization server list offline_access in
// its metadata's scopes_supported and grant it when asked, besides the
// resource's scopes. Without it the metadata does not list it, and an
// authorization request asking for it is granted the rest of its scope
// (RFC 6749 §3.3 lets the server grant less than asked), as servers that
// do not know the scope commonly do.
func WithOfflineAccess() Option {
	return func(c *config) { c.offlineAccess = true }
}

// WithRefreshOnlyForOfflineAccess is WithOfflineAccess whose code
// exchanges issue a refresh token only for a grant that includes
// offline_access, as OpenID providers do (OpenID Connect Core §11).
func WithRefreshOnlyForOfflineAccess() Option {
	return func(c *config) { c.offlineAccess, c.refreshOnlyForOfflineAccess = true, true }
}

// issuesRefreshTokenFor reports whether a code exchange of a grant of scope
// comes with a refresh token.
func (s *Server) issuesRefreshTokenFor(scope string) bool {
	return !s.cfg.refreshOnlyForOfflineAccess || slices.Contains(strings.Fields(scope), offlineAccessScope)
}

// authorizationServerScopes are the authorization server metadata's
// scopes_supported.
func (s *Server) authorizationServerScopes() []string {
	if s.cfg.offlineAccess {
		return append(slices.Clone(supportedScopes), offlineAccessScope)
	}
	return supportedScopes
}

// grantableAuthorizationScope is what an authorization request asking for
// requested is granted: grantableScope of the resource's scopes, plus
// offline_access when asked for and WithOfflineAccess grants it.
func (s *Server) grantableAuthorizationScope(c *client, requested string) (string, *oauthError) {
	fields := strings.Fields(requested)
	asked := slices.Contains(fields, offlineAccessScope)
	rest := slices.DeleteFunc(fields, func(f string) bool { return f == offlineAccessScope })
	scope, err := grantableScope(c, strings.Join(rest, " "))
	if err != nil || !asked || !s.cfg.offlineAccess {
		return scope, err
	}
	return scope + " " + offlineAccessScope, nil
}
