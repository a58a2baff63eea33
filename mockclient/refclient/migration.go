package refclient

import (
	"context"
	"fmt"
	"slices"

	"github.com/mcpconform/mcpconform/internal/fault"
)

// movedTo reads the protected resource metadata again after the MCP server
// refused the access token. When it no longer lists the authorization
// server the tokens came from, the MCP server has moved to another (MCP
// 2026-07-28): movedTo returns an authorizer for the one it lists now, as
// that server's own client. Nil when nothing moved, or without protected
// resource metadata (the 2025-03-26 layout).
func (a *authorizer) movedTo(ctx context.Context) (*authorizer, error) {
	f := a.flow
	if a.prm == nil {
		return nil, nil
	}
	if f.has(fault.ClientMigrationNoRediscovery) {
		f.logf("not reading the protected resource metadata again (fault %s)", fault.ClientMigrationNoRediscovery)
		return nil, nil
	}
	prm, err := f.http.GetDocument(ctx, a.prm.URL)
	if err != nil {
		return nil, fmt.Errorf("refclient: protected resource metadata, read again: %w", err)
	}
	if err := f.checkResource(prm, prm.URL != f.rootMetadataURL()); err != nil {
		return nil, err
	}
	if servers, _ := prm.Strings("authorization_servers"); slices.Contains(servers, a.as.issuer) {
		return nil, nil
	}
	as, err := f.findAuthorizationServer(ctx, prm)
	if err != nil {
		return nil, err
	}
	f.logf("the MCP server moved from the authorization server %s to %s", a.as.issuer, as.issuer)
	auth := a.auth
	if f.has(fault.ClientMigrationReuseClient) {
		f.logf("keeping the client_id the old authorization server issued (fault %s)", fault.ClientMigrationReuseClient)
	} else if auth, err = f.clientIdentity(ctx, as, a.cb.redirectURI); err != nil {
		return nil, err
	}
	return &authorizer{flow: f, as: as, prm: prm, cb: a.cb, auth: auth}, nil
}

// takeOver gets the first tokens from the authorization server the MCP
// server moved to: by authorizing there, since nothing the old one issued
// is good at another (old's refresh token included).
func (a *authorizer) takeOver(ctx context.Context, old tokens, scope string) (*tokens, error) {
	f := a.flow
	if old.refresh != "" && f.has(fault.ClientMigrationRefreshAtNewAS) {
		f.logf("refreshing with the old authorization server's refresh token at the new one (fault %s)", fault.ClientMigrationRefreshAtNewAS)
		if next, err := a.refresh(ctx, old.refresh); err == nil {
			return next, nil
		}
	}
	return a.authorize(ctx, scope)
}
