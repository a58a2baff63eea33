package reports_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/reports"
)

var _ = Describe("exit code", func() {
	statusRun := func(statuses ...reports.Status) *reports.Results {
		r := &reports.Results{}
		for _, s := range statuses {
			r.Checks = append(r.Checks, reports.CheckResult{ID: "X", Status: s})
		}
		r.Summarize()
		return r
	}

	DescribeTable("follows the summary",
		func(r *reports.Results, want int) { Expect(reports.Judge(r).ExitCode).To(Equal(want)) },
		Entry("no checks", statusRun(), reports.ExitOK),
		Entry("passes, skips and expected failures", statusRun(reports.StatusPassed, reports.StatusSkipped, reports.StatusExpectedFailure), reports.ExitOK),
		Entry("a failure", statusRun(reports.StatusPassed, reports.StatusFailed), reports.ExitFailures),
		Entry("an unexpected pass", statusRun(reports.StatusUnexpectedPass), reports.ExitFailures),
	)

	It("keeps the documented numbers", func() {
		Expect([]int{reports.ExitOK, reports.ExitFailures, reports.ExitUsage, reports.ExitUnreachable, reports.ExitInternal}).
			To(Equal([]int{0, 1, 2, 3, 4}))
	})
})
