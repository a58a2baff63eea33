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

		It("makes no MCP request with a token after the token endpoint refused the code", check.ID("CL-TOK-003"), func() {
			o := s.refusedCodeExchanges()
			if sent := o.AuthenticatedMCPRequests(); len(sent) > 0 {
				Fail(fmt.Sprintf("the token endpoint refused the code with invalid_grant and issued no token, "+
					"yet the client sent %d MCP request(s) with an Authorization header", len(sent)))
			}
		})

		It("does not retry a refused token request in a loop", check.ID("CL-TOK-004"), func() {
			o := s.refusedCodeExchanges()
			if sent := codeExchanges(o); len(sent) > maxRefusedAttempts {
				Fail(fmt.Sprintf("the client sent %d code exchanges although the token endpoint refused the code with invalid_grant: "+
					"a refused grant must end in an error, not a loop", len(sent)))
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

// refusedCodeExchanges is the token-refused scenario, from a client that
// completes the normal flow and sent a code exchange there.
func (s *Session) refusedCodeExchanges() *Observation {
	check.Need(s.completedFlow())
	o := check.Need(s.Observe("auth/token-refused"))
	if len(codeExchanges(o)) == 0 {
		Skip(fmt.Sprintf("%sin auth/token-refused the client sent no code exchange (%s)", check.NotRunPrefix, o.Ending()))
	}
	return o
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
