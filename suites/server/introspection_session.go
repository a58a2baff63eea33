package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/mockclient"
)

// Token introspection (RFC 7662) and the code replay that revokes a grant:
// after it, the MCP endpoint, the introspection endpoint and the token
// endpoint each show whether the grant's tokens still work, and the checks
// of revocation tell from them who failed.

// IntrospectionEndpoint is the introspection endpoint the authorization
// server metadata names; "" when it names none, or for 2025-03-26 without
// metadata.
func (s *Session) IntrospectionEndpoint(ctx context.Context) (string, error) {
	meta, err := s.discovery.AuthorizationServerMetadata(ctx)
	if err != nil {
		if s.discovery.Revision.UsesProtectedResourceMetadata() {
			return "", err
		}
		return "", nil
	}
	endpoint, _ := meta.String("introspection_endpoint")
	return endpoint, nil
}

// Introspect asks endpoint about an access token as client, or with no
// client authentication at all when client is nil. The request has the
// shape of a token request: a form and the client's authentication (RFC
// 7662 §2.1).
func (s *Session) Introspect(ctx context.Context, endpoint string, client *registeredClient, token string) (*mockclient.OAuthAnswer, error) {
	var auth mockclient.ClientAuth
	if client != nil {
		auth = client.Auth()
	}
	return s.client.TokenRequest(ctx, endpoint, url.Values{"token": {token}, "token_type_hint": {"access_token"}}, auth)
}

// introspectedActive reads the active member of an introspection answer;
// ok is false unless the answer is a 200 with a boolean active.
func introspectedActive(answer *mockclient.OAuthAnswer) (active, ok bool) {
	if answer == nil || answer.Status != http.StatusOK {
		return false, false
	}
	return active, json.Unmarshal(answer.Members["active"], &active) == nil
}

// introspectionOutcome says what an introspection answer said, without
// the token's details.
func introspectionOutcome(answer *mockclient.OAuthAnswer) string {
	if active, ok := introspectedActive(answer); ok {
		return fmt.Sprintf("200 with active %t", active)
	}
	return strings.TrimSpace(fmt.Sprintf("%d %s", answer.Status, answer.Error()))
}

// replayedGrant is an authorization code redeemed, its tokens shown in use,
// and the code replayed. Where the authorization server offers
// introspection, the grant is the confidential client's, so that it asks
// about its own token, which every introspection policy allows.
type replayedGrant struct {
	Client         *registeredClient
	Authorization  *authorization
	Issued, Replay *mockclient.OAuthAnswer
	// The MCP endpoint without a token, then with the access token before
	// and after the replay (only where it refuses a request without one).
	Unauthenticated, ServedBefore, ServedAfter *mockclient.Response
	IntrospectionEndpoint                      string
	// Introspection of the access token before and after the replay.
	IntrospectedBefore, IntrospectedAfter *mockclient.OAuthAnswer
	// The refresh issued with the access token, tried after the replay.
	Refreshed *mockclient.OAuthAnswer
}

// Evidence is every exchange of the grant; nil-safe.
func (g *replayedGrant) Evidence() []evidence.Exchange {
	if g == nil {
		return nil
	}
	return slices.Concat(g.Authorization.Evidence(), g.Issued.Evidence(), g.Unauthenticated.Evidence(),
		g.ServedBefore.Evidence(), g.IntrospectedBefore.Evidence(), g.Replay.Evidence(),
		g.ServedAfter.Evidence(), g.IntrospectedAfter.Evidence(), g.Refreshed.Evidence())
}

// ReplayedGrant redeems a new authorization code, uses its tokens, replays
// the code and asks every party about the tokens again, once per run. It
// fails unless the code is redeemed once and refused the second time.
func (s *Session) ReplayedGrant(ctx context.Context) (*replayedGrant, error) {
	return s.replayed.Do(func() (*replayedGrant, error) {
		g := &replayedGrant{}
		var err error
		if g.IntrospectionEndpoint, err = s.IntrospectionEndpoint(ctx); err != nil {
			return g, err
		}
		if g.IntrospectionEndpoint != "" {
			g.Client, err = s.ConfidentialClient(ctx)
		} else {
			g.Client, err = s.PublicClient(ctx)
		}
		if err != nil {
			return g, err
		}
		if g.Authorization, err = s.Authorize(ctx, g.Client); err != nil {
			return g, err
		}
		if g.Issued, err = s.Redeem(ctx, g.Client, g.Authorization); err != nil {
			return g, err
		}
		if !accessTokenIssued(g.Issued) {
			return g, fmt.Errorf("server: the token endpoint answered %s to a standard code exchange", tokenOutcome(g.Issued))
		}
		bearer := "Bearer " + g.Issued.String("access_token")
		if g.Unauthenticated, err = s.discovery.Unauthenticated(ctx); err != nil {
			return g, err
		}
		if g.Unauthenticated.Status == http.StatusUnauthorized {
			if g.ServedBefore, err = s.CallMCP(ctx, bearer); err != nil {
				return g, err
			}
		}
		if g.IntrospectionEndpoint != "" {
			if g.IntrospectedBefore, err = s.Introspect(ctx, g.IntrospectionEndpoint, g.Client, g.Issued.String("access_token")); err != nil {
				return g, err
			}
		}
		if g.Replay, err = s.Redeem(ctx, g.Client, g.Authorization); err != nil {
			return g, err
		}
		if tokenIssued(g.Replay) {
			return g, errors.New("server: the replayed code was accepted (AS-CODE-001 judges that)")
		}
		if g.ServedBefore != nil {
			if g.ServedAfter, err = s.CallMCP(ctx, bearer); err != nil {
				return g, err
			}
		}
		if g.IntrospectedBefore != nil {
			if g.IntrospectedAfter, err = s.Introspect(ctx, g.IntrospectionEndpoint, g.Client, g.Issued.String("access_token")); err != nil {
				return g, err
			}
		}
		if refresh := g.Issued.String("refresh_token"); refresh != "" {
			g.Refreshed, err = s.Refresh(ctx, g.Client, refresh)
		}
		return g, err
	})
}

// witness is what one party shows of the grant's tokens after the replay.
type witness struct {
	// Unusable says why the party shows nothing; "" when it does.
	Unusable string
	// Revoked: the party refuses what it accepted before the replay.
	Revoked bool
	// Still says what the party does when it has not revoked.
	Still string
}

// MCPEndpoint is what the MCP endpoint shows: whether it refuses the
// access token it served before.
func (g *replayedGrant) MCPEndpoint() witness {
	switch {
	case g.ServedBefore == nil:
		return witness{Unusable: "the MCP endpoint serves requests without a token"}
	case g.ServedBefore.Status != http.StatusOK:
		return witness{Unusable: fmt.Sprintf("the MCP endpoint answered %d to the access token before the replay", g.ServedBefore.Status)}
	}
	return witness{Revoked: g.ServedAfter.Status != http.StatusOK, Still: "the MCP endpoint still serves the access token"}
}

// Introspection is what introspection shows: whether it reports inactive
// the access token it reported active before.
func (g *replayedGrant) Introspection() witness {
	if g.IntrospectionEndpoint == "" {
		return witness{Unusable: "the authorization server metadata names no introspection_endpoint"}
	}
	if active, ok := introspectedActive(g.IntrospectedBefore); !ok || !active {
		return witness{Unusable: "introspection answered " + introspectionOutcome(g.IntrospectedBefore) + " for the unused access token"}
	}
	active, ok := introspectedActive(g.IntrospectedAfter)
	return witness{Revoked: ok && !active, Still: "introspection answered " + introspectionOutcome(g.IntrospectedAfter)}
}

// RefreshToken is what the token endpoint shows: whether it refuses the
// refresh token issued with the access token.
func (g *replayedGrant) RefreshToken() witness {
	if g.Refreshed == nil {
		return witness{Unusable: "the code exchange issued no refresh token"}
	}
	return witness{Revoked: !tokenIssued(g.Refreshed), Still: "the refresh token still works"}
}

// Witnesses are what every party shows of the authorization server's
// revocation. A JWT access token the MCP endpoint still serves shows
// nothing of it: the endpoint may validate the token by signature and
// claims alone (whether it should learn of revocations is RS-TOK-013's).
func (g *replayedGrant) Witnesses() []witness {
	mcp := g.MCPEndpoint()
	if _, isJWT := parseIssuedJWT(g.Issued.String("access_token")); isJWT && mcp.Unusable == "" && !mcp.Revoked {
		mcp = witness{Unusable: "the MCP endpoint still serves the access token, a JWT it may validate by its signature alone"}
	}
	return []witness{mcp, g.Introspection(), g.RefreshToken()}
}
