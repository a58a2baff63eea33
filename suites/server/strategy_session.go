package server

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/mcpconform/mcpconform/mockclient"
)

// What the target config supplies where the run cannot get it itself: a
// client registered in advance, for an authorization server without
// dynamic registration, and an access token, for resource server checks
// when no flow can run.
type fallback struct {
	client      mockclient.ClientAuth
	accessToken string
}

// Prepare spends a limited authorization strategy (manual) on the standard
// flow before any check runs: it is what most checks needing an
// authorization build on.
func (s *Session) Prepare(ctx context.Context) {
	if s.client.AuthorizationLimited() {
		s.Tokens(ctx)
	}
}

// preregistered is the configured client, for the public role when it
// authenticates with none and the confidential role otherwise; ok only
// where the authorization server advertises no registration endpoint, so
// the suite registers its own clients wherever it can.
func (s *Session) preregistered(ctx context.Context, public bool) (c *registeredClient, ok bool) {
	configured := s.fallback.client
	if configured.ID == "" || (configured.Method == "none") != public {
		return nil, false
	}
	if _, err := s.RegistrationEndpoint(ctx); !errors.Is(err, errNoRegistration) {
		return nil, false
	}
	return &registeredClient{OAuthAnswer: &mockclient.OAuthAnswer{Response: &mockclient.Response{}},
		ID: configured.ID, Secret: configured.Secret, AuthMethod: configured.Method}, true
}

// UsableToken is the standard flow's token or, where that flow cannot run
// and the target config supplies an access token, a flow holding only that
// token: what the resource server checks present as a token the server
// accepts. Checks of what the flow itself issued use Tokens.
func (s *Session) UsableToken(ctx context.Context) (*flow, error) {
	f, err := s.Tokens(ctx)
	if err == nil || s.fallback.accessToken == "" {
		return f, err
	}
	token, err := json.Marshal(s.fallback.accessToken)
	if err != nil {
		return f, err
	}
	return &flow{OAuthAnswer: &mockclient.OAuthAnswer{Response: &mockclient.Response{},
		Members: map[string]json.RawMessage{"access_token": token}}}, nil
}
