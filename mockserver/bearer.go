package mockserver

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/go-jose/go-jose/v4/jwt"
)

// Bearer token checking is done here rather than with the SDK's
// auth.RequireBearerToken so that faults can bend every part of the
// challenge.

const (
	errInvalidToken      = "invalid_token"      // RFC 6750 §3.1
	errInsufficientScope = "insufficient_scope" // RFC 6750 §3.1
	legacyRealm          = "mcp"
)

// requireBearer lets a request through to next only with a valid access
// token for the MCP endpoint carrying the required scope.
func (s *Server) requireBearer(next http.Handler) http.Handler {
	if s.faults[faultNoAuth] {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, sent := bearerToken(r)
		if !sent {
			// RFC 6750 §3.1: no error code when no credentials were sent.
			code := ""
			if s.faults[faultErrorWithoutCredentials] {
				code = errInvalidToken
			}
			s.unauthorized(w, r, code, "mockserver: bearer token required")
			return
		}
		claims, err := s.validAccessToken(token)
		if err != nil {
			s.unauthorized(w, r, errInvalidToken, err.Error())
			return
		}
		if !slices.Contains(strings.Fields(claims.Scope), requiredScope) {
			w.Header().Set("WWW-Authenticate", s.challenge(errInsufficientScope, http.StatusForbidden))
			http.Error(w, "mockserver: access token lacks scope "+requiredScope, http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// bearerToken returns the token of an "Authorization: Bearer" header. Any
// other scheme counts as no credentials (RFC 6750 §3.1), so the client is
// told which scheme to use rather than that its token is bad.
func bearerToken(r *http.Request) (token string, sent bool) {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(token), true
}

func (s *Server) validAccessToken(token string) (*accessTokenClaims, error) {
	claims, err := s.key.verify(token)
	if err != nil {
		return nil, err
	}
	if claims.Expiry == nil {
		return nil, errors.New("mockserver: access token has no exp")
	}
	expected := jwt.Expected{Issuer: s.issuer, AnyAudience: jwt.Audience{s.mcpURL}}
	if err := claims.ValidateWithLeeway(expected, 0); err != nil {
		return nil, fmt.Errorf("mockserver: access token claims: %w", err)
	}
	return claims, nil
}

func (s *Server) unauthorized(w http.ResponseWriter, r *http.Request, code, reason string) {
	if s.faults[faultMCPHang] {
		hang(w, r)
		return
	}
	if !s.faults[faultNoWWWAuthenticate] {
		w.Header().Set("WWW-Authenticate", s.challenge(code, http.StatusUnauthorized))
	}
	http.Error(w, reason, http.StatusUnauthorized)
}

// challenge builds the Bearer challenge for a 401 or 403 answer. From
// 2025-06-18 it names the protected resource metadata and the scope to ask
// for; 2025-03-26 has neither and uses a realm.
func (s *Server) challenge(code string, status int) string {
	var params []string
	add := func(name, value string) { params = append(params, name+`="`+value+`"`) }
	if !s.revision.UsesProtectedResourceMetadata() {
		add("realm", legacyRealm)
	}
	if code != "" {
		add("error", code)
	}
	unauthorized := status == http.StatusUnauthorized
	if s.revision.UsesProtectedResourceMetadata() && !(unauthorized && s.faults[faultChallengeNoResourceMeta]) {
		add("resource_metadata", s.challengeMetadataURL())
	}
	// The scope to ask for is named on every 403, and from 2025-06-18 on a
	// 401 too.
	if !unauthorized || (s.revision.UsesProtectedResourceMetadata() && !s.faults[faultChallengeNoScope]) {
		add("scope", requiredScope)
	}
	if len(params) == 0 {
		return "Bearer"
	}
	return "Bearer " + strings.Join(params, ", ")
}

// challengeMetadataURL is the protected resource metadata URL the challenge
// names: the path-inserted one, or the root one when only that is served.
func (s *Server) challengeMetadataURL() string {
	if s.faults[faultPRMRootOnly] {
		return s.prmRootURL
	}
	return s.prmURL
}
