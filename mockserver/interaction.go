package mockserver

import (
	"crypto/subtle"
	"net/http"
)

// interactionCookie is the cookie WithInteractionCookie sets on the first
// hop of an authorization and requires on the second.
const interactionCookie = "mcpconform_interaction"

// WithInteractionCookie makes the authorization endpoint approve only a user
// agent that keeps cookies: a valid request without the interaction cookie
// is answered with the cookie and a redirect to itself, as authorization
// servers that bind an interaction to the browser (CSRF and interaction
// cookies) do before they approve automatically.
func WithInteractionCookie() Option {
	return func(c *config) { c.interactionCookie = randomValue() }
}

// awaitInteractionCookie answers a request without the interaction cookie
// with the cookie and a redirect back to the request; it reports whether it
// answered.
func (s *Server) awaitInteractionCookie(w http.ResponseWriter, r *http.Request) bool {
	want := s.cfg.interactionCookie
	if want == "" {
		return false
	}
	if got, err := r.Cookie(interactionCookie); err == nil && subtle.ConstantTimeCompare([]byte(got.Value), []byte(want)) == 1 {
		return false
	}
	decide(r, "interaction cookie set")
	http.SetCookie(w, &http.Cookie{Name: interactionCookie, Value: want, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, r.URL.RequestURI(), http.StatusFound)
	return true
}
