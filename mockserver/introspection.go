package mockserver

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

const (
	// resourceServerClient is the client the resource server introspects
	// as: a separate party, as it would be in a real deployment.
	resourceServerClient = "mcpconform-resource-server"
	introspectionTimeout = 2 * time.Second
	maxIntrospectionBody = 64 << 10
)

func init() {
	registerFaults(
		Fault{fault.ASIntrospectionUnauthenticated, "token introspection answers without client authentication", spec.Rev20250326},
		Fault{fault.ASIntrospectionRevokedActive, "token introspection reports revoked tokens active", spec.Rev20250326},
	)
}

// introspection is an RFC 7662 §2.2 answer; an inactive token gets only
// "active": false.
type introspection struct {
	Active    bool         `json:"active"`
	Scope     string       `json:"scope,omitempty"`
	ClientID  string       `json:"client_id,omitempty"`
	Subject   string       `json:"sub,omitempty"`
	Audience  jwt.Audience `json:"aud,omitempty"` // a string or an array on the wire
	Issuer    string       `json:"iss,omitempty"`
	Expiry    int64        `json:"exp,omitempty"`
	IssuedAt  int64        `json:"iat,omitempty"`
	TokenType string       `json:"token_type,omitempty"`
}

// mountIntrospection routes token introspection (RFC 7662) for every
// access token, JWT or opaque. The resource server's client is registered
// here, with a secret made for this Run, because introspecting opaque
// tokens is all it does.
func (s *Server) mountIntrospection(as *http.ServeMux) {
	s.store.addClient(&client{ID: resourceServerClient, Secret: randomValue(), AuthMethod: authClientSecretBasic,
		IssuedAt: time.Now()})
	assertions := newAssertionLog()
	as.HandleFunc("POST "+pathOf(s.asOrigin, s.introspectionEndpoint()), func(w http.ResponseWriter, r *http.Request) {
		s.serveIntrospection(w, r, assertions)
	})
}

func (s *Server) serveIntrospection(w http.ResponseWriter, r *http.Request, assertions *assertionLog) {
	w.Header().Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, maxIntrospectionBody)
	if err := r.ParseForm(); err != nil {
		writeIntrospectionJSON(w, http.StatusBadRequest, map[string]string{
			"error": oauthInvalidRequest, "error_description": "mockserver: the request does not parse as a form",
		})
		return
	}
	if !s.faults[fault.ASIntrospectionUnauthenticated] {
		if refusal := s.introspectionRefusal(r, assertions); refusal != "" {
			decide(r, "introspection refused: %s", refusal)
			w.Header().Set("WWW-Authenticate", basicChallenge)
			writeIntrospectionJSON(w, http.StatusUnauthorized, map[string]string{
				"error": oauthInvalidClient, "error_description": "mockserver: authenticate as a confidential client",
			})
			return
		}
	}
	token := r.PostForm.Get("token")
	if token == "" {
		writeIntrospectionJSON(w, http.StatusBadRequest, map[string]string{
			"error": oauthInvalidRequest, "error_description": "mockserver: a form with the token is required",
		})
		return
	}
	answer, inactive := s.introspect(token)
	if inactive != "" {
		decide(r, "token inactive: %s", inactive)
	}
	writeIntrospectionJSON(w, http.StatusOK, answer)
}

// introspectionRefusal says why r may not introspect, "" when it may. RFC
// 7662 §2.1 requires authorization and leaves who qualifies to policy: here
// any confidential client, authenticated as at the token endpoint.
func (s *Server) introspectionRefusal(r *http.Request, assertions *assertionLog) string {
	c, err := s.authenticateClient(r, assertions)
	switch {
	case err != nil:
		return err.Description
	case c.Public():
		return "client " + c.ID + " is public"
	}
	return ""
}

// introspect describes token, or says why it is inactive.
func (s *Server) introspect(token string) (answer introspection, inactive string) {
	id, err := s.issuedTokenID(token)
	if err != nil {
		return introspection{}, "not signed here"
	}
	rec, ok := s.store.tokenRecord(id)
	switch {
	case !ok:
		return introspection{}, "unknown"
	case !time.Now().Before(rec.Expires):
		return introspection{}, "expired"
	case rec.Revoked && !s.faults[fault.ASIntrospectionRevokedActive]:
		return introspection{}, "revoked"
	}
	return introspection{
		Active: true, Scope: rec.Scope, ClientID: rec.ClientID, Subject: rec.Subject, Audience: rec.Audience,
		Issuer: s.issuer, Expiry: rec.Expires.Unix(), IssuedAt: rec.IssuedAt.Unix(), TokenType: "Bearer",
	}, ""
}

// issuedTokenID is the ID the store knows an access token by: the jti of a
// JWT this server signed, or an opaque token itself.
func (s *Server) issuedTokenID(token string) (string, error) {
	if strings.Count(token, ".") != 2 {
		return token, nil
	}
	claims, err := s.key.verify(token)
	if err != nil {
		return "", err
	}
	return claims.ID, nil
}

// tokenRecord copies an issued token's record under the store's lock, since
// revocation may change it meanwhile.
func (st *store) tokenRecord(id string) (issuedToken, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	t, ok := st.tokens[id]
	if !ok {
		return issuedToken{}, false
	}
	return *t, true
}

func writeIntrospectionJSON(w http.ResponseWriter, status int, body any) {
	encoded, err := json.Marshal(body)
	if err != nil {
		http.Error(w, "mockserver: encode introspection answer", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(encoded)
}

// validOpaqueToken checks an opaque token the way a separate resource
// server must: by asking the authorization server over HTTP. It returns the
// token's scope.
func (s *Server) validOpaqueToken(ctx context.Context, client *http.Client, token string) (string, error) {
	answer, err := s.introspectRemotely(ctx, client, token)
	if err != nil {
		return "", err
	}
	if !answer.Active {
		return "", errors.New("mockserver: access token is not active")
	}
	if !s.faults[fault.RSAcceptAnyAudience] && !slices.Contains(answer.Audience, s.resource) && !s.acceptsOtherResource(answer.Audience) {
		return "", errors.New("mockserver: access token is not for this resource")
	}
	return answer.Scope, nil
}

func (s *Server) introspectRemotely(ctx context.Context, client *http.Client, token string) (*introspection, error) {
	rs, ok := s.store.client(resourceServerClient)
	if !ok {
		return nil, errors.New("mockserver: the resource server has no introspection client")
	}
	ctx, cancel := context.WithTimeout(ctx, introspectionTimeout)
	defer cancel()
	form := url.Values{"token": {token}, "token_type_hint": {"access_token"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.introspectionEndpoint(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("mockserver: introspection request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth(url.QueryEscape(rs.ID), url.QueryEscape(rs.Secret))
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("mockserver: introspection: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("mockserver: introspection answered %d", resp.StatusCode)
	}
	var answer introspection
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxIntrospectionBody)).Decode(&answer); err != nil {
		return nil, fmt.Errorf("mockserver: introspection answer: %w", err)
	}
	return &answer, nil
}

// newBackchannelClient is for the server's own outgoing calls: bounded by
// their contexts, never redirected elsewhere, no idle connections left
// behind at Close, and trusting caPEM when given (the generated CA under
// WithTLS).
func newBackchannelClient(caPEM []byte) *http.Client {
	transport := &http.Transport{DisableKeepAlives: true}
	if caPEM != nil {
		roots := x509.NewCertPool()
		roots.AppendCertsFromPEM(caPEM)
		transport.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{
		Transport:     transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
