package server

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/mcpconform/mcpconform/internal/canary"
	"github.com/mcpconform/mcpconform/mockclient"
)

// Upstream is the canary API the server under test is pointed at and the
// tool that makes it call there.
type Upstream struct {
	Canary *canary.Canary
	Tool   string
}

// CanaryHint is the one line that says how to enable the passthrough check.
const CanaryHint = "no upstream canary: point the MCP server's upstream API at http://127.0.0.1:9401, then run with " +
	"--canary http://127.0.0.1:9401 --canary-tool TOOL (a tool of the server that calls that API)"

// CallTool calls a tool in the session with arguments.
func (c *mcpConversation) CallTool(ctx context.Context, name string, arguments map[string]any) (*mockclient.Response, error) {
	call, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": c.nextID(), "method": "tools/call",
		"params": map[string]any{"name": name, "arguments": arguments}})
	if err != nil {
		return nil, fmt.Errorf("server: encode tool call: %w", err)
	}
	return c.post(ctx, string(call))
}
