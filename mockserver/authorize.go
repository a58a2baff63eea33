package mockserver

import "net/http"

// mountAuthorization routes the authorization endpoint. Placeholder until its area lands.
func (s *Server) mountAuthorization(as *http.ServeMux) {}
