// Package selftest proves every check can fail: it runs the mcpconform
// binary against the reference target, clean and with each named fault, and
// asserts that exactly the checks naming that fault fail. The binary is
// built at run time, which go test's cache cannot see: run with -count=1
// after changing the specs.
package selftest_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

var binary string

func TestSelftest(t *testing.T) {
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
