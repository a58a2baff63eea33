package mockserver

import (
	"context"
	"fmt"
	"net/http"
)

// An MCP server may move to another authorization server (MCP 2026-07-28,
// SEP-2352): its protected resource metadata then names the new one, and a
// client must discover it, register there and never take what the old one
// issued to it.

// WithAuthorizationServerMigration runs a second authorization server on a
// listener of its own. Once the MCP endpoint has served a request with an
// access token of the first, its protected resource metadata names the
// second alone, and it refuses the first's tokens (401 invalid_token) and
// takes the second's. From 2025-06-18 on: the authorization server must be
// a party of its own.
func WithAuthorizationServerMigration() Option {
	return func(c *config) { c.migration = true }
}

// NextAuthorizationServer is the authorization server the MCP server moves
// to under WithAuthorizationServerMigration; nil otherwise. The requests it
// receives are logged and captured with this server's.
func (s *Server) NextAuthorizationServer() *Server { return s.next }

// Migrated reports whether the MCP server has moved to the next
// authorization server.
func (s *Server) Migrated() bool { return s.migrated.Load() }

// startNextAuthorizationServer starts WithAuthorizationServerMigration's
// second authorization server and trusts its tokens.
func (s *Server) startNextAuthorizationServer(ctx context.Context) error {
	if !s.cfg.migration {
		return nil
	}
	next, err := s.startSecondAuthorizationServer(ctx, "an authorization server migration")
	if err != nil {
		return err
	}
	s.next = next
	s.trusted = &trustedKeys{url: next.jwksURL, client: newBackchannelClient(nil)}
	s.cfg.trustedIssuer = next.issuer
	return nil
}

// startSecondAuthorizationServer starts an authorization server of its own
// for this server's MCP endpoint, for the scenario named what.
func (s *Server) startSecondAuthorizationServer(ctx context.Context, what string) (*Server, error) {
	if !s.ownAuthorizationServerListener() {
		return nil, fmt.Errorf("mockserver: %s needs protected resource metadata (2025-06-18 on)", what)
	}
	second, err := Run(ctx, WithRevision(s.revision), func(c *config) { c.resourceServer = s })
	if err != nil {
		return nil, fmt.Errorf("mockserver: %s: second authorization server: %w", what, err)
	}
	return second, nil
}

// currentIssuer is the authorization server the MCP server uses now.
func (s *Server) currentIssuer() string {
	if s.migrated.Load() {
		return s.next.issuer
	}
	return s.issuer
}

// movedAwayFrom reports whether the MCP server no longer takes issuer's
// tokens.
func (s *Server) movedAwayFrom(issuer string) bool {
	return s.migrated.Load() && issuer == s.issuer
}

// migrate moves to the next authorization server once a request with a
// token of the first is served: the client has authorized there.
func (s *Server) migrate(r *http.Request) {
	if s.next != nil && s.migrated.CompareAndSwap(false, true) {
		decide(r, "served; from now on the authorization server is %s", s.next.issuer)
	}
}
