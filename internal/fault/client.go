package fault

import (
	"slices"
	"strings"
)

// The faults of the reference client (package mockclient/refclient): each
// makes an otherwise correct MCP client break one requirement, so the
// client-mode checks can be shown to catch it.
const (
	// The MCP session after authorization.
	ClientStopAfterToken        Name = "client.stop-after-token"
	ClientTokenInQuery          Name = "client.token-in-query"
	ClientTokenFirstRequestOnly Name = "client.token-first-request-only"
	ClientTokenToAnyOrigin      Name = "client.token-to-any-origin"
	// Authorizes only when the first request is refused.
	ClientAuthorizeAtFirstRequestOnly Name = "client.authorize-at-first-request-only"

	// Discovery (RFC 9728, RFC 8414).
	ClientIgnoreResourceMetadata Name = "client.ignore-resource-metadata"
	ClientSkipResourceCheck      Name = "client.skip-resource-check"
	ClientSkipIssuerCheck        Name = "client.skip-issuer-check"

	// PKCE (RFC 7636).
	ClientSkipPKCECheck     Name = "client.skip-pkce-check"
	ClientPKCEPlain         Name = "client.pkce-plain"
	ClientPKCEFixedVerifier Name = "client.pkce-fixed-verifier"

	// The authorization response: state and iss (RFC 9207).
	ClientNoState               Name = "client.no-state"
	ClientSkipStateCheck        Name = "client.skip-state-check"
	ClientAcceptMissingState    Name = "client.accept-missing-state"
	ClientSkipISSCheck          Name = "client.skip-iss-check"
	ClientAcceptMissingISS      Name = "client.accept-missing-iss"
	ClientISSNormalize          Name = "client.iss-normalize"
	ClientRejectUnadvertisedISS Name = "client.reject-unadvertised-iss"
	ClientRequireISS            Name = "client.require-iss"

	// The callback.
	ClientAcceptFrontChannelToken Name = "client.accept-front-channel-token"

	// Resource indicators (RFC 8707).
	ClientNoResource      Name = "client.no-resource"
	ClientResourceFromURL Name = "client.resource-from-url"
)

// ClientFault is one fault of the reference client and what it changes.
type ClientFault struct {
	Name        Name
	Description string
}

// ClientFaults lists every fault of the reference client, sorted by name;
// each area's file adds its list here.
var ClientFaults = sortedClientFaults(clientAuthorizationFaults, clientDiscoveryFaults, clientRegistrationFaults,
	clientStepUpFaults, clientRefreshFaults, clientOfflineFaults, clientHostileFaults, clientCCFaults, clientCIMDFaults,
	clientMigrationFaults, clientTokenFaults, clientCallbackFaults)

func sortedClientFaults(areas ...[]ClientFault) []ClientFault {
	out := slices.Concat(areas...)
	slices.SortFunc(out, func(a, b ClientFault) int { return strings.Compare(string(a.Name), string(b.Name)) })
	return out
}

// clientAuthorizationFaults break discovery, the authorization code flow
// and the use of its token.
var clientAuthorizationFaults = []ClientFault{
	{ClientTokenToAnyOrigin, "sends the access token with every MCP request, to wherever a redirect sends it"},
	{ClientAuthorizeAtFirstRequestOnly, "authorizes only when its first request (initialize) is answered 401: a later 401 ends the session"},
	{ClientAcceptFrontChannelToken, "uses an access token the authorization response carries instead of redeeming the code"},
	{ClientAcceptMissingISS, "compares iss with the issuer only when the authorization response carries one"},
	{ClientAcceptMissingState, "compares state only when the authorization response carries one"},
	{ClientIgnoreResourceMetadata, "ignores the challenge's resource_metadata and probes only the well-known URLs"},
	{ClientNoResource, "omits resource from the authorization and token requests, refreshes included"},
	{ClientResourceFromURL, "names the MCP server's URL as resource, not the identifier its protected resource metadata publishes"},
	{ClientNoState, "sends no state, and so checks none"},
	{ClientPKCEFixedVerifier, "uses the same well-formed code_verifier in every run"},
	{ClientPKCEPlain, "sends code_challenge_method=plain with the verifier as the challenge"},
	{ClientISSNormalize, "compares iss after dropping a trailing slash and decoding percent-encoding"},
	{ClientRejectUnadvertisedISS, "refuses an authorization response carrying iss when the metadata does not advertise it"},
	{ClientRequireISS, "refuses an authorization response without iss even when the metadata does not advertise it"},
	{ClientSkipISSCheck, "ignores iss in the authorization response"},
	{ClientSkipIssuerCheck, "accepts authorization server metadata whose issuer differs from the one looked up"},
	{ClientSkipPKCECheck, "proceeds when code_challenge_methods_supported lacks S256 (still sends S256)"},
	{ClientSkipResourceCheck, "accepts protected resource metadata whose resource differs from the MCP URL"},
	{ClientSkipStateCheck, "sends state but accepts any state in the response, or none"},
	{ClientStopAfterToken, "exits successfully right after the token response, without calling the MCP server with the token"},
	{ClientTokenFirstRequestOnly, "sends the Authorization header only on the first MCP request after authorization"},
	{ClientTokenInQuery, "also sends the access token in an access_token query parameter of every MCP request"},
}

// IsClientFault reports whether n is one of ClientFaults.
func IsClientFault(n Name) bool {
	return slices.ContainsFunc(ClientFaults, func(f ClientFault) bool { return f.Name == n })
}
