package refclient

import (
	"context"
	"net/url"
)

// ContainsResource is containsResource, the root fallback's leniency.
var ContainsResource = containsResource

// ListenForCallback starts a callback listener, with the page of
// client.callback.third-party-resources when thirdPartyResources, and
// returns its redirect URI, where the authorization responses arrive, and
// its Close.
func ListenForCallback(ctx context.Context, thirdPartyResources bool) (string, <-chan url.Values, func() error, error) {
	cb, err := listenForCallback(ctx, loopbackIP, callbackPath, callbackFaults{thirdPartyResources: thirdPartyResources})
	if err != nil {
		return "", nil, nil, err
	}
	return cb.redirectURI, cb.responses, cb.Close, nil
}
