// Command gosdk is an MCP client built on the official Go MCP SDK's client
// authorization (auth.AuthorizationCodeHandler), wired for the MCP
// conformance client contract; the first response at its loopback redirect
// URI is handed to the SDK, as a desktop integration of the SDK does. It is
// the interop suite's client, not part of mcpconform.
package main

import (
	"context"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/modelcontextprotocol/go-sdk/oauthex"

	"github.com/mcpconform/mcpconform/suites/interop/clients/harness"
)

func main() { harness.Run("gosdk client", run) }

func run(ctx context.Context, mcpURL string) error {
	callback, err := harness.ListenCallback()
	if err != nil {
		return err
	}
	config := &auth.AuthorizationCodeHandlerConfig{
		RedirectURL: callback.RedirectURI,
		DynamicClientRegistrationConfig: &auth.DynamicClientRegistrationConfig{Metadata: &oauthex.ClientRegistrationMetadata{
			ClientName: "go-sdk interop client", RedirectURIs: []string{callback.RedirectURI},
			GrantTypes: []string{"authorization_code", "refresh_token"}, TokenEndpointAuthMethod: "none",
		}},
		AuthorizationCodeFetcher: func(ctx context.Context, args *auth.AuthorizationArgs) (*auth.AuthorizationResult, error) {
			q, err := callback.Authorize(ctx, args.URL)
			if err != nil {
				return nil, err
			}
			if q.Get("error") != "" {
				return nil, fmt.Errorf("authorization: %s", q.Get("error"))
			}
			return &auth.AuthorizationResult{Code: q.Get("code"), State: q.Get("state"), Iss: q.Get("iss")}, nil
		},
	}
	conformance, err := harness.ConformanceContext()
	if err != nil {
		return err
	}
	if conformance.ClientID != "" {
		config.PreregisteredClient = &oauthex.ClientCredentials{ClientID: conformance.ClientID}
	}
	if conformance.ClientMetadataURL != "" {
		config.ClientIDMetadataDocumentConfig = &auth.ClientIDMetadataDocumentConfig{URL: conformance.ClientMetadataURL}
	}
	handler, err := auth.NewAuthorizationCodeHandler(config)
	if err != nil {
		return err
	}
	client := mcp.NewClient(&mcp.Implementation{Name: "go-sdk-interop", Version: "1"}, nil)
	session, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: mcpURL, OAuthHandler: handler}, nil)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer session.Close()
	if _, err := session.ListTools(ctx, nil); err != nil {
		return fmt.Errorf("tools/list: %w", err)
	}
	return nil
}
