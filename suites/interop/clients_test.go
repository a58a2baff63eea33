package interop_test

import (
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/check"
)

// independentClients are MCP clients built on libraries from the module
// proxy, each with what client mode finds in it and why each finding is
// true, and the checks it gives nothing to judge, with why.
var independentClients = []struct {
	name     string
	pkg      string // the client program, wired for the conformance contract
	findings map[string]string
	notRun   map[string]string
	// blocked are checks skipped because a finding is their prerequisite.
	blocked map[string]string
	// notRunAt are checks not run at some revisions only, findings there
	// included.
	notRunAt map[string]revisionNote
}{
	{
		name: "the Go MCP SDK's client authorization (auth.AuthorizationCodeHandler, v1.8.0)",
		pkg:  "github.com/mcpconform/mcpconform/suites/interop/clients/gosdk",
		findings: map[string]string{
			"CL-META-002": "authutil.IssuersEqual ignores a trailing slash: metadata naming https://as/oauth/ is taken for " +
				"issuer https://as/oauth, where RFC 8414 §3.3 requires the identical string",
			"CL-PKCE-001": "oauthex.GetAuthServerMeta only requires code_challenge_methods_supported to be non-empty: a " +
				"server listing only plain is used (with S256), where MCP asks the client to refuse it",
			"CL-ISS-004": "validateIssuerResponse refuses a matching iss the metadata does not advertise unless " +
				"AcceptUnadvertisedIss is set (off by default, the SDK's 'historical' behaviour); 2026-07-28 says to proceed",
			"CL-REF-002": "the handler's token source is golang.org/x/oauth2's Config.TokenSource, whose tokenRefresher " +
				"(oauth2.go) sends only grant_type and refresh_token: no refresh carries resource",
			"CL-CB-003": "getAuthorizationCode takes one AuthorizationResult from the AuthorizationCodeFetcher and fails the " +
				"flow on a state mismatch instead of waiting for the response that answers it; the state to match is inside " +
				"the handler, so a fetcher can only hand over the first response its redirect URI gets, as the SDK's " +
				"examples/auth/client receiver does",
			"CL-CB-006": "the same single AuthorizationResult (CL-CB-003): in the step-up flow the replayed first response " +
				"arrives first, its state mismatches, and the flow fails instead of waiting for the real answer",
			"CL-REF-005": "once an access token issued without a refresh token expires, x/oauth2's token source answers " +
				"'token expired and refresh token is not set' and the handler starts no new authorization: the session fails",
			"CL-TOK-006": "the token response's token_type is never checked: x/oauth2's Token.Type() only defaults an empty " +
				"one to Bearer, and the handler sends whatever access_token it got as Authorization: Bearer",
		},
		notRun: clientCredentialsNotRun("the harness wires the SDK's AuthorizationCodeHandler; its client credentials "+
			"handler (auth/extauth) is a separate type the conformance contract gives no way to choose, so it is not wired", map[string]string{
			"CL-REG-008": "DynamicClientRegistrationConfig has no initial access token: registration is open or not done",
		}),
	},
	{
		name: "mark3labs/mcp-go's OAuth client (v1.2.1, wired as its oauth_client example)",
		pkg:  "github.com/mcpconform/mcpconform/suites/interop/clients/mcpgo",
		findings: map[string]string{
			"CL-SCOPE-003": "no step-up: StreamableHTTP.SendRequest turns only a 401 into OAuthAuthorizationRequiredError; " +
				"a 403 insufficient_scope is \"request failed with status 403\", and nothing in the client reads its challenge",
			"CL-SCOPE-004": "no step-up, so no union of held and challenged scopes either (CL-SCOPE-003)",

			"CL-DISC-001": "the OAuth transport reports authorization required before sending any request, so discovery " +
				"starts at the well-known URL without having seen the 401 challenge; its resource_metadata is used only after",
			"CL-META-002": "fetchServerMetadata compares issuers with a trailing slash trimmed (RFC 8414 §3.3: identical)",
			"CL-PKCE-001": "code_challenge_methods_supported is never consulted: S256 is sent to a server listing only plain",
			"CL-ISS-001":  "ProcessAuthorizationResponse takes no iss: RFC 9207 is not implemented",
			"CL-ISS-002":  "no RFC 9207 iss validation (CL-ISS-001)",
			"CL-ISS-003":  "no RFC 9207 iss validation, so no exact comparison either (CL-ISS-001)",
			"CL-ISS-006":  "no RFC 9207 iss validation (CL-ISS-001): it redeems the honest server's code at the mix-up attacker's token endpoint",
			"CL-SCOPE-001": "GetAuthorizationURL asks for OAuthConfig.Scopes only: the challenge's scope is never used " +
				"(the harness configures none, as the example's scopes belong to its own server)",
			"CL-SCOPE-002": "nor the protected resource metadata's scopes_supported (CL-SCOPE-001)",
			"CL-REG-001":   "RegisterClient's metadata has no application_type, which 2026-07-28 requires of registrations",
			"CL-CB-003": "the oauth_client example's callback handler (the harness copies it) ends the flow at the first " +
				"response whose state does not match, instead of passing it over and waiting for the real one",
			"CL-DISC-008": "without resource_metadata in the challenge, getServerMetadata builds one protected resource " +
				"metadata URL (buildWellKnownURL: the path-inserted one) and on its 404 goes to authorization server " +
				"discovery at the MCP origin: the root well-known URL is never tried",
			"CL-REF-005": "once an access token without a refresh token expires, the transport reports 'no valid token " +
				"available, authorization required', and the oauth_client example (the harness copies it) authorizes only " +
				"at Start and Initialize",
			"CL-MIG-001": "the oauth_client example (the harness copies it) authorizes only when Start or Initialize reports " +
				"authorization required, and the library does not find the new authorization server by itself: after the " +
				"move, tools/list fails with 'no valid token available, authorization required'",
			"CL-CIMD-001": "its OAuth client has no client ID metadata document support: with a document and a server " +
				"that advertises them, it registers dynamically",
			"CL-TOK-003": "ProcessAuthorizationResponse decodes any 2xx JSON body into a Token and saves it without checking " +
				"that access_token is there: the client then sends requests with an empty Bearer credential",
			"CL-TLS-002": "validateAuthServerMetadataURLs refuses schemes other than http and https, but takes http on " +
				"any host: a plain-http authorization endpoint off loopback goes to the browser",
		},
		notRun: clientCredentialsNotRun("its OAuth client has no client credentials grant", map[string]string{
			"CL-FLOW-002": "the OAuth transport asks for authorization before it sends anything, so every request past " +
				"initialize carries a token and no 401 after initialize is ever met",
			"CL-REF-003": "the example sends two requests with a token (initialize, tools/list) and refreshes before the " +
				"second: its session ends before the refreshed token expires, so it never refreshes again",
			"CL-REG-008": "RegisterClient sends no Authorization header: it has no initial access token to give",
		}),
		blocked: map[string]string{
			"CL-CB-006":   "needs a step-up flow to replay into (CL-SCOPE-003)",
			"CL-CIMD-002": "needs a flow with a client ID metadata document (CL-CIMD-001)",
			"CL-CIMD-003": "needs a flow with a client ID metadata document (CL-CIMD-001)",
			"CL-MIG-002":  "needs a flow at the new authorization server (CL-MIG-001)",
			"CL-RES-002":  "needs the root protected resource metadata read (CL-DISC-008)",
		},
		notRunAt: map[string]revisionNote{
			"CL-URL-002": {at: []spec.Revision{spec.Rev20250326}, why: "it looks for the metadata at the MCP URL's path-inserted " +
				"well-known URL, which a 2025-03-26 server does not serve, and uses the default endpoints: it never reads the " +
				"javascript: endpoint"},
			"CL-TLS-002": {at: []spec.Revision{spec.Rev20250326}, why: "as for CL-URL-002: at 2025-03-26 it never reads the " +
				"metadata naming the plain-http endpoint"},
		},
	},
}

// clientCredentialsNotRun is notRun with the client credentials checks,
// for a client that does not take up the extension, and why.
func clientCredentialsNotRun(why string, notRun map[string]string) map[string]string {
	out := maps.Clone(notRun)
	if out == nil {
		out = map[string]string{}
	}
	clientChecks := catalog.Filter{Revision: spec.Latest, Roles: []spec.Role{spec.RoleClient}}.Select()
	for _, c := range clientChecks {
		if strings.HasPrefix(c.ID, "CL-CC-") {
			out[c.ID] = why
		}
	}
	return out
}

// revisionNote says why a check is not run at some revisions.
type revisionNote struct {
	at  []spec.Revision
	why string
}

var _ = Describe("independent MCP clients", func() {
	for _, client := range independentClients {
		Describe(client.name, Ordered, func() {
			var command string
			BeforeAll(func() {
				var err error
				command, err = gexec.Build(client.pkg)
				Expect(err).NotTo(HaveOccurred())
			})

			for _, rev := range spec.Revisions {
				It("finds exactly the documented findings at "+string(rev), func() {
					res := runClientSuite(command, rev)
					Expect(res.Checks).To(HaveLen(len(catalog.Filter{Revision: rev, Roles: []spec.Role{spec.RoleClient}}.Select())), "every check reported")
					failed, skipped, messages := verdicts(res)
					findings, notRun := applicable(client.findings, rev), applicable(client.notRun, rev)
					for id, note := range client.notRunAt {
						if slices.Contains(note.at, rev) {
							findings = slices.DeleteFunc(findings, func(f string) bool { return f == id })
							notRun = append(notRun, id)
						}
					}
					blocked := applicable(client.blocked, rev)
					Expect(failed).To(ConsistOf(findings), "failed checks; messages: %v", messages)
					Expect(skipped).To(ConsistOf(slices.Concat(notRun, blocked)), "skipped checks; messages: %v", messages)
					for _, id := range skipped {
						prefix := check.NotRunPrefix
						if slices.Contains(blocked, id) {
							prefix = check.PrerequisitePrefix
						}
						Expect(messages[id]).To(HavePrefix(prefix), "%s skipped for the wrong reason", id)
					}
				})
			}
		})
	}
})

// runClientSuite runs client mode on command as a user would and returns
// its results.
func runClientSuite(command string, rev spec.Revision) *reports.Results {
	GinkgoHelper()
	dir := GinkgoT().TempDir()
	cmd := exec.Command(binary, "client", "--command", command, "--spec-version", string(rev), "--report-dir", dir)
	cmd.Env = slices.DeleteFunc(os.Environ(), func(v string) bool { return strings.HasPrefix(v, "MCPCONFORM_") })
	session, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
	Expect(err).NotTo(HaveOccurred())
	Eventually(session).WithTimeout(2 * time.Minute).Should(gexec.Exit())
	return readResults(filepath.Join(dir, reports.ResultsFile))
}
