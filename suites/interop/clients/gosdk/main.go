// Command gosdk is an MCP client built on the official Go MCP SDK's client
// authorization (auth.AuthorizationCodeHandler), wired for the MCP
// conformance client contract: the MCP server URL as its last argument,
// MCP_CONFORMANCE_CONTEXT for a pre-registered client. The authorization
// URL goes to $BROWSER; the first response at its loopback redirect URI is
// handed to the SDK, as a desktop integration of the SDK does. It is the
// interop suite's client, not part of mcpconform.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"time"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/modelcontextprotocol/go-sdk/oauthex"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gosdk client:", err)
		os.Exit(1)
	}
}

func run() error {
	if len(os.Args) < 2 {
		return errors.New("usage: gosdk MCP-URL")
	}
	mcpURL := os.Args[len(os.Args)-1]
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("callback: %w", err)
	}
	redirectURL := "http://" + ln.Addr().String() + "/callback"
	responses := make(chan url.Values, 1)
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case responses <- r.URL.Query():
		default:
		}
		fmt.Fprintln(w, "done")
	}))

	config := &auth.AuthorizationCodeHandlerConfig{
		RedirectURL: redirectURL,
		DynamicClientRegistrationConfig: &auth.DynamicClientRegistrationConfig{Metadata: &oauthex.ClientRegistrationMetadata{
			ClientName: "go-sdk interop client", RedirectURIs: []string{redirectURL},
			GrantTypes: []string{"authorization_code", "refresh_token"}, TokenEndpointAuthMethod: "none",
		}},
		AuthorizationCodeFetcher: func(ctx context.Context, args *auth.AuthorizationArgs) (*auth.AuthorizationResult, error) {
			if err := exec.CommandContext(ctx, os.Getenv("BROWSER"), args.URL).Start(); err != nil {
				return nil, fmt.Errorf("browser: %w", err)
			}
			select {
			case q := <-responses:
				if q.Get("error") != "" {
					return nil, fmt.Errorf("authorization: %s", q.Get("error"))
				}
				return &auth.AuthorizationResult{Code: q.Get("code"), State: q.Get("state"), Iss: q.Get("iss")}, nil
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		},
	}
	var conformance struct {
		ClientID string `json:"client_id"`
	}
	if raw := os.Getenv("MCP_CONFORMANCE_CONTEXT"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &conformance); err != nil {
			return fmt.Errorf("MCP_CONFORMANCE_CONTEXT: %w", err)
		}
	}
	if conformance.ClientID != "" {
		config.PreregisteredClient = &oauthex.ClientCredentials{ClientID: conformance.ClientID}
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
