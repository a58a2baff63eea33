package mockserver

import "time"

// AddClient registers c on a running server, as WithClient does before it
// starts: the fault checks get their servers ready-made.
func AddClient(s *Server, c Client) { s.store.addClient(c.registered()) }

// AccessTokenRevoked reports whether the server revoked an access token
// it issued.
func AccessTokenRevoked(s *Server, token string) (bool, error) {
	id, err := s.issuedTokenID(token)
	if err != nil {
		return false, err
	}
	issued, ok := s.store.tokenRecord(id)
	return ok && issued.Revoked, nil
}

// ExpireGrants makes every authorization code and refresh token expired,
// which would otherwise take a minute or an hour.
func ExpireGrants(s *Server) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	past := time.Now().Add(-time.Second)
	for _, code := range s.store.codes {
		code.Expires = past
	}
	for _, rt := range s.store.refresh {
		rt.Expires = past
	}
}
