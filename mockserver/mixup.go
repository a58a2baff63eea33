package mockserver

import (
	"context"
	"maps"
	"net/http"
	"net/url"
)

// A mix-up attack (RFC 9700 §4.4): the authorization server the client
// talks to is the attacker's. It sends the user on to an honest one, where
// the attacker registered a client with the victim's redirect URI; the
// honest server's code comes back to the victim, who, unless it checks iss
// (RFC 9207), redeems it, verifier and all, at the attacker's token
// endpoint.

// WithMixUp makes the authorization server an attacker: it answers every
// valid authorization request by sending the user agent to a second,
// honest authorization server on an origin of its own, with the same
// redirect URI, state, PKCE challenge and resource, under a client_id the
// attacker registered there for that redirect URI. The honest server
// approves and answers the client with its code and its iss; the attacker
// issues no code itself. From 2025-06-18 on: the authorization server must
// be a party of its own.
func WithMixUp() Option {
	return func(c *config) { c.mixUp = true }
}

// HonestAuthorizationServer is WithMixUp's honest authorization server;
// nil otherwise. The requests it receives are logged and captured with this
// server's.
func (s *Server) HonestAuthorizationServer() *Server { return s.honest }

// startHonestAuthorizationServer starts WithMixUp's honest authorization
// server.
func (s *Server) startHonestAuthorizationServer(ctx context.Context) (err error) {
	if s.cfg.mixUp {
		s.honest, err = s.startSecondAuthorizationServer(ctx, "a mix-up")
	}
	return err
}

// bounceToHonest is the attacker's answer to a valid authorization request
// of client clientID: the same request at the honest authorization server,
// under a client of the attacker's registered there for redirectURI.
func (s *Server) bounceToHonest(w http.ResponseWriter, r *http.Request, clientID, redirectURI string, q url.Values) {
	attackers := Client{ID: "mcpconform-mix-up-" + randomValue(), RedirectURIs: []string{redirectURI}}
	s.honest.store.addClient(attackers.registered())
	bounced := maps.Clone(q)
	bounced.Set("client_id", attackers.ID)
	bounced.Set("redirect_uri", redirectURI)
	target := s.honest.authorizationEndpoint() + "?" + bounced.Encode()
	decide(r, "mix-up: no code issued to client %s; sent on to the honest authorization server %s as client %s",
		clientID, s.honest.issuer, attackers.ID)
	http.Redirect(w, r, target, http.StatusFound)
}
