package mockserver

import (
	"context"
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

type echoInput struct {
	Text string `json:"text" jsonschema:"the text to send back"`
}

// newMCPHandler is the MCP endpoint without authorization: the official SDK
// with one tool. It is stateless so that no session outlives its request
// (Close then leaves nothing running) and so that clients speaking
// 2026-07-28, which has no sessions, are served too.
func newMCPHandler() http.Handler {
	server := mcp.NewServer(&mcp.Implementation{Name: "mcpconform-reference", Version: "1.0.0"}, nil)
	mcp.AddTool(server, &mcp.Tool{Name: "echo", Description: "Returns its text unchanged."}, echo)
	return mcp.NewStreamableHTTPHandler(
		func(*http.Request) *mcp.Server { return server },
		&mcp.StreamableHTTPOptions{Stateless: true, JSONResponse: true},
	)
}

func echo(_ context.Context, _ *mcp.CallToolRequest, in echoInput) (*mcp.CallToolResult, any, error) {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: in.Text}}}, nil, nil
}
