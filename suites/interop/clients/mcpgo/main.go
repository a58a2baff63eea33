// Command mcpgo is an MCP client built on mark3labs/mcp-go's OAuth client,
// wired as its oauth_client example wires it (the application listens on the
// redirect URI, compares state, registers when it has no client ID, then
// hands code, state and verifier to the library), and for the MCP
// conformance client contract: the MCP server URL as its last argument,
// MCP_CONFORMANCE_CONTEXT for a pre-registered client. The authorization URL
// goes to $BROWSER. It is the interop suite's client, not part of
// mcpconform.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "mcp-go client:", err)
		os.Exit(1)
	}
}

func run() error {
	if len(os.Args) < 2 {
		return errors.New("usage: mcpgo MCP-URL")
	}
	mcpURL := os.Args[len(os.Args)-1]
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("callback: %w", err)
	}
	redirectURI := "http://" + ln.Addr().String() + "/callback"
	callbacks := make(chan map[string]string, 1)
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params := map[string]string{}
		for name := range r.URL.Query() {
			params[name] = r.URL.Query().Get(name)
		}
		select {
		case callbacks <- params:
		default:
		}
		fmt.Fprintln(w, "done")
	}))

	var conformance struct {
		ClientID string `json:"client_id"`
	}
	if raw := os.Getenv("MCP_CONFORMANCE_CONTEXT"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &conformance); err != nil {
			return fmt.Errorf("MCP_CONFORMANCE_CONTEXT: %w", err)
		}
	}
	c, err := client.NewOAuthStreamableHttpClient(mcpURL, client.OAuthConfig{
		ClientID: conformance.ClientID, RedirectURI: redirectURI, TokenStore: client.NewMemoryTokenStore(), PKCEEnabled: true,
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
		if err := authorize(ctx, client.GetOAuthHandler(err), callbacks); err != nil {
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
func authorize(ctx context.Context, handler *transport.OAuthHandler, callbacks <-chan map[string]string) error {
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
	if err := exec.CommandContext(ctx, os.Getenv("BROWSER"), authURL).Start(); err != nil {
		return fmt.Errorf("browser: %w", err)
	}
	var params map[string]string
	select {
	case params = <-callbacks:
	case <-ctx.Done():
		return ctx.Err()
	}
	if params["state"] != state {
		return errors.New("state mismatch")
	}
	if params["code"] == "" {
		return errors.New("no authorization code received")
	}
	return handler.ProcessAuthorizationResponse(ctx, params["code"], state, verifier)
}
