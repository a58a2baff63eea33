package interop_test

import (
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
)

// goSDKClientFindings are what client mode finds in the Go MCP SDK's client
// authorization (auth.AuthorizationCodeHandler, v1.8.0), and why each is a
// true finding.
var goSDKClientFindings = map[string]string{
	"CL-META-002": "authutil.IssuersEqual ignores a trailing slash: metadata naming https://as/oauth/ is taken for " +
		"issuer https://as/oauth, where RFC 8414 §3.3 requires the identical string",
	"CL-PKCE-001": "oauthex.GetAuthServerMeta only requires code_challenge_methods_supported to be non-empty: a " +
		"server listing only plain is used (with S256), where MCP asks the client to refuse it",
}

var _ = Describe("the Go MCP SDK's client authorization", Ordered, func() {
	var client string
	BeforeAll(func() {
		var err error
		client, err = gexec.Build("github.com/mcpconform/mcpconform/suites/interop/clients/gosdk")
		Expect(err).NotTo(HaveOccurred())
	})

	for _, rev := range spec.Revisions {
		It("finds exactly the documented findings at "+string(rev), func() {
			res := runClientSuite(client, rev)
			Expect(res.Checks).To(HaveLen(len(catalog.Filter{Revision: rev, Roles: []spec.Role{spec.RoleClient}}.Select())), "every check reported")
			failed, skipped, messages := verdicts(res)
			Expect(failed).To(ConsistOf(applicable(goSDKClientFindings, rev)), "failed checks; messages: %v", messages)
			Expect(skipped).To(BeEmpty(), "skipped checks; messages: %v", messages)
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
