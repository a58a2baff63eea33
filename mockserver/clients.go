package mockserver

import (
	"fmt"
	"net/http"
)

// resolveClient finds the client a request names.
func (s *Server) resolveClient(r *http.Request, clientID string) (*client, error) {
	if c, ok := s.store.client(clientID); ok {
		return c, nil
	}
	return nil, fmt.Errorf("mockserver: unknown client %q", clientID)
}
