package mockserver

import "net/http"

// secondMCPPath is where the second MCP server of WithRedirectToSecondServer
// listens, on the MCP server's listener addressed as localhost: another
// origin to a browser and to an HTTP client.
const secondMCPPath = "/second/mcp"

// WithRedirectToSecondServer answers every MCP request that carries a
// valid token with 307 to a second MCP server at another origin, which
// needs no token: the token is for the first one only, so a client that
// follows the redirect must leave it behind.
func WithRedirectToSecondServer() Option {
	return func(c *config) { c.redirectToSecondServer = true }
}

// SecondMCPURL is the second MCP server of WithRedirectToSecondServer;
// empty without it.
func (s *Server) SecondMCPURL() string {
	if !s.cfg.redirectToSecondServer {
		return ""
	}
	return s.rsOrigin.offhost + secondMCPPath
}

// mountSecondServer serves the second MCP server, without authorization.
func (s *Server) mountSecondServer(rs *http.ServeMux) {
	if s.cfg.redirectToSecondServer {
		rs.Handle(secondMCPPath, s.newMCPHandler())
	}
}

// redirectToSecondServer sends an authorized request on to the second MCP
// server, when WithRedirectToSecondServer asks for it.
func (s *Server) redirectToSecondServer(w http.ResponseWriter, r *http.Request) bool {
	if !s.cfg.redirectToSecondServer {
		return false
	}
	decide(r, "redirected to the second MCP server")
	http.Redirect(w, r, s.SecondMCPURL(), http.StatusTemporaryRedirect)
	return true
}
