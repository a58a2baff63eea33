package interop_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

var binary string

func TestInterop(t *testing.T) {
	// Run in GitHub Actions, the binary would annotate the job and write
	// to its summary for every run a test makes; the tests that check
	// that output set these themselves.
	t.Setenv("GITHUB_ACTIONS", "")
	t.Setenv("GITHUB_STEP_SUMMARY", "")
	RegisterFailHandler(Fail)
	RunSpecs(t, "interop")
}

// The suite runs as users run it, through the binary: Ginkgo allows one
// suite per process, and this one is already running.
var _ = BeforeSuite(func() {
	var err error
	binary, err = gexec.Build("github.com/mcpconform/mcpconform/cmd/mcpconform")
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(gexec.CleanupBuildArtifacts)
})
