package fault

// The reference client's faults in the OAuth client credentials grant (MCP's
// OAuth client credentials extension; RFC 7523 §2.2 and §3).
const (
	ClientCCJWTBearerGrant       Name = "client.cc.jwt-bearer-grant"
	ClientCCAuthorizationRequest Name = "client.cc.authorization-request"
	ClientCCSecretPost           Name = "client.cc.secret-post"
	ClientCCAssertionTypeWrong   Name = "client.cc.assertion-type-wrong"
	ClientCCAssertionNoSubject   Name = "client.cc.assertion-no-sub"
	ClientCCAssertionAudienceMCP Name = "client.cc.assertion-audience-mcp"
	ClientCCAssertionOwnKey      Name = "client.cc.assertion-own-key"
)

// clientCCFaults break the client credentials grant of a client the context
// gives credentials of its own.
var clientCCFaults = []ClientFault{
	{ClientCCJWTBearerGrant, "with a private key, names grant_type urn:ietf:params:oauth:grant-type:jwt-bearer " +
		"(RFC 7523's authorization grant) instead of client_credentials, its client assertion unchanged"},
	{ClientCCAuthorizationRequest, "sends its user agent to the authorization endpoint with an authorization code request " +
		"first, then uses the client credentials grant anyway"},
	{ClientCCSecretPost, "sends its client secret in the token request body (client_secret_post) although the " +
		"authorization server lists client_secret_basic alone"},
	{ClientCCAssertionTypeWrong, "names client_assertion_type urn:ietf:params:oauth:grant-type:jwt-bearer, the grant type, " +
		"instead of urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
	{ClientCCAssertionNoSubject, "signs a client assertion without sub"},
	{ClientCCAssertionAudienceMCP, "signs a client assertion whose aud is the MCP server, not the authorization server"},
	{ClientCCAssertionOwnKey, "signs its client assertion with a key of its own, not the one it was given"},
}
