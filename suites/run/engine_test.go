package run

import (
	"bytes"
	"errors"
	"io"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/printable"
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

var _ = Describe("a failure message", func() {
	DescribeTable("leaves out Gomega's dump of the values it compared",
		func(assertion func(), want string) {
			failures := InterceptGomegaFailures(assertion)
			Expect(failures).To(HaveLen(1))
			Expect(failures[0]).To(ContainSubstring("<"), "Gomega still dumps values")
			got := plainFailure(failures[0])
			Expect(got).To(Equal(want))
			Expect(got).NotTo(MatchRegexp(`0x[0-9a-f]{6,}|<\*?[a-z.]+|Expected\n`))
		},
		Entry("an annotation, with the value observed", func() {
			Expect(500).To(Equal(401), "an MCP request without a token must be refused with 401")
		}, "an MCP request without a token must be refused with 401 (got 500)"),
		Entry("an annotation that quotes the value already", func() {
			Expect("plain").To(Equal("S256"), "the method must be S256, not plain")
		}, "the method must be S256, not plain"),
		Entry("an annotation, with an error observed", func() {
			Expect(errors.New("connection refused")).NotTo(HaveOccurred(), "publishing the document")
		}, "publishing the document (got connection refused)"),
		Entry("an annotation on a boolean", func() {
			Expect(false).To(BeTrue(), "plain must work: the server answered invalid_request")
		}, "plain must work: the server answered invalid_request"),
		Entry("an annotation, with an empty value", func() {
			Expect("").NotTo(BeEmpty(), "token_endpoint must be advertised")
		}, "token_endpoint must be advertised"),
		Entry("an annotation, with a value too long to quote", func() {
			Expect(strings.Repeat("x", 200)).To(BeEmpty(), "the body must be empty")
		}, "the body must be empty"),
		Entry("no annotation", func() {
			Expect(500).To(Equal(401))
		}, "expected 500 to equal 401"),
		Entry("no annotation, an error", func() {
			Expect(errors.New("boom")).NotTo(HaveOccurred())
		}, "unexpected error: boom occurred"),
	)

	It("keeps a check's own message", func() {
		own := "issuer must be identical\nExpected as a heading is not Gomega's"
		Expect(plainFailure(own)).To(Equal(own))
	})
})

var _ = Describe("a progress line", func() {
	var out bytes.Buffer
	specOf := func(id string, state types.SpecState, message string) types.SpecReport {
		c, _ := catalog.Lookup(id)
		return types.SpecReport{LeafNodeText: c.Title, LeafNodeLabels: c.Labels(), State: state,
			Failure: types.Failure{Message: message}}
	}
	printAll := func(w io.Writer, reports ...types.SpecReport) string {
		out.Reset()
		var selected []catalog.Check
		for _, id := range []string{"RS-AUTH-001", "AS-META-002", "AS-CLIENT-001"} {
			c, _ := catalog.Lookup(id)
			selected = append(selected, c)
		}
		collecting, progress = true, newProgress(w, nil, selected)
		DeferCleanup(func() { collecting, progress = false, progressLines{out: io.Discard} })
		for _, r := range reports {
			printProgress(r, func(s string) string { return s })
		}
		return out.String()
	}
	run := []types.SpecReport{
		specOf("RS-AUTH-001", types.SpecStatePassed, ""),
		specOf("AS-META-002", types.SpecStateFailed, "issuer must be identical\nExpected\n    <string>: https://evil.example\nto equal\n    <string>: https://as.example"),
		specOf("AS-CLIENT-001", types.SpecStateSkipped, check.PrerequisitePrefix+"no client registered"),
	}

	It("counts, aligns its columns and says the failure without Gomega's dump", func() {
		Expect(printAll(printable.Writer{W: &out}, run...)).To(Equal(
			"PASS  [1/3] RS-AUTH-001    answers an unauthenticated MCP request with 401\n" +
				"FAIL  [2/3] AS-META-002    publishes the issuer it was discovered under\n" +
				"                           issuer must be identical (got https://evil.example)\n" +
				"SKIP  [3/3] AS-CLIENT-001  refuses a wrong client secret with invalid_client\n" +
				"                           prerequisite failed: no client registered\n"))
	})

	It("colours only the verdict word, and only when the console does", func() {
		coloured := printAll(printable.Writer{W: &out, Colour: true}, run[1])
		Expect(coloured).To(HavePrefix("\x1b[31mFAIL \x1b[0m [1/3] AS-META-002"))
		Expect(strings.Count(coloured, "\x1b")).To(Equal(2))
		Expect(printAll(printable.Writer{W: &out}, run[1])).NotTo(ContainSubstring("\x1b"))
	})

	It("escapes what the target sent, also in colour", func() {
		hostile := specOf("AS-META-002", types.SpecStateFailed, "issuer \x1b]0;pwned\x07 is wrong")
		Expect(printAll(printable.Writer{W: &out, Colour: true}, hostile)).To(ContainSubstring(`issuer \x1b]0;pwned\x07 is wrong`))
	})
})
