package refclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockclient"
)

// maxRenewals bounds how often one run renews its access token: a server
// refusing every new token must end the run, not loop it.
const maxRenewals = 3

// keeper holds the session's tokens and renews the access token when it is
// about to expire or the MCP server refuses it as invalid (expired): with
// the refresh token (OAuth 2.1 §4.3), keeping the rotated one (RFC 6749 §6),
// else by authorizing again.
type keeper struct {
	flow       *flow
	authorizer *authorizer
	scope      string // what the tokens were asked for

	mu       sync.Mutex
	tokens   tokens
	renewals int
	failure  error // why the last renewal failed
}

// current is the tokens held now.
func (k *keeper) current() tokens {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.tokens
}

// failed is why the last renewal failed, or nil.
func (k *keeper) failed() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.failure
}

// renew replaces refused, the access token the MCP server refused, and
// returns the one to send instead: a token another request renewed
// meanwhile, else a new one.
func (k *keeper) renew(ctx context.Context, refused string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.tokens.access != refused {
		return k.tokens.access, nil
	}
	if k.failure != nil {
		return "", k.failure
	}
	next, err := k.renewAt(ctx)
	if err != nil {
		k.failure = err
		return "", err
	}
	k.tokens = *next
	return next.access, nil
}

// renewDue renews the access token while it is due to expire, and returns
// the tokens to send: those it could not renew are sent as they are, and a
// refusal then ends the run with the reason kept.
func (k *keeper) renewDue(ctx context.Context) tokens {
	k.mu.Lock()
	defer k.mu.Unlock()
	for k.failure == nil && k.tokens.due() {
		next, err := k.renewAt(ctx)
		if err != nil {
			k.failure = err
			break
		}
		k.tokens = *next
	}
	return k.tokens
}

// renewAt gets new tokens: from the authorization server the MCP server
// lists now when it has moved to another, else by refreshing.
func (k *keeper) renewAt(ctx context.Context) (*tokens, error) {
	moved, err := k.authorizer.movedTo(ctx)
	switch {
	case err != nil:
		return nil, err
	case moved != nil && k.renewals >= maxRenewals:
		return nil, fmt.Errorf("refclient: the MCP server moved to another authorization server after %d renewals", k.renewals)
	case moved != nil:
		k.renewals++
		old := k.tokens
		k.authorizer = moved
		return moved.takeOver(ctx, old, k.scope)
	}
	var next *tokens
	switch {
	case k.renewals >= maxRenewals:
		err = fmt.Errorf("refclient: the access token needs renewing after %d renewals already", k.renewals)
	case k.tokens.refresh == "" && k.tokens.due() && !k.flow.has(fault.ClientNoReauthorization):
		// MCP: a client must not count on a refresh token.
		k.renewals++
		k.flow.logf("mcp session: access token expiring and no refresh token: authorizing again")
		next, err = k.authorizer.authorize(ctx, k.scope)
	case k.tokens.refresh == "":
		err = errors.New("refclient: the access token is refused or expiring, and there is no refresh token to renew it with")
	case k.flow.has(fault.ClientNoRefresh):
		k.renewals++
		k.flow.logf("mcp session: access token refused or expiring; authorizing again instead of refreshing (fault %s)", fault.ClientNoRefresh)
		next, err = k.authorizer.authorize(ctx, k.scope)
	default:
		k.renewals++
		k.flow.logf("mcp session: access token refused or expiring; refreshing (%d of at most %d)", k.renewals, maxRenewals)
		next, err = k.authorizer.refresh(ctx, k.tokens.refresh)
	}
	return next, err
}

// refusedRenewed notes that the server refused a renewed token as well:
// renewing again will not help, and the run ends.
func (k *keeper) refusedRenewed() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.failure == nil {
		k.failure = errors.New("refclient: the MCP server refused the renewed access token as invalid too")
	}
}

// refresh exchanges the refresh token for a new access token (OAuth 2.1
// §4.3), naming the same resource (RFC 8707 §2), and keeps a rotated
// refresh token in place of the old one.
func (a *authorizer) refresh(ctx context.Context, refreshToken string) (*tokens, error) {
	f := a.flow
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}}
	switch {
	case a.resource == "":
	case f.has(fault.ClientRefreshWithoutResource):
		f.logf("refresh request without resource (fault %s)", fault.ClientRefreshWithoutResource)
	default:
		form.Set("resource", a.resource)
	}
	answer, err := f.http.TokenRequest(ctx, a.as.tokenEndpoint, form, a.auth)
	if err != nil {
		return nil, fmt.Errorf("refclient: refresh request: %w", err)
	}
	if err := f.checkTokenResponse(a.as.tokenEndpoint, answer); err != nil {
		return nil, fmt.Errorf("refclient: refresh request: %w", err)
	}
	next := issuedTokens(answer, refreshToken)
	rotated := answer.String("refresh_token")
	switch {
	case rotated == "":
	case f.has(fault.ClientReuseRefreshToken):
		f.logf("keeping the old refresh token, not the rotated one (fault %s)", fault.ClientReuseRefreshToken)
	default:
		next.refresh = rotated
	}
	f.logf("refresh response: a Bearer access token, refresh token rotated: %t", rotated != "")
	return next, nil
}

// invalidToken reports whether resp refuses the request's access token
// (RFC 6750 §3.1): 401 with error="invalid_token".
func invalidToken(resp *http.Response) bool {
	if resp.StatusCode != http.StatusUnauthorized {
		return false
	}
	bearer, err := mockclient.ParseBearerChallenge(resp.Header.Values("WWW-Authenticate"))
	return err == nil && bearer.Params["error"] == "invalid_token"
}
