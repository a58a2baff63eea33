package fault

// The reference client's faults in refreshing its access token (OAuth 2.1
// §4.3, RFC 6749 §6 and §10.4, RFC 8707 §2).
const (
	ClientNoRefresh              Name = "client.no-refresh"
	ClientRefreshWithoutResource Name = "client.refresh-without-resource"
	ClientReuseRefreshToken      Name = "client.reuse-refresh-token"
	ClientRefreshTokenToMCP      Name = "client.refresh-token-to-mcp"
	ClientNoReauthorization      Name = "client.no-reauthorization"
)

// clientRefreshFaults break how the client renews an expired access token
// and keeps its refresh token.
var clientRefreshFaults = []ClientFault{
	{ClientNoReauthorization, "gives up when its access token expires and it holds no refresh token, instead of authorizing again"},
	{ClientNoRefresh, "runs the authorization code flow again when its access token expires, never using its refresh token"},
	{ClientRefreshTokenToMCP, "also sends its refresh token to the MCP server, in an X-Refresh-Token header of every MCP request"},
	{ClientRefreshWithoutResource, "omits resource from its refresh requests (the authorization and code exchange still carry it)"},
	{ClientReuseRefreshToken, "keeps the first refresh token and sends it again, ignoring the rotated one"},
}
