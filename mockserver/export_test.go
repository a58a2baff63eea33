package mockserver

import "github.com/go-jose/go-jose/v4/jwt"

// SignAccessToken signs any claims with the server's own key, so tests can
// make tokens that are wrong in exactly one way.
func SignAccessToken(s *Server, claims jwt.Claims, scope string) (string, error) {
	return s.key.sign(accessTokenClaims{Claims: claims, Scope: scope, ClientID: referenceClient})
}
