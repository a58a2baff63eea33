package fault

// The reference client's faults when the MCP server moves to another
// authorization server (MCP 2026-07-28, SEP-2352).
const (
	ClientMigrationNoRediscovery  Name = "client.migration.no-rediscovery"
	ClientMigrationReuseClient    Name = "client.migration.reuse-client"
	ClientMigrationRefreshAtNewAS Name = "client.migration.refresh-at-new-server"
)

// clientMigrationFaults break how the client follows its MCP server to a
// new authorization server.
var clientMigrationFaults = []ClientFault{
	{ClientMigrationNoRediscovery, "when the MCP server refuses its access token, refreshes at the authorization server it knows, never reading the protected resource metadata again"},
	{ClientMigrationReuseClient, "at the new authorization server, authorizes with the client_id the old one issued instead of registering"},
	{ClientMigrationRefreshAtNewAS, "at the new authorization server, first tries the old one's refresh token at its token endpoint"},
}
