// Command mcpgo is an MCP client built on mark3labs/mcp-go's OAuth client,
// wired as its oauth_client example wires it (the application listens on the
// redirect URI, compares state, registers when it has no client ID, then
// hands code, state and verifier to the library), and for the MCP
// conformance client contract. It is the interop suite's client, not part
// of mcpconform.
package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpconform/mcpconform/suites/interop/clients/harness"
)

func main() { harness.Run("mcp-go client", run) }

func run(ctx context.Context, mcpURL string) error {
	callback, err := harness.ListenCallback()
	if err != nil {
		return err
	}
	conformance, err := harness.ConformanceContext() // no client ID metadata document support to give the URL to
	if err != nil {
		return err
	}
	c, err := client.NewOAuthStreamableHttpClient(mcpURL, client.OAuthConfig{
		ClientID: conformance.ClientID, RedirectURI: callback.RedirectURI, TokenStore: client.NewMemoryTokenStore(), PKCEEnabled: true,
	})
	if err != nil {
		return fmt.Errorf("new client: %w", err)
	}
	defer c.Close()
	initialize := func() error {
		if err := c.Start(ctx); err != nil {
			return err
		}
		request := mcp.InitializeRequest{}
		request.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
		request.Params.ClientInfo = mcp.Implementation{Name: "mcp-go-interop", Version: "1"}
		_, err := c.Initialize(ctx, request)
		return err
	}
	if err := initialize(); err != nil {
		if !client.IsOAuthAuthorizationRequiredError(err) {
			return fmt.Errorf("initialize: %w", err)
		}
		if err := authorize(ctx, client.GetOAuthHandler(err), callback); err != nil {
			return err
		}
		if err := initialize(); err != nil {
			return fmt.Errorf("initialize after authorization: %w", err)
		}
	}
	if _, err := c.ListTools(ctx, mcp.ListToolsRequest{}); err != nil {
		return fmt.Errorf("tools/list: %w", err)
	}
	return nil
}

// authorize is the example's maybeAuthorize.
func authorize(ctx context.Context, handler *transport.OAuthHandler, callback *harness.Callback) error {
	verifier, err := client.GenerateCodeVerifier()
	if err != nil {
		return err
	}
	state, err := client.GenerateState()
	if err != nil {
		return err
	}
	if handler.GetClientID() == "" {
		if err := handler.RegisterClient(ctx, "mcp-go interop client"); err != nil {
			return fmt.Errorf("register: %w", err)
		}
	}
	authURL, err := handler.GetAuthorizationURL(ctx, state, client.GenerateCodeChallenge(verifier))
	if err != nil {
		return fmt.Errorf("authorization url: %w", err)
	}
	params, err := callback.Authorize(ctx, authURL)
	if err != nil {
		return err
	}
	if params.Get("state") != state {
		return errors.New("state mismatch")
	}
	if params.Get("code") == "" {
		return errors.New("no authorization code received")
	}
	return handler.ProcessAuthorizationResponse(ctx, params.Get("code"), state, verifier)
}
