// Package interop runs the suite against independent implementations of
// MCP authorization: in server mode, an authorization server built on a
// third-party OAuth library and an MCP server built on the official Go SDK;
// in client mode, MCP clients built on the Go SDK's and mcp-go's client
// authorization (clients/). Its tests record what the suite finds there,
// check by check, so that a change in the suite or in an implementation
// shows up as a changed verdict.
package interop
