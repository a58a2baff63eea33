package mockserver

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

const (
	fetchUpstreamTool = "fetch_upstream"
	// upstreamCredential is what the reference presents upstream: a fixed,
	// non-secret marker standing for the MCP server's own credential there,
	// so that a test can tell it from the client's token.
	upstreamCredential = "Bearer mcpconform-upstream-credential"
	upstreamTimeout    = 2 * time.Second
)

func init() {
	registerFaults(Fault{fault.RSPassthroughToken,
		"fetch_upstream forwards the client's Authorization header upstream instead of the server's own credential",
		spec.Rev20250326})
}

// WithUpstream names an API the MCP server calls on the user's behalf: the
// fetch_upstream tool GETs url.
func WithUpstream(url string) Option {
	return func(c *config) { c.upstream = url }
}

// upstream is how fetch_upstream reaches the upstream API of one Server.
type upstream struct {
	url         string
	passthrough bool
	client      *http.Client
}

func (s *Server) upstream() *upstream {
	return &upstream{
		url:         s.cfg.upstream,
		passthrough: s.faults[fault.RSPassthroughToken],
		client:      newBackchannelClient(nil),
	}
}

type fetchUpstreamInput struct{}

type fetchUpstreamOutput struct {
	Status int `json:"status" jsonschema:"the HTTP status the upstream API answered"`
}

// fetch GETs the upstream URL. The reference presents its own credential
// there; passing the client's token on is forbidden by MCP.
func (u *upstream) fetch(ctx context.Context, req *mcp.CallToolRequest, _ fetchUpstreamInput) (*mcp.CallToolResult, fetchUpstreamOutput, error) {
	ctx, cancel := context.WithTimeout(ctx, upstreamTimeout)
	defer cancel()
	out, err := http.NewRequestWithContext(ctx, http.MethodGet, u.url, nil)
	if err != nil {
		return nil, fetchUpstreamOutput{}, fmt.Errorf("mockserver: upstream request: %w", err)
	}
	authorization := upstreamCredential
	if u.passthrough {
		authorization = ""
		if req.Extra != nil {
			authorization = req.Extra.Header.Get("Authorization")
		}
	}
	if authorization != "" {
		out.Header.Set("Authorization", authorization)
	}
	resp, err := u.client.Do(out)
	if err != nil {
		return nil, fetchUpstreamOutput{}, fmt.Errorf("mockserver: upstream: %w", err)
	}
	resp.Body.Close()
	return nil, fetchUpstreamOutput{Status: resp.StatusCode}, nil
}
