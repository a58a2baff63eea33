package fault

// The reference client's faults with a client ID metadata document (MCP
// 2025-11-25 on; draft-ietf-oauth-client-id-metadata-document).
const (
	ClientCIMDRegisterAnyway    Name = "client.cimd.register-anyway"
	ClientCIMDTokenWithoutID    Name = "client.cimd.token-without-client-id"
	ClientCIMDUnlistedRedirect  Name = "client.cimd.unlisted-redirect"
	ClientCIMDIgnoreSupportFlag Name = "client.cimd.ignore-support-flag"
)

// clientCIMDFaults break how the client uses the client ID metadata
// document MCP_CONFORMANCE_CONTEXT names.
var clientCIMDFaults = []ClientFault{
	{ClientCIMDRegisterAnyway, "registers dynamically although it has a client ID metadata document and the authorization server supports them"},
	{ClientCIMDTokenWithoutID, "authorizes with its client ID metadata document URL, then leaves client_id out of the code exchange"},
	{ClientCIMDUnlistedRedirect, "with its client ID metadata document, uses a redirect URI the document does not list (path /oauth/callback)"},
	{ClientCIMDIgnoreSupportFlag, "uses its client ID metadata document URL as client_id even where the authorization server does not advertise client_id_metadata_document_supported"},
}
