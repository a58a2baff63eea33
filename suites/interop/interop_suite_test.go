package interop_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

var binary string

func TestInterop(t *testing.T) {
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
