package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/mockserver/testissuer"
)

// The token claim checks mint their tokens with a test issuer the server
// under test is configured to trust: a real authorization server will not
// issue an expired token, or one for another resource, on request.

// trustSession is the trusted issuer and the token it was shown to work with.
type trustSession struct {
	issuer   *testissuer.Issuer // nil when not configured
	accepted mockclient.Memo[*trustedToken]
}

// TrustHint is the one line that says how to enable the checks needing a
// trusted issuer.
func TrustHint() string {
	return fmt.Sprintf("no trusted test issuer: configure the MCP server to accept tokens of issuer %s (JWKS %s%s), "+
		"then run with --trusted-issuer %s --trusted-issuer-key issuer.pem",
		testissuer.DefaultURL, testissuer.DefaultURL, testissuer.JWKSPath, testissuer.DefaultURL)
}

// trustedToken is a token of the trusted issuer the MCP endpoint serves.
type trustedToken struct {
	// Claims are what it says; variants of it change one claim.
	Claims testissuer.Token
	// ScopeRequired: the server said it needs the scope, in its 401
	// challenge or by refusing the token without it.
	ScopeRequired bool
	calls         []*mockclient.Response
}

// Evidence is every MCP request made to find it; nil-safe.
func (t *trustedToken) Evidence() []evidence.Exchange {
	if t == nil {
		return nil
	}
	var out []evidence.Exchange
	for _, c := range t.calls {
		out = append(out, c.Evidence()...)
	}
	return out
}

// Configured says whether a trusted issuer was given.
func (t *trustSession) Configured() bool { return t.issuer != nil }

// trustedToken finds, once per run, a valid token of the trusted issuer that
// the MCP endpoint serves, for the MCP URL, the resource a client asks for.
// It tries a token without scope first: refused, and served with the scope
// the 403 or the metadata names, it shows the server requires that scope.
func (s *Session) trustedToken(ctx context.Context) (*trustedToken, error) {
	t := s.trust
	return t.accepted.Do(func() (*trustedToken, error) {
		scope, challenged := s.advertisedScope(ctx)
		token := &trustedToken{Claims: t.issuer.Valid(s.discovery.MCPURL, ""), ScopeRequired: challenged}
		resp, err := s.callTrusted(ctx, token)
		if err != nil || resp.Status == http.StatusOK {
			return token, err
		}
		if challenge, err := mockclient.ParseBearerChallenge(resp.Header.Values("WWW-Authenticate")); err == nil &&
			resp.Status == http.StatusForbidden && challenge.Params["scope"] != "" {
			scope = challenge.Params["scope"]
		}
		token.Claims.Scope = scope
		if resp, err = s.callTrusted(ctx, token); err != nil {
			return token, err
		}
		if resp.Status != http.StatusOK {
			return token, fmt.Errorf("server: the MCP endpoint answered %d to a valid token of the trusted issuer %s: "+
				"is it configured to trust that issuer?", resp.Status, t.issuer.URL)
		}
		token.ScopeRequired = token.ScopeRequired || scope != ""
		return token, nil
	})
}

// callTrusted presents a token with the claims of token to the MCP endpoint and
// keeps the exchange as its evidence.
func (s *Session) callTrusted(ctx context.Context, token *trustedToken) (*mockclient.Response, error) {
	minted, err := s.trust.issuer.Mint(token.Claims)
	if err != nil {
		return nil, err
	}
	resp, err := s.CallMCP(ctx, "Bearer "+minted)
	token.calls = append(token.calls, resp)
	return resp, err
}

// advertisedScope is the scope the 401 challenge names (challenged), else
// the protected resource's scopes_supported, else the authorization
// server's.
func (s *Session) advertisedScope(ctx context.Context) (scope string, challenged bool) {
	if challenge, err := s.discovery.BearerChallenge(ctx); err == nil && challenge.Params["scope"] != "" {
		return challenge.Params["scope"], true
	}
	var documents []*mockclient.Document
	if prm, err := s.discovery.ProtectedResourceMetadata(ctx); err == nil {
		documents = append(documents, prm)
	}
	if meta, err := s.discovery.AuthorizationServerMetadata(ctx); err == nil {
		documents = append(documents, meta.Document)
	}
	for _, doc := range documents {
		if scopes, _ := doc.Strings("scopes_supported"); len(scopes) > 0 {
			return strings.Join(scopes, " "), false
		}
	}
	return "", false
}
