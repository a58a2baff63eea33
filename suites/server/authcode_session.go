package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/mockclient"
)

// What the authorization code attacks send in place of the standard values.
const (
	// extendedRedirectURI only starts with the registered redirect URI.
	extendedRedirectURI = redirectURI + "/attacker"
	// otherPortRedirectURI is the registered loopback redirect URI on
	// another port: valid for an authorization request (RFC 8252 §7.3),
	// but not the one a code was issued for.
	otherPortRedirectURI = "http://127.0.0.1:33419/mcpconform/callback"
	// attackerRedirectURI is where an open redirector would send the user.
	attackerRedirectURI = "https://attacker.invalid/callback"
	// unknownChallengeMethod is a code challenge method no server
	// supports (RFC 7636 defines S256 and plain).
	unknownChallengeMethod = "mcpconform-unknown"
	// pkceS256 and pkcePlain are the methods RFC 7636 §4.2 defines.
	pkceS256  = "S256"
	pkcePlain = "plain"
	// foreignResource is a resource no authorization server serves.
	foreignResource = "https://mcpconform.invalid/mcp"
)

// codeGrant is a fresh authorization of the public client that ended in a
// code, for one attack to consume.
type codeGrant struct {
	Client  *registeredClient
	session *Session
	*authorization
}

// Evidence is the authorization's exchanges; nil-safe.
func (g *codeGrant) Evidence() []evidence.Exchange {
	if g == nil {
		return nil
	}
	return g.authorization.Evidence()
}

// CodeGrant runs a new standard authorization of the public client,
// changed by edits, and fails unless it returns a code.
func (s *Session) CodeGrant(ctx context.Context, edits ...func(url.Values)) (*codeGrant, error) {
	client, err := s.PublicClient(ctx)
	if err != nil {
		return nil, err
	}
	g := &codeGrant{Client: client, session: s}
	if g.authorization, err = s.Authorize(ctx, client, edits...); err != nil {
		return g, err
	}
	_, err = g.Code()
	return g, err
}

// Redeem sends the standard code exchange for the grant, changed by edits.
func (g *codeGrant) Redeem(ctx context.Context, edits ...func(url.Values)) (*mockclient.OAuthAnswer, error) {
	return g.session.Redeem(ctx, g.Client, g.authorization, edits...)
}

// RedeemTokens sends the standard code exchange and fails unless it
// issues an access token.
func (g *codeGrant) RedeemTokens(ctx context.Context) (*mockclient.OAuthAnswer, error) {
	answer, err := g.Redeem(ctx)
	if err == nil && !accessTokenIssued(answer) {
		err = fmt.Errorf("server: the token endpoint answered %s to a standard code exchange", tokenOutcome(answer))
	}
	return answer, err
}

// setParam sets a request parameter.
func setParam(name, value string) func(url.Values) {
	return func(v url.Values) { v.Set(name, value) }
}

// dropParams removes request parameters.
func dropParams(names ...string) func(url.Values) {
	return func(v url.Values) {
		for _, name := range names {
			v.Del(name)
		}
	}
}

// tokenIssued reports whether a token endpoint answer granted the request:
// a request to refuse answered 200 was not refused, token or not.
func tokenIssued(answer *mockclient.OAuthAnswer) bool {
	return answer.Status == http.StatusOK || accessTokenIssued(answer)
}

// accessTokenIssued reports whether the answer carries an access token, as
// a step that goes on to use it needs.
func accessTokenIssued(answer *mockclient.OAuthAnswer) bool {
	return answer.String("access_token") != ""
}

// tokenOutcome says what the token endpoint answered, as observed and
// without secrets.
func tokenOutcome(answer *mockclient.OAuthAnswer) string {
	switch {
	case accessTokenIssued(answer):
		return fmt.Sprintf("%d with an access token", answer.Status)
	case answer.Members == nil:
		return fmt.Sprintf("%d without a JSON object body", answer.Status)
	case answer.Error() != "":
		return fmt.Sprintf("%d %s", answer.Status, answer.Error())
	}
	return fmt.Sprintf("%d without an access token", answer.Status)
}

// authorizationOutcome says where an authorization request ended, without
// the code.
func authorizationOutcome(a *authorization) string {
	if a == nil || a.AuthorizationResult == nil {
		return "was never reached"
	}
	params := a.AuthorizationResult.Params()
	switch {
	case params == nil:
		return fmt.Sprintf("answered %d without redirecting", a.Response.Status)
	case params.Has("code"):
		return "redirected with a code"
	case params.Has("error"):
		return "redirected with error=" + params.Get("error")
	}
	return "redirected without code or error"
}

// jwtAudience reads the aud claim of a JWT access token without verifying
// it; visible is false when the token is not a JWT.
func jwtAudience(token string) (audience []string, visible bool) {
	t, ok := parseIssuedJWT(token)
	if !ok {
		return nil, false
	}
	var claims struct {
		Aud json.RawMessage `json:"aud"`
	}
	json.Unmarshal(t.payload, &claims)
	var one string
	if json.Unmarshal(claims.Aud, &one) == nil {
		return []string{one}, true
	}
	json.Unmarshal(claims.Aud, &audience) // RFC 7519 §4.1.3: a string or an array of strings
	return audience, true
}
