package server

import (
	"context"
	"errors"

	"github.com/mcpconform/mcpconform/mockclient"
)

// RegistrationEndpoint is where the authorization server registers clients
// (RFC 7591); an error when it advertises none.
func (s *session) RegistrationEndpoint(ctx context.Context) (string, error) {
	e, err := s.Endpoints(ctx)
	if err != nil {
		return "", err
	}
	if e.Registration == "" {
		return "", errors.New("server: the authorization server advertises no registration endpoint")
	}
	return e.Registration, nil
}

// RegisterProbe sends what a public MCP client registers with, changed by
// edit (nil for none), to the registration endpoint, presenting
// initialAccessToken ("" for none). The registration checks bend one member
// at a time.
func (s *session) RegisterProbe(ctx context.Context, initialAccessToken string, edit func(metadata map[string]any)) (*mockclient.OAuthAnswer, error) {
	endpoint, err := s.RegistrationEndpoint(ctx)
	if err != nil {
		return nil, err
	}
	metadata := publicClientMetadata("mcpconform registration probe")
	if edit != nil {
		edit(metadata)
	}
	return s.client.Register(ctx, endpoint, metadata, initialAccessToken)
}
