package selftest_test

import (
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/check"
)

// A rate limit or a server unavailable for a while says nothing about how
// the target judges a request: no verdict rests on it.
var _ = Describe("The verdicts on a busy authorization server", func() {
	rev := spec.Latest

	It("passes a token endpoint that answers every request on its second try, after a 429", func() {
		busy := mockserver.WithBusyTokenEndpoint(mockserver.Busy{Status: http.StatusTooManyRequests, RetryAfter: "0", Alternate: true})
		Expect(runTrial(trial{name: "token endpoint rate limited", revision: rev, opts: []mockserver.Option{busy}})).To(BeEmpty())
	})

	It("runs nothing that needs a token endpoint that stays unavailable, and fails nothing", func() {
		busy := mockserver.WithBusyTokenEndpoint(mockserver.Busy{Status: http.StatusServiceUnavailable, RetryAfter: "0"})
		session, dir := newStrategyTarget(rev, busy).run(nil)
		Eventually(session).WithTimeout(strategyRunTimeout).Should(gexec.Exit(reports.ExitOK))
		res := readResults(dir)
		statuses := byStatus(res)
		Expect(statuses[reports.StatusFailed]).To(BeEmpty())
		Expect(statuses[reports.StatusSkipped]).To(ContainElements("AS-FLOW-001", "AS-TOKEN-001", "RS-TOK-001"))
		for _, c := range res.Checks {
			if c.ID == "AS-FLOW-001" {
				Expect(c.Message).To(And(HavePrefix(check.NotRunPrefix), ContainSubstring("503 Service Unavailable, still busy after 2 retries")))
				Expect(c.Evidence).To(ContainElement(HaveField("Status", http.StatusServiceUnavailable)))
			}
			if c.Status == reports.StatusSkipped && !strings.HasPrefix(c.Message, check.NotRunPrefix) {
				Expect(c.Message).To(HavePrefix(check.PrerequisitePrefix), c.ID)
			}
		}
	})
})
