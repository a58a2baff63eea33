package client

import (
	"slices"
	"strings"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

// Scenario is one situation the client under test is put in: the MCP server
// and authorization server it meets, configured to behave in one way.
type Scenario struct {
	Name        string
	Description string
	// Since is the first revision the scenario exists in.
	Since spec.Revision
	// Until is the last revision it exists in; empty: every one after Since.
	Until   spec.Revision
	Options []mockserver.Option
	// Context is what MCP_CONFORMANCE_CONTEXT tells the client besides the
	// scenario's name (a pre-registered client's ID, say).
	Context map[string]any
	// Prepare, when set, makes what the scenario needs anew for each run (a
	// client key pair, say): options added to Options, entries to Context.
	Prepare func() ([]mockserver.Option, map[string]any, error)
	// WaitsOnTime: the scenario lasts seconds whatever the client does
	// (tokens that really expire), so it starts first and the others run
	// meanwhile.
	WaitsOnTime bool
}

// AppliesTo reports whether the scenario is part of revision r.
func (s Scenario) AppliesTo(r spec.Revision) bool {
	return r.AtLeast(s.Since) && (s.Until == "" || s.Until.AtLeast(r))
}

// preregisteredClientID is the client the pre-registered scenario's
// authorization server knows; any loopback port may follow the host.
const preregisteredClientID = "mcpconform-preregistered-client"

// scenarios are every scenario; each area's file adds its list here.
var scenarios = slices.Concat(authorizationScenarios, discoveryScenarios, registrationScenarios, stepUpScenarios,
	refreshScenarios, offlineScenarios, hostileScenarios, clientCredentialsScenarios, cimdScenarios, migrationScenarios,
	tokenResponseScenarios)

// authorizationScenarios vary discovery and the authorization response.
var authorizationScenarios = []Scenario{
	{Name: "auth/dcr", Since: spec.Rev20250326,
		Description: "the reference servers: the client registers dynamically, authorizes and calls the MCP server"},
	{Name: "auth/pre-registration", Since: spec.Rev20250326,
		Description: "the authorization server knows the client already; its client_id is in the context",
		Options: []mockserver.Option{mockserver.WithClient(mockserver.Client{
			ID: preregisteredClientID, RedirectURIs: []string{"http://127.0.0.1/callback", "http://localhost/callback"}})},
		Context: map[string]any{"client_id": preregisteredClientID}},
	{Name: "auth/authorization-after-initialize", Since: spec.Rev20250326,
		Description: "the MCP server answers initialize without a token, and tools/list 401 with the usual challenge",
		Options:     []mockserver.Option{mockserver.WithAuthorizationAfterInitialize()}},
	{Name: "auth/redirect-to-second-server", Since: spec.Rev20250326,
		Description: "the MCP server answers every request carrying a valid token with 307 to a second MCP server at " +
			"another origin (localhost, another port), which needs no token",
		Options: []mockserver.Option{mockserver.WithRedirectToSecondServer()}},
	{Name: "auth/metadata-in-challenge-only", Since: spec.Rev20250618,
		Description: "the protected resource metadata lives only at the URL the 401 challenge names",
		Options:     []mockserver.Option{mockserver.WithMetadataOnlyInChallenge()}},
	{Name: "auth/resource-mismatch", Since: spec.Rev20250618,
		Description: "the protected resource metadata names another resource than the MCP server",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.RSPRMResourceMismatch)}},
	{Name: "auth/origin-resource", Since: spec.Rev20251125,
		Description: "the protected resource is the MCP server's origin: the 401 names no resource_metadata, and the metadata, only at " +
			"the root well-known URL, names the origin, for which alone the authorization server issues tokens and the MCP server takes them",
		Options: []mockserver.Option{mockserver.WithOriginResource(), mockserver.WithFaults(fault.RSChallengeNoResourceMetadata)}},
	{Name: "auth/metadata-issuer-mismatch", Since: spec.Rev20250618,
		Description: "the authorization server metadata names another issuer than the one it was found for",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.ASMetadataIssuerMismatch)}},
	{Name: "auth/no-s256", Since: spec.Rev20251125,
		Description: "the authorization server metadata offers only the plain PKCE method",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.ASMetadataNoS256)}},
	{Name: "auth/state-wrong", Since: spec.Rev20250326,
		Description: "the authorization response carries another state than the request",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.ASStateWrong)}},
	{Name: "auth/state-missing", Since: spec.Rev20250326,
		Description: "the authorization response carries no state",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.ASStateNotReturned)}},
	{Name: "auth/iss-wrong-issuer", Since: spec.Rev20260728,
		Description: "the authorization response names another issuer in iss",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.ASISSWrong)}},
	{Name: "auth/mix-up", Since: spec.Rev20260728,
		Description: "the authorization server is an attacker's: it sends the user agent on to an honest authorization server " +
			"(another origin) under a client it registered there with the client's redirect URI; the honest server's code, " +
			"state and iss come back to the client",
		Options: []mockserver.Option{mockserver.WithMixUp()}},
	{Name: "auth/iss-normalized", Since: spec.Rev20260728,
		Description: "the authorization response's iss is the issuer with a trailing slash",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.ASISSTrailingSlash)}},
	{Name: "auth/iss-percent-encoded", Since: spec.Rev20260728,
		Description: "the authorization response's iss is the issuer with a percent-encoded letter",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.ASISSPercentEncoded)}},
	{Name: "auth/iss-unexpected", Since: spec.Rev20260728,
		Description: "the metadata does not advertise iss, and the authorization response carries the right one",
		Options:     []mockserver.Option{mockserver.WithoutISSAdvertised()}},
	{Name: "auth/iss-not-advertised", Since: spec.Rev20260728,
		Description: "the metadata does not advertise iss, and the authorization response carries none",
		Options:     []mockserver.Option{mockserver.WithoutISSAdvertised(), mockserver.WithFaults(fault.ASISSOmit)}},
	{Name: "auth/injected-callback", Since: spec.Rev20250326,
		Description: "an attacker delivers its own authorization response at the client's redirect URI while the real one is pending",
		Options:     []mockserver.Option{mockserver.WithInjectedCallback()}},
	{Name: "auth/injected-error-callback", Since: spec.Rev20250326,
		Description: "an attacker delivers error responses (access_denied, with a forged state and with none) at the client's redirect URI while the real one is pending",
		Options:     []mockserver.Option{mockserver.WithInjectedErrorCallback()}},
	{Name: "auth/front-channel-token", Since: spec.Rev20250326,
		Description: "the authorization response carries an access token beside the code",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.ASTokenInResponse)}},
	{Name: "auth/iss-supported-missing", Since: spec.Rev20260728,
		Description: "the authorization server advertises iss but its authorization response omits it",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.ASISSOmit)}},
}

// Scenarios lists every scenario, sorted by name.
func Scenarios() []Scenario {
	out := slices.Clone(scenarios)
	slices.SortFunc(out, func(a, b Scenario) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// LookupScenario finds a scenario by name.
func LookupScenario(name string) (Scenario, bool) {
	i := slices.IndexFunc(scenarios, func(s Scenario) bool { return s.Name == name })
	if i < 0 {
		return Scenario{}, false
	}
	return scenarios[i], true
}
