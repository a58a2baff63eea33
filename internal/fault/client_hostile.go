package fault

// The reference client's faults with what a hostile server hands it: URLs
// to open and certificates to trust.
const (
	ClientBrowserThroughShell   Name = "client.browser.through-shell"
	ClientAnyEndpointScheme     Name = "client.endpoint.any-scheme"
	ClientPlainHTTPEndpoints    Name = "client.endpoint.plain-http"
	ClientSkipCertificateVerify Name = "client.tls.skip-verify"
)

// clientHostileFaults make the client trust what a hostile server names.
var clientHostileFaults = []ClientFault{
	{ClientBrowserThroughShell, "opens the authorization URL with the shell command line sh -c \"$BROWSER '<url>'\", " +
		"single-quoting the URL as it comes"},
	{ClientAnyEndpointScheme, "takes the authorization server's endpoints whatever their scheme (javascript:, file:, http off loopback)"},
	{ClientPlainHTTPEndpoints, "takes the authorization server's http endpoints on any host, not only on loopback"},
	{ClientSkipCertificateVerify, "accepts any TLS certificate"},
}
