package mockserver

import "net/http"

// mountToken routes the token endpoint. Placeholder until its area lands.
func (s *Server) mountToken(as *http.ServeMux) {}
