package mockserver

import (
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// IssueAccessToken issues and records a token as the token endpoint would,
// for any audience and scope.
func IssueAccessToken(s *Server, audience []string, scope string) (string, error) {
	token, _, err := s.issueAccessToken(referenceClient, referenceClient, audience, scope)
	return token, err
}

// RevokeAccessToken revokes a token this server issued, as the
// authorization server does when a code is replayed.
func RevokeAccessToken(s *Server, token string) error {
	id, err := s.issuedTokenID(token)
	if err != nil {
		return err
	}
	s.store.revoke(id)
	return nil
}

// ExpireAccessToken makes the record of an issued token expired, as if its
// lifetime had passed.
func ExpireAccessToken(s *Server, token string) error {
	id, err := s.issuedTokenID(token)
	if err != nil {
		return err
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	s.store.tokens[id].Expires = time.Now().Add(-time.Second)
	return nil
}

// ResourceServerCredentials are the client_secret_basic credentials the
// resource server introspects with.
func ResourceServerCredentials(s *Server) (id, secret string) {
	c, ok := s.store.client(resourceServerClient)
	if !ok {
		return "", ""
	}
	return c.ID, c.Secret
}

// SignWithType signs claims with the server's own key under another JOSE
// typ, such as an ID token's.
func SignWithType(s *Server, claims jwt.Claims, scope, typ string) (string, error) {
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: signingAlgorithm, Key: jose.JSONWebKey{Key: s.key.private, KeyID: s.key.keyID}},
		(&jose.SignerOptions{}).WithType(jose.ContentType(typ)),
	)
	if err != nil {
		return "", err
	}
	return jwt.Signed(signer).Claims(accessTokenClaims{Claims: claims, Scope: scope, ClientID: referenceClient}).Serialize()
}
