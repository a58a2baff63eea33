package mockserver

import (
	"context"
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

const (
	// writeScope is what write_note needs on top of requiredScope, so that a
	// client holding only requiredScope meets a step-up challenge.
	writeScope    = "mcp:write"
	writeNoteTool = "write_note"
)

type echoInput struct {
	Text string `json:"text" jsonschema:"the text to send back"`
}

type writeNoteInput struct {
	Text string `json:"text" jsonschema:"the note to write"`
}

// newMCPHandler is the MCP endpoint without authorization: the official SDK
// with its tools (fetch_upstream only WithUpstream). It is stateless so that
// no session outlives its request (Close then leaves nothing running) and so
// that clients speaking 2026-07-28, which has no sessions, are served too.
func (s *Server) newMCPHandler() http.Handler {
	server := mcp.NewServer(&mcp.Implementation{Name: "mcpconform-reference", Version: "1.0.0"}, nil)
	mcp.AddTool(server, &mcp.Tool{Name: "echo", Description: "Returns its text unchanged."}, echo)
	mcp.AddTool(server, &mcp.Tool{
		Name:        writeNoteTool,
		Description: "Writes a note; needs the " + writeScope + " scope.",
	}, writeNote)
	if s.cfg.upstream != "" {
		mcp.AddTool(server, &mcp.Tool{
			Name:        fetchUpstreamTool,
			Description: "Calls the upstream API on the user's behalf and returns its HTTP status.",
		}, s.upstream().fetch)
	}
	return mcp.NewStreamableHTTPHandler(
		func(*http.Request) *mcp.Server { return server },
		&mcp.StreamableHTTPOptions{Stateless: true, JSONResponse: true},
	)
}

func echo(_ context.Context, _ *mcp.CallToolRequest, in echoInput) (*mcp.CallToolResult, any, error) {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: in.Text}}}, nil, nil
}

// writeNote stands for a side effect worth a scope of its own; the bearer
// middleware enforces that scope before the SDK sees the call.
func writeNote(_ context.Context, _ *mcp.CallToolRequest, in writeNoteInput) (*mcp.CallToolResult, any, error) {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "noted: " + in.Text}}}, nil, nil
}
