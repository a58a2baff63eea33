package main

import (
	"fmt"
	"net/url"
	"strings"
)

// mockBaseURLEnv tells the reference its base URL where arguments cannot,
// as in its container image: mcpconform server --image passes it with
// --image-base-url-env.
const mockBaseURLEnv = "MCPCONFORM_MOCK_BASE_URL"

// mockAddress is the listen address of a base URL: an origin in the scheme
// the reference serves.
func mockAddress(baseURL string, useTLS bool) (string, error) {
	scheme := "http"
	if useTLS {
		scheme = "https"
	}
	u, err := url.Parse(baseURL)
	if err != nil || u.Scheme != scheme || u.Port() == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("base URL %q (--base-url or $%s) is not %s://127.0.0.1:PORT", baseURL, mockBaseURLEnv, scheme)
	}
	return u.Host, nil
}
