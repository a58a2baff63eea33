// Package interop runs the suite against independent implementations of
// MCP authorization: an authorization server built on a third-party OAuth
// library and an MCP server built on the official Go SDK. Its test records
// what the suite finds there, check by check, so that a change in the suite
// or in the implementation shows up as a changed verdict.
package interop
