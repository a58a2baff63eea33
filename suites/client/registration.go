package client

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/url"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/suites/check"
)

// registrationScenarios refuse what the client asks of the registration
// and token endpoints.
var registrationScenarios = []Scenario{
	{Name: "auth/registration-refused", Since: spec.Rev20250326,
		Description: "registration needs an initial access token the client was never given, and answers 401",
		Options:     []mockserver.Option{mockserver.WithInitialAccessToken(rand.Text())}},
	{Name: "auth/registration-initial-access-token", Since: spec.Rev20250326,
		Description: "registration needs an initial access token, which the context gives the client as initial_access_token " +
			"(an mcpconform extension of the official context)",
		Prepare: func() ([]mockserver.Option, map[string]any, error) {
			token := rand.Text()
			return []mockserver.Option{mockserver.WithInitialAccessToken(token)}, map[string]any{contextInitialAccessToken: token}, nil
		}},
	{Name: "auth/token-endpoint-auth-basic", Since: spec.Rev20250326,
		Description: "registration assigns client_secret_basic and a secret, whatever the client asked",
		Options:     []mockserver.Option{mockserver.WithRegistrationAuthMethod("client_secret_basic")}},
	{Name: "auth/token-endpoint-auth-post", Since: spec.Rev20250326,
		Description: "registration assigns client_secret_post and a secret, whatever the client asked",
		Options:     []mockserver.Option{mockserver.WithRegistrationAuthMethod("client_secret_post")}},
	{Name: "auth/token-endpoint-auth-none", Since: spec.Rev20250326,
		Description: "registration assigns none: a public client",
		Options:     []mockserver.Option{mockserver.WithRegistrationAuthMethod("none")}},
	{Name: "auth/token-refused", Since: spec.Rev20250326,
		Description: "the token endpoint refuses the authorization code with invalid_grant",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.ASTokenRefuseCodes)}},
}

// contextInitialAccessToken names the context's initial access token for
// the registration endpoint (RFC 7591 §3).
const contextInitialAccessToken = "initial_access_token"

// registeredAuthScenarios are the scenarios whose registration assigns each
// token endpoint auth method.
var registeredAuthScenarios = map[string]string{
	"client_secret_basic": "auth/token-endpoint-auth-basic",
	"client_secret_post":  "auth/token-endpoint-auth-post",
	"none":                "auth/token-endpoint-auth-none",
}

// tokenEndpointAuthMethod is how a token request authenticated its client:
// HTTP Basic, a secret in the body, or neither.
func tokenEndpointAuthMethod(r mockserver.CapturedRequest) string {
	basic := strings.HasPrefix(strings.ToLower(r.Header.Get("Authorization")), "basic ")
	posted := r.Form().Get("client_secret") != ""
	switch {
	case basic && posted:
		return "both client_secret_basic and client_secret_post"
	case basic:
		return "client_secret_basic"
	case posted:
		return "client_secret_post"
	}
	return "none"
}

// maxRefusedAttempts bounds how often a client may send a request its
// server refuses: a second try can be a fix, more is a loop.
const maxRefusedAttempts = 2

func describeRegistration(s *Session) {
	Describe("Client registration and refusals", func() {
		It("registers with an application_type that fits its redirect URIs", check.ID("CL-REG-001"), func() {
			for _, m := range s.registrations("auth/dcr") {
				switch m.ApplicationType {
				case "native":
				case "web":
					for _, uri := range m.RedirectURIs {
						if !remoteHTTPS(uri) {
							Fail(fmt.Sprintf("the client registered as a web application with the redirect URI %s: "+
								"loopback and custom-scheme redirect URIs need application_type native", uri))
						}
					}
				case "":
					Fail("the registration request carries no application_type: clients must state native or web " +
						"(authorization servers default to web, which refuses loopback redirect URIs)")
				default:
					Fail(fmt.Sprintf("the registration request's application_type is %q, neither native nor web", m.ApplicationType))
				}
			}
		})

		It("authorizes as its pre-registered client without registering", check.ID("CL-REG-004"), func() {
			check.Need(s.completedFlow())
			o := check.Need(s.authorizing("auth/pre-registration"))
			if n := len(o.RegistrationRequests()); n > 0 {
				Fail(fmt.Sprintf("the client registered dynamically (%d request(s)) although it has a pre-registered client "+
					"(client_id in MCP_CONFORMANCE_CONTEXT): a pre-registered client comes first", n))
			}
			for _, r := range o.AuthorizationRequests() {
				if id := r.URL.Query().Get("client_id"); id != preregisteredClientID {
					Fail(fmt.Sprintf("the client authorized as %q, not as its pre-registered client %s", id, preregisteredClientID))
				}
			}
		})

		It("authenticates at the token endpoint as its registration answered", check.ID("CL-REG-005"), func() {
			check.Need(s.completedFlow())
			for _, method := range slices.Sorted(maps.Keys(registeredAuthScenarios)) {
				scenario := registeredAuthScenarios[method]
				o := check.Need(s.Observe(scenario))
				if len(o.RegistrationRequests()) == 0 {
					Skip(fmt.Sprintf("%sin %s the client did not register (%s)", check.NotRunPrefix, scenario, o.Ending()))
				}
				exchanges := codeExchanges(o)
				if len(exchanges) == 0 {
					Skip(fmt.Sprintf("%sin %s the client redeemed no code (%s)", check.NotRunPrefix, scenario, o.Ending()))
				}
				for _, r := range exchanges {
					if used := tokenEndpointAuthMethod(r); used != method {
						Fail(fmt.Sprintf("in %s the registration answered token_endpoint_auth_method %s, and the client "+
							"authenticated its code exchange with %s (RFC 7591 §3.2.1: the registered values apply)", scenario, method, used))
					}
				}
			}
		})

		It("registers http redirect URIs only on a loopback IP literal", check.ID("CL-REG-002"), func() {
			for _, m := range s.registrations("auth/dcr") {
				for _, uri := range m.RedirectURIs {
					if problem := httpRedirectProblem(uri); problem != "" {
						Fail(fmt.Sprintf("the client registered the redirect URI %s: %s", uri, problem))
					}
				}
			}
		})

		It("authorizes with a redirect URI it registered", check.ID("CL-REG-007"), func() {
			judged := false
			for _, sc := range Scenarios() {
				o, err := s.Observe(sc.Name)
				if err != nil {
					continue
				}
				registered, ok := registeredRedirectURIs(o)
				if !ok {
					continue
				}
				for _, r := range o.AuthorizationRequests() {
					q := r.URL.Query()
					// A client ID metadata document names its redirect URIs itself.
					if strings.HasPrefix(q.Get("client_id"), "https://") {
						continue
					}
					judged = true
					check.Attach(o)
					if problem := unregisteredRedirect(q, registered); problem != "" {
						Fail(fmt.Sprintf("in %s the client registered the redirect URIs %s, and its authorization request %s: "+
							"the redirect URI must be one registered, compared as a string (a loopback IP's port aside) "+
							"(RFC 7591 §2; OAuth 2.1 §2.3.1, §8.4.2)", o.Scenario.Name, strings.Join(registered, " "), problem))
					}
				}
			}
			if !judged {
				s.skipUnjudged("the client registered dynamically and then authorized in no scenario")
			}
		})

		It("stops after a refused registration", check.ID("CL-REG-003"), func() {
			check.Need(s.completedFlow())
			o := check.Need(s.Observe("auth/registration-refused"))
			registrations := o.RegistrationRequests()
			if len(registrations) == 0 {
				Skip(fmt.Sprintf("%sin auth/registration-refused the client sent no registration request (%s)", check.NotRunPrefix, o.Ending()))
			}
			if len(registrations) > maxRefusedAttempts {
				Fail(fmt.Sprintf("the client sent %d registration requests to an endpoint that refused them with 401: "+
					"a refused registration must end in an error, not a loop", len(registrations)))
			}
			for _, r := range o.AuthorizationRequests() {
				// A client ID metadata document is a client_id of the
				// client's own, which needs no registration.
				if !strings.HasPrefix(r.URL.Query().Get("client_id"), "https://") {
					Fail("the client sent an authorization request after its registration was refused: " +
						"it has no client_id the authorization server issued")
				}
			}
		})

		It("sends its initial access token to the registration endpoint alone", check.ID("CL-REG-008"), func() {
			check.Need(s.completedFlow())
			name := "auth/registration-initial-access-token"
			o := check.Need(s.Observe(name))
			token, _ := o.Context[contextInitialAccessToken].(string)
			if !slices.ContainsFunc(o.RegistrationRequests(), func(r mockserver.CapturedRequest) bool { return carriedIn(r, token) != "" }) {
				Skip(fmt.Sprintf("%sin %s the client never registered with the initial access token the context gave it (%s)",
					check.NotRunPrefix, name, o.Ending()))
			}
			registration := o.Endpoints.Registration
			for _, r := range o.Requests {
				if !sameEndpoint(r.URL, registration) && carriedIn(r, token) != "" {
					Fail(fmt.Sprintf("in %s the client sent its initial access token to %s %s://%s%s: it authorizes registration "+
						"at %s alone (RFC 7591 §3), and a bearer credential sent elsewhere is one that server can replay (RFC 6750 §5.2)",
						name, r.Method, r.URL.Scheme, r.URL.Host, r.URL.Path, registration))
				}
			}
		})

		It("makes no MCP request with a token after the token endpoint issued none", check.ID("CL-TOK-003"), func() {
			for _, o := range s.tokenlessExchanges() {
				if sent := o.AuthenticatedMCPRequests(); len(sent) > 0 {
					Fail(fmt.Sprintf("in %s the token endpoint %s and issued no access token, yet the client sent %d MCP request(s) "+
						"with an Authorization header: only a successful token response carries an access token (RFC 6749 §5.1, §5.2)",
						o.Scenario.Name, tokenlessAnswers[o.Scenario.Name], len(sent)))
				}
			}
		})

		It("does not retry a failed code exchange in a loop", check.ID("CL-TOK-004"), func() {
			for _, o := range s.tokenlessExchanges() {
				if sent := codeExchanges(o); len(sent) > maxRefusedAttempts {
					Fail(fmt.Sprintf("in %s the token endpoint %s, and the client sent %d code exchanges: "+
						"a failed code exchange must end in an error, not a loop (RFC 6749 §5.2)",
						o.Scenario.Name, tokenlessAnswers[o.Scenario.Name], len(sent)))
				}
			}
		})
	})
}

// clientMetadata is the part of a registration request's client metadata
// (RFC 7591 §2) the checks judge.
type clientMetadata struct {
	ApplicationType string   `json:"application_type"`
	RedirectURIs    []string `json:"redirect_uris"`
	GrantTypes      []string `json:"grant_types"`
}

// registrations are the client metadata the client registered in scenario
// name. A client that registered otherwise (pre-registered, a client ID
// metadata document) shows nothing here.
func (s *Session) registrations(name string) []clientMetadata {
	o := check.Need(s.Observe(name))
	requests := o.RegistrationRequests()
	if len(requests) == 0 {
		Skip(fmt.Sprintf("%sin %s the client sent no registration request (%s)", check.NotRunPrefix, name, o.Ending()))
	}
	var out []clientMetadata
	for _, r := range requests {
		var m clientMetadata
		if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
			Fail(fmt.Sprintf("a registration request's body is not client metadata in JSON (RFC 7591 §3.1): %v", err), 1)
		}
		out = append(out, m)
	}
	return out
}

// registeredRedirectURIs are the redirect URIs of the registrations the
// authorization server accepted in o, and whether it accepted any.
func registeredRedirectURIs(o *Observation) (uris []string, registered bool) {
	for _, r := range o.RegistrationRequests() {
		var m clientMetadata
		if r.Status/100 != 2 || json.Unmarshal([]byte(r.Body), &m) != nil {
			continue
		}
		registered = true
		uris = append(uris, m.RedirectURIs...)
	}
	return uris, registered
}

// unregisteredRedirect says what is wrong with an authorization request's
// redirect_uri given the registered ones, or "": it must be one of them, and
// may be left out only when there is exactly one (OAuth 2.1 §4.1.1).
func unregisteredRedirect(q url.Values, registered []string) string {
	if !q.Has("redirect_uri") {
		if len(registered) == 1 {
			return ""
		}
		return "carries no redirect_uri"
	}
	sent := q.Get("redirect_uri")
	if slices.ContainsFunc(registered, func(uri string) bool { return spec.RedirectURIMatches(uri, sent) }) {
		return ""
	}
	return "names " + sent
}

// remoteHTTPS reports whether a redirect URI is an https URL off the
// loopback interface: what a web application redirects to.
func remoteHTTPS(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Scheme == "https" && !strings.EqualFold(u.Hostname(), "localhost") && !isLoopbackIP(u.Hostname())
}

// httpRedirectProblem says what is wrong with a plain http redirect URI,
// or "": http is for the loopback interface, named by its IP literal
// (RFC 8252 §7.3, §8.3).
func httpRedirectProblem(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Scheme != "http":
		return ""
	case strings.EqualFold(u.Hostname(), "localhost"):
		return "a loopback redirect URI should name the IP literal (127.0.0.1 or [::1]), not localhost, " +
			"which may resolve elsewhere or lead the client to listen on other interfaces"
	case !isLoopbackIP(u.Hostname()):
		return "plain http is only for loopback redirect URIs on a loopback IP literal"
	}
	return ""
}

func isLoopbackIP(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
