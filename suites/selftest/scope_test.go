package selftest_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/check"
)

// A server may issue refresh tokens only for offline access: without
// --scope offline_access no refresh check can be judged.
var _ = Describe("The refresh checks on a server that issues refresh tokens only for offline access", func() {
	It("are not run without --scope, saying to name it, and fail nothing", func() {
		session, dir := newStrategyTarget(spec.Latest, mockserver.WithRefreshOnlyForOfflineAccess()).run(nil)
		Eventually(session).WithTimeout(strategyRunTimeout).Should(gexec.Exit(reports.ExitOK))
		res := readResults(dir)
		Expect(byStatus(res)[reports.StatusFailed]).To(BeEmpty())
		Expect(byStatus(res)[reports.StatusSkipped]).To(ContainElements("AS-REF-001", "AS-REF-003", "AS-REF-007"))
		for _, c := range res.Checks {
			if c.Status == reports.StatusSkipped {
				Expect(c.Message).To(And(HavePrefix(check.NotRunPrefix), ContainSubstring("--scope offline_access")), c.ID)
				Expect(strings.HasPrefix(c.ID, "AS-REF-")).To(BeTrue(), "only refresh checks need a refresh token: %s %s", c.ID, c.Message)
			}
		}
	})
})
