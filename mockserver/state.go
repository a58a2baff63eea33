package mockserver

import (
	"crypto/rand"
	"encoding/base64"
	"slices"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// The authorization server's state: registered clients, outstanding codes,
// refresh tokens and the access tokens issued, all in memory and gone with
// the Server. One mutex guards it all: the reference target is not a load
// test, and one lock keeps replay and rotation decisions atomic.

// Client authentication methods (RFC 7591 §2, OpenID Connect Core §9).
const (
	authNone              = "none"
	authClientSecretBasic = "client_secret_basic"
	authClientSecretPost  = "client_secret_post"
	authPrivateKeyJWT     = "private_key_jwt"
)

// Grant and response types the reference supports.
const (
	grantAuthorizationCode = "authorization_code"
	grantRefreshToken      = "refresh_token"
	grantClientCredentials = "client_credentials"
	responseTypeCode       = "code"
)

// Lifetimes.
const (
	codeTTL         = time.Minute
	refreshTokenTTL = time.Hour
)

// client is a registered OAuth client.
type client struct {
	ID            string
	Secret        string // empty for public clients
	SecretExpires time.Time
	RedirectURIs  []string
	GrantTypes    []string
	ResponseTypes []string
	AuthMethod    string
	JWKS          *jose.JSONWebKeySet // for private_key_jwt
	Scope         string
	Name          string
	// MetadataURL is set for a client identified by a client ID metadata
	// document: its client_id is that URL.
	MetadataURL string
	IssuedAt    time.Time
}

// Public reports whether the client has no credentials of its own.
func (c *client) Public() bool { return c.AuthMethod == authNone }

// allows reports whether the client registered the grant type.
func (c *client) allows(grant string) bool { return slices.Contains(c.GrantTypes, grant) }

// authorizationCode is a code handed out by the authorization endpoint.
type authorizationCode struct {
	Value               string
	ClientID            string
	RedirectURI         string
	CodeChallenge       string // empty when the request carried none
	CodeChallengeMethod string
	Resources           []string // RFC 8707 resource indicators
	Scope               string
	Expires             time.Time
	Used                bool
	// IssuedTokens are the access token IDs and refresh tokens issued from
	// this code, revoked if the code is replayed (RFC 6749 §4.1.2).
	IssuedTokens []string
}

// refreshToken is a refresh token and what it may be exchanged for.
type refreshToken struct {
	Value     string
	ClientID  string
	Resources []string
	Scope     string
	Expires   time.Time
	Used      bool // rotated away (public clients) or revoked
}

// issuedToken records an access token the server signed or handed out as
// an opaque value, for revocation and introspection.
type issuedToken struct {
	ID       string // the JWT jti, or the opaque token itself
	ClientID string
	Audience []string
	Scope    string
	Subject  string
	IssuedAt time.Time
	Expires  time.Time
	Revoked  bool
	// ShortLived: issued under WithExpiringTokens, held until it expires.
	ShortLived bool
}

// store is the authorization server's memory.
type store struct {
	mu      sync.Mutex
	clients map[string]*client
	codes   map[string]*authorizationCode
	refresh map[string]*refreshToken
	tokens  map[string]*issuedToken
	// refreshIssued are the refresh tokens issued, in order.
	refreshIssued []string
	// registeredIDs are the client IDs dynamic registration issued, in order.
	registeredIDs []string
}

func newStore() *store {
	return &store{
		clients: map[string]*client{},
		codes:   map[string]*authorizationCode{},
		refresh: map[string]*refreshToken{},
		tokens:  map[string]*issuedToken{},
	}
}

// randomValue is an unguessable identifier: 32 random bytes, base64url.
func randomValue() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("mockserver: no randomness: " + err.Error()) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// addClient registers c.
func (st *store) addClient(c *client) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.clients[c.ID] = c
}

// addRegisteredClient stores a client dynamic registration created.
func (st *store) addRegisteredClient(c *client) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.clients[c.ID] = c
	st.registeredIDs = append(st.registeredIDs, c.ID)
}

// client finds a registered client.
func (st *store) client(id string) (*client, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	c, ok := st.clients[id]
	return c, ok
}

// recordToken remembers an issued access token.
func (st *store) recordToken(t *issuedToken) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.tokens[t.ID] = t
}

// revoke marks access tokens (by ID) and refresh tokens (by value) revoked.
func (st *store) revoke(ids ...string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, id := range ids {
		if t, ok := st.tokens[id]; ok {
			t.Revoked = true
		}
		if rt, ok := st.refresh[id]; ok {
			rt.Used = true
		}
	}
}

// Client is a client registered ahead of time (WithClient), as an
// authorization server's administrator would.
type Client struct {
	ID     string
	Secret string // empty: a public client
	// AuthMethod defaults to none for a public client and
	// client_secret_basic otherwise.
	AuthMethod   string
	RedirectURIs []string
	GrantTypes   []string // default authorization_code and refresh_token
	Scope        string
	JWKS         *jose.JSONWebKeySet // the client's keys for private_key_jwt
}

// registered is the client as the store keeps it, with the defaults filled in.
func (c Client) registered() *client {
	out := &client{
		ID: c.ID, Secret: c.Secret, AuthMethod: c.AuthMethod, RedirectURIs: c.RedirectURIs,
		GrantTypes: c.GrantTypes, ResponseTypes: []string{responseTypeCode}, Scope: c.Scope,
		JWKS: c.JWKS, IssuedAt: time.Now(),
	}
	if out.AuthMethod == "" {
		out.AuthMethod = authNone
		if c.Secret != "" {
			out.AuthMethod = authClientSecretBasic
		}
	}
	if len(out.GrantTypes) == 0 {
		out.GrantTypes = []string{grantAuthorizationCode, grantRefreshToken}
	}
	return out
}
