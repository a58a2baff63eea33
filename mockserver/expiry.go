package mockserver

import (
	"net/http"
	"time"
)

// Access tokens that expire while a client uses them, so that a client
// holding a refresh token has to refresh: the client-mode refresh
// scenario.

const (
	// shortTokenTTL is the lifetime of a short-lived access token: the
	// least a whole expires_in can declare.
	shortTokenTTL = time.Second
	// expiryMargin is how long after a short-lived token's expiry a request
	// it carried is answered: past the expiry a client computes from
	// expires_in and the time it received the token response.
	expiryMargin = 250 * time.Millisecond
)

// WithExpiringTokens makes the first n access tokens the token endpoint
// issues for an authorization code or a refresh token short-lived: each
// declares expires_in 1, and the MCP endpoint refuses it as expired (401
// invalid_token) once that second is over. A request carrying one while it
// is valid is answered only after it expired, so the client's next request
// finds it expired, without the client waiting of its own: a client that
// refreshes when the token expires (by its clock or on the 401) refreshes,
// one that does not meets the 401. Later tokens live as usual.
func WithExpiringTokens(n int) Option {
	return func(c *config) { c.expiringTokens = n }
}

// WithoutRefreshTokens issues no refresh token for any grant, and leaves
// refresh_token out of grant_types_supported: a client must not count on
// one (MCP 2026-07-28, refresh tokens).
func WithoutRefreshTokens() Option {
	return func(c *config) { c.noRefreshTokens = true }
}

// WithRefreshRotation rotates every client's refresh token when it is used,
// a confidential client's too (RFC 6749 §6 lets the server issue a new one;
// the client must then discard the old one). By default only public
// clients' refresh tokens rotate (OAuth 2.1 §4.3.1).
func WithRefreshRotation() Option {
	return func(c *config) { c.rotateRefreshTokens = true }
}

// grantTokenLifetime is the lifetime of the next access token issued for a
// grant: short while WithExpiringTokens has some left.
func (s *Server) grantTokenLifetime() time.Duration {
	if int(s.expiringIssued.Add(1)) <= s.cfg.expiringTokens {
		return shortTokenTTL
	}
	return accessTokenTTL
}

// ceilSecond is t rounded up to a whole second, so that a JWT's exp (whole
// seconds) never ends a token before its record does.
func ceilSecond(t time.Time) time.Time {
	if rounded := t.Truncate(time.Second); rounded.Before(t) {
		return rounded.Add(time.Second)
	}
	return t
}

// holdUntilExpired delays the answer to a request carrying a short-lived
// access token until the token has expired (plus expiryMargin). It reports
// false when the request ended meanwhile.
func (s *Server) holdUntilExpired(r *http.Request, token string) bool {
	if s.cfg.expiringTokens == 0 {
		return true
	}
	id, err := s.issuedTokenID(token)
	if err != nil {
		return true
	}
	rec, ok := s.store.tokenRecord(id)
	if !ok || !rec.ShortLived {
		return true
	}
	decide(r, "short-lived access token: answered once it has expired")
	timer := time.NewTimer(time.Until(rec.Expires) + expiryMargin)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// IssuedRefreshTokens are the refresh tokens the token endpoint issued, in
// order: what client mode looks for in everything a client sent.
func (s *Server) IssuedRefreshTokens() []string {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	return append([]string(nil), s.store.refreshIssued...)
}
