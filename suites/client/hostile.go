package client

import (
	"fmt"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/suites/check"
)

// hostileScenarios hand the client what a hostile server would: URLs
// built to run commands or scripts, a certificate no one vouches for.
var hostileScenarios = []Scenario{
	{Name: "auth/authorization-endpoint-shell-command", Since: spec.Rev20250326,
		Description: "the authorization endpoint's path carries '$(touch$IFS<file>)': a client that puts the URL in a " +
			"shell command line, quoted or not, runs it; the endpoint serves as the real one does",
		Options: []mockserver.Option{mockserver.WithShellCommandInAuthorizationEndpoint()}},
	{Name: "auth/authorization-endpoint-javascript", Since: spec.Rev20250326,
		Description: "the authorization server metadata names " + mockserver.ScriptAuthorizationEndpoint + " as authorization endpoint",
		Options:     []mockserver.Option{mockserver.WithScriptAuthorizationEndpoint()}},
	{Name: "auth/plain-http-authorization-endpoint", Since: spec.Rev20250326,
		Description: "the authorization server metadata names " + mockserver.PlainHTTPAuthorizationEndpoint +
			" (plain http off loopback) as authorization endpoint",
		Options: []mockserver.Option{mockserver.WithPlainHTTPAuthorizationEndpoint()}},
	{Name: "auth/untrusted-certificate", Since: spec.Rev20250326,
		Description: "the MCP and authorization servers speak HTTPS with a certificate from a CA made for the run, which no one trusts",
		Options:     []mockserver.Option{mockserver.WithTLS()}},
}

func describeHostile(s *Session) {
	Describe("Hostile servers", func() {
		It("runs no shell command an authorization endpoint URL carries", check.ID("CL-URL-001"), func() {
			o := check.Need(s.Observe("auth/authorization-endpoint-shell-command"))
			if o.ShellRan {
				Fail("the client ran the shell command the authorization endpoint's URL carries ('$(touch$IFS<file>)' created " +
					"the file): whoever controls the authorization server metadata runs commands on the user's machine " +
					"(CVE-2025-6514); a URL must reach the browser as one argument, never through a shell")
			}
			if len(o.AuthorizationRequests()) == 0 && len(o.Browsed) == 0 {
				Skip(check.NotRunPrefix + "the client neither opened the authorization URL nor asked $BROWSER to (" + o.Ending() + ")")
			}
		})

		It("opens no authorization endpoint but an https (or loopback http) URL", check.ID("CL-URL-002"), func() {
			s.expectNotBrowsed("auth/authorization-endpoint-javascript", func(u *url.URL) bool {
				return u.Scheme != "https" && u.Scheme != "http"
			}, "an authorization endpoint is an https URL (http on loopback at most); any other scheme from the metadata "+
				"must be refused, not opened (MCP communication security, CVE-2025-6514)")
		})

		It("opens no plain-http authorization endpoint off loopback", check.ID("CL-TLS-002"), func() {
			s.expectNotBrowsed("auth/plain-http-authorization-endpoint", func(u *url.URL) bool {
				return u.Scheme == "http" && !spec.IsLoopbackHost(u.Hostname())
			}, "every authorization server endpoint is served over https, plain http only on loopback: the authorization "+
				"request and its answer must not cross the network in the clear (MCP communication security, OAuth 2.1 §1.5)")
		})

		It("refuses a server whose TLS certificate it cannot verify", check.ID("CL-TLS-001"), func() {
			o := check.Need(s.Observe("auth/untrusted-certificate"))
			if n := len(o.Requests); n > 0 {
				Fail(fmt.Sprintf("the client sent %d request(s), the first to %s, over TLS to a server whose certificate "+
					"no CA it trusts issued: it must verify the certificate and stop (OAuth 2.1 §1.5, RFC 9110 §4.3.4)",
					n, o.redacted(o.Requests[0].URL.String())))
			}
			if o.Connections == 0 {
				Skip(check.NotRunPrefix + "the client never connected to the MCP server (" + o.Ending() + ")")
			}
		})
	})
}

// expectNotBrowsed judges what the client handed $BROWSER in auth/dcr and
// in scenario name, whose metadata names an authorization endpoint it must
// refuse: no URL that refused holds may be among them. Only a client seen
// using $BROWSER, that read the metadata there, shows its refusal.
func (s *Session) expectNotBrowsed(name string, refused func(*url.URL) bool, requirement string) {
	dcr := check.Need(s.completedFlow())
	o := check.Need(s.Observe(name))
	for _, observed := range []*Observation{dcr, o} {
		for _, u := range observed.Browsed {
			if parsed, err := url.Parse(u); err != nil || refused(parsed) {
				Fail(fmt.Sprintf("in %s the client asked $BROWSER to open %q: %s", observed.Scenario.Name,
					o.redacted(withoutQuery(u)), requirement))
			}
		}
	}
	switch {
	case len(dcr.Browsed) == 0:
		Skip(check.NotRunPrefix + "in auth/dcr the client authorized without $BROWSER, so what it opens is not seen")
	case !fetchedAny(o, []string{docASMetadata, docOpenID}):
		Skip(check.NotRunPrefix + "in " + name + " the client never fetched the authorization server metadata (" + o.Ending() + ")")
	}
}

// withoutQuery is u up to its query: the endpoint, without the request's
// parameters.
func withoutQuery(u string) string {
	endpoint, _, _ := strings.Cut(u, "?")
	return endpoint
}
