package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/mcpconform/mcpconform/mockclient"
)

// The token endpoint steps beyond the code exchange. A check that uses up a
// refresh token runs its own flow for it, never the shared one.

// Refresh sends a refresh request for refreshToken as client, changed by
// edits.
func (s *Session) Refresh(ctx context.Context, client *registeredClient, refreshToken string, edits ...func(url.Values)) (*mockclient.OAuthAnswer, error) {
	return s.tokenEndpointRequest(ctx, client, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}}, edits...)
}

// ClientCredentials asks for a token for client itself, for scope ("" for
// none).
func (s *Session) ClientCredentials(ctx context.Context, client *registeredClient, scope string) (*mockclient.OAuthAnswer, error) {
	form := url.Values{"grant_type": {"client_credentials"}}
	if scope != "" {
		form.Set("scope", scope)
	}
	return s.tokenEndpointRequest(ctx, client, form)
}

// RefreshToken is the refresh token the flow's token response issued.
func (f *flow) RefreshToken() string { return f.String("refresh_token") }

// RefreshableFlow runs a new standard flow of the public client, its
// authorization request changed by edits, and fails unless it issues a
// refresh token. A server may issue none (RFC 6749 §1.5), or only for a
// scope such as offline_access: the checks of refresh tokens are then not
// run, never judged.
func (s *Session) RefreshableFlow(ctx context.Context, edits ...func(url.Values)) (*flow, error) {
	f, err := s.CodeFlow(ctx, edits...)
	if err == nil && f.RefreshToken() == "" {
		asked := f.Authorization.Params.Get("scope")
		reason := fmt.Sprintf("the token endpoint issued no refresh token to a standard code exchange (scope %q); ", asked)
		if slices.Contains(strings.Fields(asked), offlineAccess) {
			reason += "refresh tokens are optional"
		} else {
			reason += "a server that issues them only for offline access needs --scope " + offlineAccess
		}
		err = &mockclient.NotRunError{Reason: reason}
	}
	return f, err
}

// offlineAccess is the scope that asks OpenID providers for a refresh
// token (OpenID Connect Core §11).
const offlineAccess = "offline_access"

// Rotate refreshes the flow's refresh token and fails unless a new refresh
// token replaces it (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2).
func (s *Session) Rotate(ctx context.Context, f *flow) (*mockclient.OAuthAnswer, error) {
	answer, err := s.Refresh(ctx, f.Client, f.RefreshToken())
	switch next := answer.String("refresh_token"); {
	case err != nil:
	case !accessTokenIssued(answer):
		err = fmt.Errorf("server: a public client's refresh must succeed; the token endpoint answered %s", tokenOutcome(answer))
	case next == "":
		err = errors.New("server: a public client's refresh must issue a new refresh token; the answer has none")
	case next == f.RefreshToken():
		err = errors.New("server: a public client's refresh must issue a new refresh token; the answer has the one just used")
	}
	return answer, err
}

// OtherPublicClient registers a second public client, as PublicClient is
// registered, to present what was issued to the first.
func (s *Session) OtherPublicClient(ctx context.Context) (*registeredClient, error) {
	return s.register(ctx, "none", publicClientMetadata("mcpconform second public client"))
}

// NarrowClient registers a confidential client for client credentials
// only, with scope alone.
func (s *Session) NarrowClient(ctx context.Context, scope string) (*registeredClient, error) {
	return s.register(ctx, "client_secret_basic", map[string]any{
		"token_endpoint_auth_method": "client_secret_basic", "grant_types": []string{"client_credentials"},
		"response_types": []string{}, "scope": scope, "client_name": "mcpconform narrow client",
	})
}

// Scopes are the scopes the target offers: the protected resource's
// scopes_supported, else (2025-03-26, or none there) the authorization
// server's.
func (s *Session) Scopes(ctx context.Context) ([]string, error) {
	e, err := s.Endpoints(ctx)
	if err != nil {
		return nil, err
	}
	if e.Scope != "" {
		return strings.Fields(e.Scope), nil
	}
	meta, err := s.discovery.AuthorizationServerMetadata(ctx)
	if err != nil {
		return nil, err
	}
	scopes, _ := meta.Strings("scopes_supported")
	return scopes, nil
}

// narrowGrant is scopes less one to widen a grant by on refresh: the last
// that is not offline_access, which stays in, as OpenID providers issue
// refresh tokens only for it (OpenID Connect Core §11). ok is false when
// there is no such scope or nothing else to grant.
func narrowGrant(scopes []string) (narrow string, ok bool) {
	for i := len(scopes) - 1; i >= 0; i-- {
		if scopes[i] != offlineAccess {
			kept := slices.Delete(slices.Clone(scopes), i, i+1)
			return strings.Join(kept, " "), len(kept) > 0
		}
	}
	return "", false
}

// authenticatingAs is the client authenticating by method with secret in
// place of what it registered.
func (c *registeredClient) authenticatingAs(method, secret string) *registeredClient {
	bent := *c
	bent.AuthMethod, bent.Secret = method, secret
	return &bent
}

// refusedStep fails a step that the token endpoint had to refuse for a
// check to build on it.
func refusedStep(answer *mockclient.OAuthAnswer, err error) (*mockclient.OAuthAnswer, error) {
	if err == nil && tokenIssued(answer) {
		err = fmt.Errorf("server: the token endpoint answered %s to a request it must refuse", tokenOutcome(answer))
	}
	return answer, err
}

// grantedStep fails a step that the token endpoint had to grant, with an
// access token, for a check to build on it.
func grantedStep(answer *mockclient.OAuthAnswer, err error) (*mockclient.OAuthAnswer, error) {
	if err == nil && !accessTokenIssued(answer) {
		err = fmt.Errorf("server: the token endpoint answered %s to a request it must grant", tokenOutcome(answer))
	}
	return answer, err
}

// scopeGrantedBeyond lists the scopes a token answer granted outside
// allowed; none when it was refused. An answer without scope granted the
// requested one (RFC 6749 §5.1).
func scopeGrantedBeyond(answer *mockclient.OAuthAnswer, requested string, allowed []string) []string {
	if !tokenIssued(answer) {
		return nil
	}
	granted := strings.Fields(cmp.Or(answer.String("scope"), requested))
	return slices.DeleteFunc(granted, func(scope string) bool { return slices.Contains(allowed, scope) })
}

// cacheDirectives are the Cache-Control directive names of a response,
// lowercased.
func cacheDirectives(header http.Header) []string {
	var names []string
	for _, value := range header.Values("Cache-Control") {
		for directive := range strings.SplitSeq(value, ",") {
			name, _, _ := strings.Cut(strings.TrimSpace(directive), "=")
			names = append(names, strings.ToLower(name))
		}
	}
	return names
}
