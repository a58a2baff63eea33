// Package selftest proves every check can fail: it runs the mcpconform
// binary against the reference target, clean and with each named fault, and
// asserts that exactly the checks naming that fault fail.
package selftest_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"

	// The binary under test is built at run time from these packages;
	// importing them keys go test's cache to the specs (they declare
	// nothing on import).
	_ "github.com/mcpconform/mcpconform/suites/run"
)

var binary string

func TestSelftest(t *testing.T) {
	// Run in GitHub Actions, the binary would annotate the job and write
	// to its summary for every run a test makes; the tests that check
	// that output set these themselves.
	t.Setenv("GITHUB_ACTIONS", "")
	t.Setenv("GITHUB_STEP_SUMMARY", "")
	RegisterFailHandler(Fail)
	RunSpecs(t, "selftest")
}

var _ = BeforeSuite(func() {
	var err error
	binary, err = gexec.Build("github.com/mcpconform/mcpconform/cmd/mcpconform")
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(gexec.CleanupBuildArtifacts)
	serveTrustedIssuer()
})
