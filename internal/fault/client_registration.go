package fault

// The reference client's faults in dynamic client registration and at the
// token endpoint.
const (
	// Dynamic client registration (RFC 7591, RFC 8252).
	ClientNoApplicationType          Name = "client.no-application-type"
	ClientRedirectLocalhost          Name = "client.redirect-localhost"
	ClientRetryRegistration          Name = "client.retry-registration"
	ClientIgnoreRegistrationError    Name = "client.ignore-registration-error"
	ClientIgnorePreregistered        Name = "client.ignore-preregistered"
	ClientIgnoreRegisteredAuthMethod Name = "client.ignore-registered-auth-method"
	ClientInitialAccessTokenToMCP    Name = "client.registration.initial-access-token-to-mcp"

	// A refused token request (RFC 6749 §5.2).
	ClientIgnoreTokenError Name = "client.ignore-token-error"
	ClientRetryToken       Name = "client.retry-token"
)

// clientRegistrationFaults break how the client registers and how it takes
// a refusal from the registration or token endpoint.
var clientRegistrationFaults = []ClientFault{
	{ClientIgnoreRegisteredAuthMethod, "authenticates at the token endpoint as the public client it asked to be, whatever the registration answered"},
	{ClientIgnorePreregistered, "registers dynamically although the context names its pre-registered client_id"},
	{ClientIgnoreRegistrationError, "on a refused registration, authorizes anyway with a client_id of its own making"},
	{ClientInitialAccessTokenToMCP, "sends the context's initial access token as Bearer on the MCP requests it makes before it holds an access token"},
	{ClientIgnoreTokenError, "on a refused code exchange, calls the MCP server anyway with a made-up Bearer value"},
	{ClientNoApplicationType, "registers without application_type"},
	{ClientRedirectLocalhost, "registers and uses the redirect URI http://localhost:PORT/callback (the same loopback listener)"},
	{ClientRetryRegistration, "repeats a refused registration request 10 times before giving up"},
	{ClientRetryToken, "repeats a refused code exchange 10 times before giving up"},
}
