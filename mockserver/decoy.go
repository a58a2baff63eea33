package mockserver

import (
	"encoding/json"
	"net/http"
)

// WithOriginMetadataDecoy makes the MCP server's origin serve RFC 8414
// authorization server metadata of its own at the root, as a 2025-03-26
// server would: it names the origin as issuer, and endpoints at its root
// that answer 404. From 2025-06-18 a client takes its authorization server
// from the protected resource metadata, which names the real one; the
// option changes nothing where the two share an origin (2025-03-26).
func WithOriginMetadataDecoy() Option {
	return func(c *config) { c.originMetadataDecoy = true }
}

// mountOriginMetadataDecoy serves the decoy metadata on the MCP server's
// listener.
func (s *Server) mountOriginMetadataDecoy(rs *http.ServeMux) error {
	if !s.cfg.originMetadataDecoy || !s.ownAuthorizationServerListener() {
		return nil
	}
	origin := s.rsOrigin.local
	body, err := json.Marshal(map[string]any{
		"issuer":                           origin,
		"authorization_endpoint":           origin + "/authorize",
		"token_endpoint":                   origin + "/token",
		"registration_endpoint":            origin + "/register",
		"response_types_supported":         []string{"code"},
		"code_challenge_methods_supported": []string{"S256"},
	})
	if err != nil {
		return err
	}
	rs.HandleFunc("GET /.well-known/oauth-authorization-server", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	return nil
}
