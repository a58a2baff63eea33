package mockserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// A resource server commonly trusts an authorization server it does not
// run; WithTrustedIssuer makes the reference one of those too, so that the
// suite's test issuer can mint the tokens its checks need.

const (
	maxTrustedJWKS = 64 << 10
	// jwksRefetchInterval bounds how often a token with an unknown kid makes
	// the server fetch the trusted JWKS again (key rotation).
	jwksRefetchInterval = time.Second
)

func init() {
	registerFaults(Fault{fault.RSRefuseTrustedIssuer,
		"tokens of the trusted issuer (WithTrustedIssuer) are refused, as if the trust were not configured", spec.Rev20250326})
}

// WithTrustedIssuer makes the MCP endpoint also accept JWT access tokens
// whose iss is issuer, signed by a key the JWKS at jwksURL publishes.
func WithTrustedIssuer(issuer, jwksURL string) Option {
	return func(c *config) { c.trustedIssuer, c.trustedJWKS = issuer, jwksURL }
}

// trustedKeys is the JWKS of the trusted issuer, fetched when a token names
// a kid not seen yet.
type trustedKeys struct {
	url    string
	client *http.Client

	mu      sync.Mutex
	keys    jose.JSONWebKeySet
	fetched time.Time
}

// key returns the trusted issuer's key named kid, or nil when it publishes
// none of that name.
func (t *trustedKeys) key(ctx context.Context, kid string) (*jose.JSONWebKey, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if keys := t.keys.Key(kid); len(keys) > 0 {
		return &keys[0], nil
	}
	if time.Since(t.fetched) < jwksRefetchInterval {
		return nil, nil
	}
	t.fetched = time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.url, nil)
	if err != nil {
		return nil, fmt.Errorf("mockserver: trusted jwks: %w", err)
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("mockserver: trusted jwks: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("mockserver: trusted jwks answered %d", resp.StatusCode)
	}
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxTrustedJWKS)).Decode(&set); err != nil {
		return nil, fmt.Errorf("mockserver: trusted jwks: %w", err)
	}
	t.keys = set
	if keys := t.keys.Key(kid); len(keys) > 0 {
		return &keys[0], nil
	}
	return nil, nil
}

// verificationKey picks the key a token naming kid must be signed with and
// the issuer that key speaks for: the server's own, or the trusted
// issuer's.
func (s *Server) verificationKey(ctx context.Context, kid string) (key any, issuer string, err error) {
	if kid == "" || kid == s.key.keyID || s.trusted == nil || s.faults[fault.RSRefuseTrustedIssuer] {
		return &s.key.private.PublicKey, s.issuer, nil
	}
	trusted, err := s.trusted.key(ctx, kid)
	if err != nil {
		return nil, "", err
	}
	if trusted == nil {
		return nil, "", errors.New("mockserver: access token signed by an unknown key")
	}
	return trusted.Key, s.cfg.trustedIssuer, nil
}
