package mockserver

import "net/http"

// mountIntrospection routes token introspection (RFC 7662). Placeholder until its area lands.
func (s *Server) mountIntrospection(as *http.ServeMux) {}
