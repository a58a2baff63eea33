package mockserver

import "net/http"

// mountRegistration routes dynamic client registration (RFC 7591). Placeholder until its area lands.
func (s *Server) mountRegistration(as *http.ServeMux) {}
