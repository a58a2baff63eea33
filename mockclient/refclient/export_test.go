package refclient

import (
	"context"
	"net/url"
)

// ContainsResource is containsResource, the root fallback's leniency.
var ContainsResource = containsResource

// ListenForCallback starts a callback listener and returns its redirect
// URI, where the authorization responses arrive, and its Close.
func ListenForCallback(ctx context.Context) (string, <-chan url.Values, func() error, error) {
	cb, err := listenForCallback(ctx, loopbackIP, callbackPath, false)
	if err != nil {
		return "", nil, nil, err
	}
	return cb.redirectURI, cb.responses, cb.Close, nil
}
