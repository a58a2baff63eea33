package server

import (
	"context"

	"github.com/mcpconform/mcpconform/mockclient"
)

// RegisterProbe sends what a public MCP client registers with, changed by
// edit (nil for none), to the registration endpoint, presenting
// initialAccessToken ("" for none). The registration checks bend one member
// at a time.
func (s *Session) RegisterProbe(ctx context.Context, initialAccessToken string, edit func(metadata map[string]any)) (*mockclient.OAuthAnswer, error) {
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
