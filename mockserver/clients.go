package mockserver

import (
	"fmt"
	"net/http"

	"github.com/mcpconform/mcpconform/internal/fault"
)

// resolveClient finds the client a request names: one registered (by
// dynamic registration or WithClient) or, from 2025-11-25, one whose
// client_id is the URL of its client ID metadata document, fetched on first
// use and kept for metadataDocumentTTL.
func (s *Server) resolveClient(r *http.Request, clientID string) (*client, error) {
	if c, ok := s.store.client(clientID); ok && c.MetadataURL == "" {
		return c, nil
	}
	if !s.supportsClientIDMetadataDocuments() || !isURLClientID(clientID) || s.faults[fault.ASCIMDIgnoreDocuments] {
		return nil, fmt.Errorf("mockserver: unknown client %q", clientID)
	}
	if c, ok := s.cachedMetadataDocumentClient(clientID); ok {
		return c, nil
	}
	return s.fetchMetadataDocumentClient(r, clientID)
}
