package refclient

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockclient"
)

// session is step j: an MCP session with the official SDK, each request
// carrying the access token (none when the server asked for none):
// initialize, tools/list, close.
func (f *flow) session(ctx context.Context, token string) error {
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.Proxy = nil // as mockclient's requests: straight to the server
	transport := &bearerTransport{
		next:             base,
		token:            token,
		inQuery:          f.has(fault.ClientTokenInQuery),
		firstRequestOnly: f.has(fault.ClientTokenFirstRequestOnly),
	}
	httpClient := &http.Client{Transport: transport, Timeout: f.cfg.Timeout}
	defer httpClient.CloseIdleConnections()
	client := mcp.NewClient(&mcp.Implementation{Name: "mcpconform-refclient", Version: "1.0.0"}, nil)
	session, err := client.Connect(ctx, &mcp.StreamableClientTransport{
		Endpoint:   f.cfg.MCPURL,
		HTTPClient: httpClient,
		// Requests and their answers are all the run needs; no stream
		// for server-initiated messages.
		DisableStandaloneSSE: true,
		MaxRetries:           -1,
	}, nil)
	if err != nil {
		return transport.refusal(fmt.Errorf("refclient: mcp initialize: %w", err))
	}
	defer session.Close()
	f.logf("mcp session: initialized with %s", session.InitializeResult().ServerInfo.Name)
	tools, err := session.ListTools(ctx, nil)
	if err != nil {
		return transport.refusal(fmt.Errorf("refclient: mcp tools/list: %w", err))
	}
	f.logf("mcp session: %d tools listed", len(tools.Tools))
	if err := session.Close(); err != nil {
		return fmt.Errorf("refclient: mcp close: %w", err)
	}
	return nil
}

// bearerTransport adds the access token to every MCP request, except as
// its faults say, and notes the challenge of a 403 insufficient_scope.
type bearerTransport struct {
	next             http.RoundTripper
	token            string
	inQuery          bool // client.token-in-query
	firstRequestOnly bool // client.token-first-request-only
	sent             atomic.Int32
	insufficient     atomic.Pointer[insufficientScope]
}

// refusal is err, as an *insufficientScope when the server answered a
// request 403 insufficient_scope: the SDK's error does not say.
func (t *bearerTransport) refusal(err error) error {
	if refused := t.insufficient.Load(); refused != nil {
		refused.err = err
		return refused
	}
	return err
}

func (t *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.token == "" {
		return t.next.RoundTrip(req)
	}
	req = req.Clone(req.Context()) // a RoundTripper must not change the caller's request
	if !t.firstRequestOnly || t.sent.Add(1) == 1 {
		req.Header.Set("Authorization", "Bearer "+t.token)
	}
	if t.inQuery {
		q := req.URL.Query()
		q.Set("access_token", t.token)
		req.URL.RawQuery = q.Encode()
	}
	resp, err := t.next.RoundTrip(req)
	if err == nil && resp.StatusCode == http.StatusForbidden {
		if challenge, err := mockclient.ParseBearerChallenge(resp.Header.Values("WWW-Authenticate")); err == nil &&
			challenge.Params["error"] == "insufficient_scope" {
			t.insufficient.CompareAndSwap(nil, &insufficientScope{scope: challenge.Params["scope"]})
		}
	}
	return resp, err
}
