package mockserver

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	_ "crypto/sha256" // registers crypto.SHA256 for key thumbprints
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

const (
	requiredScope    = "mcp:tools"
	referenceClient  = "mcpconform-reference"
	accessTokenTTL   = 5 * time.Minute
	accessTokenType  = "at+jwt" // RFC 9068 §2.1
	signingAlgorithm = jose.ES256
)

// accessTokenClaims is an RFC 9068 JWT access token.
type accessTokenClaims struct {
	jwt.Claims
	Scope    string `json:"scope,omitempty"`
	ClientID string `json:"client_id,omitempty"`
}

// signingKey is the authorization server's token key, made fresh for every
// Run so no token outlives its server.
type signingKey struct {
	private *ecdsa.PrivateKey
	keyID   string
	signer  jose.Signer
}

func newSigningKey() (*signingKey, error) {
	private, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("mockserver: generate signing key: %w", err)
	}
	public := jose.JSONWebKey{Key: &private.PublicKey}
	thumbprint, err := public.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("mockserver: key thumbprint: %w", err)
	}
	keyID := base64.RawURLEncoding.EncodeToString(thumbprint)
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: signingAlgorithm, Key: jose.JSONWebKey{Key: private, KeyID: keyID}},
		(&jose.SignerOptions{}).WithType(accessTokenType),
	)
	if err != nil {
		return nil, fmt.Errorf("mockserver: signer: %w", err)
	}
	return &signingKey{private: private, keyID: keyID, signer: signer}, nil
}

func (k *signingKey) sign(claims accessTokenClaims) (string, error) {
	token, err := jwt.Signed(k.signer).Claims(claims).Serialize()
	if err != nil {
		return "", fmt.Errorf("mockserver: sign access token: %w", err)
	}
	return token, nil
}

// verify checks the signature and returns the claims; the caller judges them.
func (k *signingKey) verify(token string) (*accessTokenClaims, error) {
	parsed, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{signingAlgorithm})
	if err != nil {
		return nil, fmt.Errorf("mockserver: parse access token: %w", err)
	}
	var claims accessTokenClaims
	if err := parsed.Claims(&k.private.PublicKey, &claims); err != nil {
		return nil, fmt.Errorf("mockserver: access token signature: %w", err)
	}
	return &claims, nil
}

func (k *signingKey) jwks() jose.JSONWebKeySet {
	return jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
		Key:       &k.private.PublicKey,
		KeyID:     k.keyID,
		Algorithm: string(signingAlgorithm),
		Use:       "sig",
	}}}
}

func (s *Server) serveJWKS(w http.ResponseWriter, _ *http.Request) {
	body, err := json.Marshal(s.key.jwks())
	if err != nil {
		http.Error(w, "mockserver: encode jwks", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

// issueAccessToken makes an access token for client, valid at the audience
// resources, records it, and returns it with its ID: an RFC 9068 JWT, or
// with WithOpaqueTokens a random value that is its own ID.
func (s *Server) issueAccessToken(clientID, subject string, audience []string, scope string) (token, id string, err error) {
	return s.issueAccessTokenFor(accessTokenTTL, clientID, subject, audience, scope)
}

// issueAccessTokenFor is issueAccessToken for a token living lifetime. The
// record's expiry is exact; the JWT's exp is rounded up to whole seconds.
func (s *Server) issueAccessTokenFor(lifetime time.Duration, clientID, subject string, audience []string, scope string) (token, id string, err error) {
	now := time.Now()
	rec := &issuedToken{ID: randomValue(), ClientID: clientID, Subject: subject, Audience: audience,
		Scope: scope, IssuedAt: now, Expires: now.Add(lifetime), ShortLived: lifetime < accessTokenTTL}
	token = rec.ID
	if !s.cfg.opaqueTokens {
		token, err = s.key.sign(accessTokenClaims{
			Claims: jwt.Claims{
				Issuer: s.issuer, Subject: subject, Audience: jwt.Audience(audience),
				IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(ceilSecond(rec.Expires)), ID: rec.ID,
			},
			Scope: scope, ClientID: clientID,
		})
		if err != nil {
			return "", "", err
		}
	}
	s.store.recordToken(rec)
	return token, rec.ID, nil
}

// MintAccessToken signs an access token the MCP endpoint accepts: issued by
// IssuerURL, for MCPURL, valid for five minutes. Without scopes it carries
// the scope the endpoint requires; with scopes it carries exactly those, so
// a test can provoke insufficient_scope.
func (s *Server) MintAccessToken(scopes ...string) (string, error) {
	if len(scopes) == 0 {
		scopes = []string{requiredScope}
	}
	token, _, err := s.issueAccessToken(referenceClient, referenceClient, []string{s.resource}, strings.Join(scopes, " "))
	return token, err
}
