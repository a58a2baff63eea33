package fault

// The reference client's faults at its redirect URI (RFC 6749 §4.1.2,
// RFC 9700 §4.7, §4.2.4, RFC 8252 §7.3).
const (
	ClientCallbackAbortOnError         Name = "client.callback.abort-on-error"
	ClientCallbackAcceptSpentState     Name = "client.callback.accept-spent-state"
	ClientCallbackOpenRedirect         Name = "client.callback.open-redirect"
	ClientCallbackUnregisteredRedirect Name = "client.callback.unregistered-redirect-uri"
	ClientCallbackThirdPartyResources  Name = "client.callback.third-party-resources"
)

// clientCallbackFaults break how the client names its redirect URI and
// which authorization responses there it acts on.
var clientCallbackFaults = []ClientFault{
	{ClientCallbackAbortOnError, "ends its pending flow on the first error response at its redirect URI, before comparing state"},
	{ClientCallbackAcceptSpentState, "takes an authorization response carrying the state of any of its earlier authorization requests, not only the pending one"},
	{ClientCallbackOpenRedirect, "its redirect URI sends the browser on to the URL a request's next parameter names"},
	{ClientCallbackUnregisteredRedirect, "registers its redirect URI, then authorizes and redeems with it plus a query parameter (?flow=1)"},
	{ClientCallbackThirdPartyResources, "the page at its redirect URI loads a script from another origin and sets Referrer-Policy: unsafe-url"},
}
