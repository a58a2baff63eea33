// Package harness is what the interop clients share: the MCP conformance
// client contract (the MCP server URL as the last argument, a pre-registered
// client in MCP_CONFORMANCE_CONTEXT), a loopback redirect URI that hands
// over the first authorization response, as a plain desktop integration
// does, and $BROWSER.
package harness

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
)

// Run runs client with the MCP server URL the contract names, bounded in
// time, and exits 0 on success, 1 with one line on stderr otherwise.
func Run(name string, client func(ctx context.Context, mcpURL string) error) {
	err := errors.New("usage: " + name + " MCP-URL")
	if len(os.Args) >= 2 {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		err = client(ctx, os.Args[len(os.Args)-1])
		cancel()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}

// Conformance is what MCP_CONFORMANCE_CONTEXT tells the client: a
// pre-registered client_id, a client ID metadata document's URL.
type Conformance struct {
	ClientID          string `json:"client_id"`
	ClientMetadataURL string `json:"client_metadata_url"`
}

// ConformanceContext reads MCP_CONFORMANCE_CONTEXT; empty when unset.
func ConformanceContext() (Conformance, error) {
	var conformance Conformance
	if raw := os.Getenv("MCP_CONFORMANCE_CONTEXT"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &conformance); err != nil {
			return conformance, fmt.Errorf("MCP_CONFORMANCE_CONTEXT: %w", err)
		}
	}
	return conformance, nil
}

// Callback is a loopback redirect URI; the first authorization response it
// receives is handed over on Responses.
type Callback struct {
	RedirectURI string
	Responses   <-chan url.Values
}

// ListenCallback listens on a free port of 127.0.0.1 until the process ends.
func ListenCallback() (*Callback, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("callback: %w", err)
	}
	responses := make(chan url.Values, 1)
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case responses <- r.URL.Query():
		default:
		}
		fmt.Fprintln(w, "done")
	}))
	return &Callback{RedirectURI: "http://" + ln.Addr().String() + "/callback", Responses: responses}, nil
}

// Authorize opens authorizationURL in $BROWSER and waits for the response
// at the callback; a browser that fails before one arrives ends the wait,
// as a person closing the window would.
func (c *Callback) Authorize(ctx context.Context, authorizationURL string) (url.Values, error) {
	browser := exec.CommandContext(ctx, os.Getenv("BROWSER"), authorizationURL)
	if err := browser.Start(); err != nil {
		return nil, fmt.Errorf("browser: %w", err)
	}
	failed := make(chan error, 1)
	go func() {
		if err := browser.Wait(); err != nil {
			failed <- err
		}
	}()
	select {
	case response := <-c.Responses:
		return response, nil
	case err := <-failed:
		select {
		case response := <-c.Responses: // it answered as the browser gave up
			return response, nil
		default:
			return nil, fmt.Errorf("browser: %w", err)
		}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
