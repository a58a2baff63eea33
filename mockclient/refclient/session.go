package refclient

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient"
)

// session is step j: an MCP session with the official SDK, each request
// carrying the access token k holds (none when k is nil: the server asked
// for none): initialize, tools/list twice, close. An access token the server
// refuses as invalid is renewed and the request sent again.
func (f *flow) session(ctx context.Context, k *keeper) error {
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.Proxy = nil // as mockclient's requests: straight to the server
	if f.has(fault.ClientSkipCertificateVerify) {
		base.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	}
	origin, err := spec.Origin(f.cfg.MCPURL)
	if err != nil {
		return fmt.Errorf("refclient: mcp url: %w", err)
	}
	transport := &bearerTransport{
		next:             base,
		keeper:           k,
		origin:           origin,
		anyOrigin:        f.has(fault.ClientTokenToAnyOrigin),
		inQuery:          f.has(fault.ClientTokenInQuery),
		firstRequestOnly: f.has(fault.ClientTokenFirstRequestOnly),
		refreshToMCP:     f.has(fault.ClientRefreshTokenToMCP),
	}
	httpClient := &http.Client{Transport: transport, Timeout: f.cfg.Timeout}
	defer httpClient.CloseIdleConnections()
	// A failed renewal is why a request failed, and a 403 insufficient_scope
	// is worth a step-up: the SDK only saw the status.
	failed := func(step string, err error) error {
		if k != nil && k.failed() != nil {
			return fmt.Errorf("refclient: mcp %s: renewing the access token: %w", step, k.failed())
		}
		return transport.refusal(fmt.Errorf("refclient: mcp %s: %w", step, err))
	}
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
		return failed("initialize", err)
	}
	defer session.Close()
	f.logf("mcp session: initialized with %s", session.InitializeResult().ServerInfo.Name)
	tools, err := session.ListTools(ctx, nil)
	if err != nil {
		return failed("tools/list", err)
	}
	f.logf("mcp session: %d tools listed", len(tools.Tools))
	// Once more, after the first answer: a token renewed for the
	// requests before has expired by then when the server's tokens live a
	// second (the refresh scenario).
	if _, err := session.ListTools(ctx, nil); err != nil {
		return failed("tools/list", err)
	}
	f.logf("mcp session: tools listed again")
	if err := session.Close(); err != nil {
		return failed("close", err)
	}
	return nil
}

// bearerTransport adds the access token to every MCP request, except as
// its faults say, renews a token the server refuses, and notes the
// challenge of a 403 insufficient_scope.
type bearerTransport struct {
	next             http.RoundTripper
	keeper           *keeper // nil: no token
	origin           string  // the MCP server's: the one place its token goes
	anyOrigin        bool    // client.token-to-any-origin
	inQuery          bool    // client.token-in-query
	firstRequestOnly bool    // client.token-first-request-only
	refreshToMCP     bool    // client.refresh-token-to-mcp
	sent             atomic.Int32
	insufficient     atomic.Pointer[insufficientScope]
	unauthorized     atomic.Pointer[unauthorizedLater]
}

// unauthorizedLater is a session without a token that the server answered
// 401 after letting earlier requests through: authorization is due now.
type unauthorizedLater struct {
	challenge map[string]string
	err       error // how the session ended
}

func (e *unauthorizedLater) Error() string { return e.err.Error() }
func (e *unauthorizedLater) Unwrap() error { return e.err }

// refusal is err, as an *insufficientScope when the server answered a
// request 403 insufficient_scope: the SDK's error does not say.
func (t *bearerTransport) refusal(err error) error {
	if refused := t.insufficient.Load(); refused != nil {
		refused.err = err
		return refused
	}
	if later := t.unauthorized.Load(); later != nil {
		later.err = err
		return later
	}
	return err
}

// noteUnauthorized keeps the challenge of a 401 to a request sent without
// a token.
func (t *bearerTransport) noteUnauthorized(resp *http.Response) {
	if resp.StatusCode != http.StatusUnauthorized {
		return
	}
	params := map[string]string{}
	if challenge, err := mockclient.ParseBearerChallenge(resp.Header.Values("WWW-Authenticate")); err == nil {
		params = challenge.Params
	}
	t.unauthorized.CompareAndSwap(nil, &unauthorizedLater{challenge: params})
}

// noteInsufficientScope keeps the challenge of a 403 insufficient_scope.
func (t *bearerTransport) noteInsufficientScope(resp *http.Response) {
	if resp.StatusCode != http.StatusForbidden {
		return
	}
	if challenge, err := mockclient.ParseBearerChallenge(resp.Header.Values("WWW-Authenticate")); err == nil &&
		challenge.Params["error"] == "insufficient_scope" {
		t.insufficient.CompareAndSwap(nil, &insufficientScope{scope: challenge.Params["scope"]})
	}
}

func (t *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.keeper == nil {
		resp, err := t.next.RoundTrip(req)
		if err == nil {
			t.noteUnauthorized(resp)
		}
		return resp, err
	}
	held := t.keeper.renewDue(req.Context())
	resp, err := t.send(req, held)
	if err == nil {
		t.noteInsufficientScope(resp)
	}
	if err != nil || !invalidToken(resp) || req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		return resp, err
	}
	renewed, err := t.keeper.renew(req.Context(), held.access)
	if err != nil {
		return resp, nil // the caller sees the refusal; the keeper knows why
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	again := req.Clone(req.Context())
	if req.GetBody != nil {
		if again.Body, err = req.GetBody(); err != nil {
			return nil, err
		}
	}
	resp, err = t.send(again, tokens{access: renewed, refresh: t.keeper.current().refresh})
	if err == nil {
		t.noteInsufficientScope(resp)
	}
	if err == nil && invalidToken(resp) {
		t.keeper.refusedRenewed()
	}
	return resp, err
}

// send sends req with the tokens held, as the faults say. The token is for
// the MCP server: a request a redirect sent elsewhere goes without it.
func (t *bearerTransport) send(req *http.Request, held tokens) (*http.Response, error) {
	if origin, _ := spec.Origin(req.URL.String()); origin != t.origin && !t.anyOrigin {
		return t.next.RoundTrip(req)
	}
	req = req.Clone(req.Context()) // a RoundTripper must not change the caller's request
	if !t.firstRequestOnly || t.sent.Add(1) == 1 {
		req.Header.Set("Authorization", "Bearer "+held.access)
	}
	if t.inQuery {
		q := req.URL.Query()
		q.Set("access_token", held.access)
		req.URL.RawQuery = q.Encode()
	}
	if t.refreshToMCP && held.refresh != "" {
		req.Header.Set("X-Refresh-Token", held.refresh)
	}
	return t.next.RoundTrip(req)
}
