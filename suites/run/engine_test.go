package run

import (
	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/check"
)

var _ = Describe("a check's result", func() {
	c, _ := catalog.Lookup("AS-CLIENT-001")
	observedLow := types.SpecReport{ReportEntries: types.ReportEntries{
		{Name: check.SeverityEntry, Value: types.WrapEntryValue(string(spec.SeverityLow))}}}

	It("rates a failure as observed when the check said so", func() {
		failed := observedLow
		failed.State = types.SpecStateFailed
		Expect(checkResult(c, spec.Latest, failed).Severity).To(Equal(string(spec.SeverityLow)))
	})

	It("keeps the catalogue's severity otherwise", func() {
		passed := observedLow
		passed.State = types.SpecStatePassed
		Expect(checkResult(c, spec.Latest, passed).Severity).To(Equal(string(c.Severity)))
		Expect(checkResult(c, spec.Latest, types.SpecReport{State: types.SpecStateFailed}).Severity).To(Equal(string(c.Severity)))
		Expect(checkResult(c, spec.Latest, passed).Status).To(Equal(reports.StatusPassed))
	})
})

var _ = Describe("a check's catalogue data in results", func() {
	It("carries the area and the remediation", func() {
		c, _ := catalog.Lookup("AS-CLIENT-001")
		r := ResultFor(c, spec.Latest)
		Expect(r.Area).To(Equal(c.Area))
		Expect(r.Remediation).To(Equal(c.Remediation))
		Expect(r.Remediation).NotTo(BeEmpty())
	})
})
