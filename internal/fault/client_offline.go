package fault

// The reference client's faults in asking for refresh tokens (MCP
// 2026-07-28, refresh tokens).
const (
	ClientOfflineAccessAlways Name = "client.offline-access-always"
	ClientNoRefreshGrant      Name = "client.no-refresh-grant"
)

// clientOfflineFaults break how the client asks for a refresh token: the
// offline_access scope and the refresh_token grant it registers.
var clientOfflineFaults = []ClientFault{
	{ClientNoRefreshGrant, "where the authorization server lists offline_access, relies on that scope alone: registers " +
		"grant_types [authorization_code] only, without refresh_token"},
	{ClientOfflineAccessAlways, "adds offline_access to every requested scope, whether or not the authorization server lists it"},
}
