package fault

// Faults of the reference client that break discovery in a layout other
// than the reference one, or the choice of the scope to ask for.
const (
	// Protected resource and authorization server metadata (RFC 9728,
	// RFC 8414, OpenID Connect Discovery).
	ClientNoWellKnownFallback     Name = "client.no-well-known-fallback"
	ClientNoOIDCDiscovery         Name = "client.no-oidc-discovery"
	ClientAppendWellKnown         Name = "client.append-well-known"
	ClientRootIssuerTrailingSlash Name = "client.root-issuer-trailing-slash"
	ClientFallbackToMCPOrigin     Name = "client.fallback-to-mcp-origin"
	ClientOriginMetadataFirst     Name = "client.origin-metadata-first"
	ClientNoRootMetadataFallback  Name = "client.no-root-metadata-fallback"

	// The 2025-03-26 layout.
	ClientNoDefaultEndpoints Name = "client.no-default-endpoints"

	// MCP's scope selection strategy.
	ClientScopeAllSupported   Name = "client.scope-all-supported"
	ClientNoScope             Name = "client.no-scope"
	ClientScopeFromASMetadata Name = "client.scope-from-as-metadata"
)

// clientDiscoveryFaults break the discovery variants and scope selection.
var clientDiscoveryFaults = []ClientFault{
	{ClientAppendWellKnown, "first looks for the authorization server metadata at the issuer with the RFC 8414 suffix appended, then where it belongs"},
	{ClientNoRootMetadataFallback, "without resource_metadata in the challenge, tries the path-inserted protected resource " +
		"metadata URL only, never the root one"},
	{ClientOriginMetadataFirst, "looks for authorization server metadata at the MCP server's origin first, as in 2025-03-26, " +
		"and uses it when there is some, whatever the protected resource metadata names"},
	{ClientFallbackToMCPOrigin, "when the authorization server the protected resource names has no metadata, uses /authorize, /token and /register at the MCP server's origin"},
	{ClientNoDefaultEndpoints, "gives up when a 2025-03-26 server publishes no metadata, instead of using /authorize, /token and /register"},
	{ClientNoOIDCDiscovery, "looks for authorization server metadata only at the RFC 8414 URL, never OpenID Connect discovery"},
	{ClientNoScope, "never sends scope in the authorization request"},
	{ClientNoWellKnownFallback, "when the 401 challenge names no resource_metadata, skips the well-known URLs and takes the server for a 2025-03-26 one"},
	{ClientRootIssuerTrailingSlash, "builds the metadata URLs of an issuer without a path with a trailing slash (.../oauth-authorization-server/)"},
	{ClientScopeFromASMetadata, "asks for the authorization server's scopes_supported when neither the challenge nor the resource names a scope"},
	{ClientScopeAllSupported, "asks for every scope in scopes_supported even when the 401 challenge names the scope"},
}
