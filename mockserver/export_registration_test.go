package mockserver

import (
	"context"
	"net/http"
)

// ResolveClient resolves a client_id as the authorization and token
// endpoints do.
func ResolveClient(ctx context.Context, s *Server, clientID string) (*client, error) {
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, s.authorizationEndpoint(), nil)
	if err != nil {
		return nil, err
	}
	return s.resolveClient(r, clientID)
}
