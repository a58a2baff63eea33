package interop_test

import (
	"context"
	"log/slog"
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
	"github.com/mcpconform/mcpconform/mockserver/testissuer"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/catalog"
)

// zitadelFindings are the checks the zitadel deployment fails, each for a
// requirement it really misses. The registration checks (AS-DCR-*) judge
// the test's registration endpoint, which refuses what the provider cannot
// honour and judges redirect URIs by op.ValidateAuthReqRedirectURI, the
// provider's own rule for the client being registered.
var zitadelFindings = map[string]string{
	"AS-CC-003": "client credentials grant whatever scope is asked: op leaves it to the storage, and the example " +
		"storage's ClientCredentialsTokenRequest (as the registry serves it) passes the request's scope through",
	"AS-CLIENT-002": "a failed HTTP Basic authentication is answered 401 invalid_client without a WWW-Authenticate " +
		"Basic challenge (op.RequestError; RFC 6749 §5.2)",
	"AS-CLIENT-004": "a client registered for client_secret_basic is served when it sends its secret in the form: " +
		"op takes the secret from either place whatever the client registered",
	"AS-CODE-002": "a replayed code is refused, but nothing issued from it is revoked: the example storage has already " +
		"deleted the code, so the access token stays active and the refresh token works",
	"AS-DCR-003": "a javascript: redirect URI is registered: op.ValidateAuthReqRedirectURI allows any scheme other " +
		"than http and https for a native client",
	"AS-DCR-004": "a data: redirect URI is registered, by the same rule as javascript:",
	"AS-DCR-006": "a redirect URI with a fragment is registered: op.ValidateAuthReqRedirectURI allows any https URI " +
		"for a native client (RFC 6749 §3.1.2 forbids fragments)",
	"AS-DCR-007": "a relative redirect URI is registered: op.ValidateAuthReqRedirectURI takes anything without " +
		"http:// or https:// for a custom scheme (RFC 6749 §3.1.2 wants an absolute URI)",
	"AS-PKCE-001": "a public client's authorization request without code_challenge gets a code: op refuses it only " +
		"at the token endpoint (\"PKCE required\"); RFC 7636 §4.4.1 has the authorization endpoint refuse it",
	"AS-PKCE-002": "code_challenge_method=plain is accepted, though the metadata lists only S256",
	"AS-PKCE-007": "code verifiers are not checked for 43 to 128 unreserved characters (oidc.VerifyCodeChallenge; " +
		"RFC 7636 §4.1)",
	"AS-REF-004": "reusing a rotated refresh token leaves its successor valid: the example storage's " +
		"renewRefreshToken detects no reuse",
	"AS-REF-007": "no RFC 8707: a refresh naming another resource is served",
	"AS-RES-001": "no RFC 8707: the resource parameter is ignored and access tokens name the client_id as aud " +
		"(the example storage's AuthRequest.GetAudience)",
	"AS-RES-002": "no RFC 8707: a token is issued for a resource the authorization server does not serve",
	"AS-TOKEN-001": "token responses carry no Cache-Control: no-store (httphelper.MarshalJSON sets only the " +
		"content type; RFC 6749 §5.1)",
	"RS-AUTH-005": "the 401 challenge names no scope: the SDK's RequireBearerToken names only scopes it enforces, " +
		"and none can be enforced, as zitadel's JWT access tokens carry no scope claim",
	"RS-PRM-003": "protected resource metadata is served only at the root well-known URL, where the SDK's auth " +
		"example mounts it; RFC 9728 §3.1 puts it at /.well-known/oauth-protected-resource/mcp (at 2025-06-18: " +
		"from 2025-11-25 a client falls back to the root URL, so it is no miss; zitadelFindingsThrough)",
	"RS-TOK-009": "the SDK's RequireBearerToken challenges a refused token without error=\"invalid_token\" " +
		"(RFC 6750 §3.1)",
	"RS-TRUST-003": "a token whose nbf is ahead is served: op.VerifyAccessToken checks issuer, signature and " +
		"expiry only (RFC 7519 §4.1.5)",
	"RS-TRUST-004": "a token for another resource is served: op.VerifyAccessToken checks no audience, and the MCP " +
		"server cannot require its own, as zitadel names the client_id as aud (AS-RES-001)",
}

// zitadelSkips are the checks that cannot judge this deployment, and why.
var zitadelSkips = map[string]string{
	"AS-AUTHZ-002": "the metadata does not advertise RFC 9207 iss in the authorization response",
	"AS-CIMD-001":  "op does not resolve client ID metadata documents, and the metadata does not advertise them",
	"AS-CIMD-002":  "no client ID metadata documents (AS-CIMD-001)",
	"AS-CIMD-003":  "no client ID metadata documents (AS-CIMD-001)",
	"AS-DCR-011":   "registration is open, as MCP deployments commonly run it: no initial access token to withhold",
	"AS-DCR-012":   "registration is open: no initial access token to forge",
	"RS-TOK-014": "the harness names no --other-resource: op has no RFC 8707 (AS-RES-001), so it issues no token for " +
		"another resource to present",
	"RS-TRUST-011": "the server requires no scope (RS-TRUST-007), so no scope failure to answer",
	"AS-INTRO-002": "nothing is revoked when a code is replayed (AS-CODE-002): no revoked token to introspect",
	"RS-PASS-001":  "the server calls no upstream API",
	"RS-TOK-001": "the access token was issued for the client_id, not the MCP server (AS-RES-001), so it is no " +
		"token issued for the server",
	"RS-TOK-010": "the server has no write_note tool, the suite's probe of a tool needing a scope of its own",
	"RS-TOK-011": "no write_note tool (RS-TOK-010)",
	"RS-TOK-012": "no write_note tool (RS-TOK-010)",
	"RS-TOK-013": "nothing is revoked when a code is replayed (AS-CODE-002): no revoked token to present",
	"RS-TRUST-007": "the server requires no scope: it cannot, as zitadel's JWT access tokens carry no scope claim " +
		"(RS-AUTH-005)",
}

// zitadelFindingsThrough are the findings that are findings only up to a
// revision: a later one allows what the deployment does.
var zitadelFindingsThrough = map[string]spec.Revision{"RS-PRM-003": spec.Rev20250618}

var _ = BeforeEach(func() {
	// zitadel/oidc logs every refused request through the default logger.
	slog.SetDefault(slog.New(slog.NewTextHandler(GinkgoWriter, nil)))
})

var _ = Describe("zitadel/oidc with the Go MCP SDK", func() {
	// 2025-03-26 clients look for the authorization server at the MCP
	// server's origin; this one has its own, as from 2025-06-18.
	for _, rev := range spec.From(spec.Rev20250618) {
		It("finds exactly the documented findings at "+string(rev), func() {
			testIssuer, trustArgs := serveTestIssuer()
			deployment, err := startZitadelDeployment(testIssuer)
			Expect(err).NotTo(HaveOccurred())
			caFile := filepath.Join(GinkgoT().TempDir(), "ca.pem")
			Expect(os.WriteFile(caFile, deployment.CA, 0o600)).To(Succeed())
			res := runSuite(deployment.MCPURL, rev, append(trustArgs, "--ca-file", caFile)...)

			Expect(res.Checks).To(HaveLen(len(catalog.Filter{Revision: rev, Roles: []spec.Role{spec.RoleAS, spec.RoleRS}}.Select())), "every check reported")
			failed, skipped, messages := verdicts(res)
			findings := slices.DeleteFunc(applicable(zitadelFindings, rev), func(id string) bool {
				through, ok := zitadelFindingsThrough[id]
				return ok && !through.AtLeast(rev)
			})
			Expect(failed).To(ConsistOf(findings), "failed checks; messages: %v", messages)
			Expect(skipped).To(ConsistOf(applicable(zitadelSkips, rev)), "skipped checks; messages: %v", messages)
		})
	}
})

// serveTestIssuer serves the suite's test issuer until the spec ends and
// returns it with the flags that point a run at it.
func serveTestIssuer() (tokenIssuer, []string) {
	GinkgoHelper()
	keyFile := filepath.Join(GinkgoT().TempDir(), "issuer.pem")
	key, err := testissuer.LoadKey(keyFile)
	Expect(err).NotTo(HaveOccurred())
	issuer, err := testissuer.New("http://127.0.0.1:0", key)
	Expect(err).NotTo(HaveOccurred())
	Expect(issuer.Serve(context.Background())).To(Succeed())
	DeferCleanup(issuer.Close)
	return tokenIssuer{URL: issuer.URL, JWKSURL: issuer.JWKSURL()},
		[]string{"--trusted-issuer", issuer.URL, "--trusted-issuer-key", keyFile}
}

// runSuite runs the binary against mcpURL as a user would, without an
// initial access token, with args, and returns its results.
func runSuite(mcpURL string, rev spec.Revision, args ...string) *reports.Results {
	GinkgoHelper()
	dir := GinkgoT().TempDir()
	cmd := exec.Command(binary, append([]string{"server", "--url", mcpURL, "--spec-version", string(rev),
		"--report-dir", dir}, args...)...)
	cmd.Env = slices.DeleteFunc(os.Environ(), func(v string) bool { return strings.HasPrefix(v, "MCPCONFORM_") })
	session, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
	Expect(err).NotTo(HaveOccurred())
	Eventually(session).WithTimeout(time.Minute).Should(gexec.Exit())
	return readResults(filepath.Join(dir, reports.ResultsFile))
}

// readResults reads a run's results.json.
func readResults(path string) *reports.Results {
	GinkgoHelper()
	f, err := os.Open(path)
	Expect(err).NotTo(HaveOccurred())
	defer f.Close()
	res, err := reports.ReadJSON(f)
	Expect(err).NotTo(HaveOccurred())
	return res
}

// verdicts are the IDs of the failed and the skipped checks, sorted, and
// every check's message.
func verdicts(res *reports.Results) (failed, skipped []string, messages map[string]string) {
	messages = map[string]string{}
	for _, c := range res.Checks {
		switch c.Status {
		case reports.StatusFailed:
			failed = append(failed, c.ID)
		case reports.StatusSkipped:
			skipped = append(skipped, c.ID)
		}
		if c.Message != "" {
			messages[c.ID] = c.Message
		}
	}
	return failed, skipped, messages
}

// applicable are the documented checks that apply to rev, sorted.
func applicable(documented map[string]string, rev spec.Revision) []string {
	var ids []string
	for _, id := range slices.Sorted(maps.Keys(documented)) {
		c, ok := catalog.Lookup(id)
		Expect(ok).To(BeTrue(), "%s is documented but not in the catalogue", id)
		if slices.Contains(c.Revisions, rev) {
			ids = append(ids, id)
		}
	}
	return ids
}
