package fault

// The reference client's faults in the authorization code request, the code
// exchange and taking a token response (RFC 6749 §4.1.1, §4.1.3, §5.1, §7.1).
const (
	ClientTokenAcceptMalformed     Name = "client.token.accept-malformed-response"
	ClientTokenAcceptNoAccessToken Name = "client.token.accept-missing-access-token"
	ClientTokenIgnoreType          Name = "client.token.ignore-token-type"
	ClientTokenTypeCaseSensitive   Name = "client.token.type-case-sensitive"
	ClientTokenNoRedirectURI       Name = "client.token.no-redirect-uri"
	ClientFlowResponseTypeHybrid   Name = "client.flow.response-type-hybrid"
)

// clientTokenFaults break what the client asks for, how it redeems a code
// and what token response it acts on.
var clientTokenFaults = []ClientFault{
	{ClientTokenAcceptMalformed, "on a token response whose body is not a JSON object, calls the MCP server anyway with a made-up Bearer value"},
	{ClientTokenAcceptNoAccessToken, "on a token response without access_token, calls the MCP server anyway with a made-up Bearer value"},
	{ClientTokenIgnoreType, "uses the access token as a Bearer token whatever token_type the token response names"},
	{ClientTokenTypeCaseSensitive, "refuses a token response whose token_type is not spelt exactly Bearer (bearer, say)"},
	{ClientTokenNoRedirectURI, "leaves redirect_uri out of the code exchange although the authorization request carried it"},
	{ClientFlowResponseTypeHybrid, "asks for response_type \"code id_token\" (OpenID Connect's hybrid flow) instead of code"},
}
