package reports_test

import (
	"bytes"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/reports"
)

var _ = Describe("the diff of two runs", func() {
	skipped := func(id, reason string) reports.CheckResult {
		c := checkOf(id, "MUST", "high", reports.StatusSkipped)
		c.Skip(reason)
		return c
	}
	failing := func(id, level, message string) reports.CheckResult {
		c := checkOf(id, level, "high", reports.StatusFailed)
		c.Message = message
		return c
	}
	compare := func(a, b *reports.Results, gate reports.Gate) *reports.Diff {
		d, err := reports.Compare(a, b, gate)
		Expect(err).NotTo(HaveOccurred())
		return d
	}
	idsOf := func(changes []reports.CheckChange) []string {
		var ids []string
		for _, c := range changes {
			ids = append(ids, c.ID)
		}
		return ids
	}

	// before and after differ in every way a diff names.
	before := func() *reports.Results {
		r := runOf(reports.Gate{},
			checkOf("AS-SAME-001", "MUST", "high", reports.StatusPassed),
			checkOf("AS-NEW-001", "MUST", "high", reports.StatusPassed),
			skipped("AS-NEW-002", reports.NotRunPrefix+"stopped"),
			failing("AS-FIX-001", "MUST", "was broken"),
			checkOf("AS-SKIP-001", "MUST", "high", reports.StatusPassed),
			checkOf("AS-GONE-001", "MUST", "high", reports.StatusPassed),
			checkOf("AS-MARK-001", "MUST", "high", reports.StatusExpectedFailure),
		)
		r.SpecVersion, r.Tool.Version = "2025-06-18", "v1.0.0"
		return r
	}
	after := func() *reports.Results {
		r := runOf(reports.Gate{},
			checkOf("AS-SAME-001", "MUST", "high", reports.StatusPassed),
			failing("AS-NEW-001", "MUST", "issuer differs\nexpected X, got Y"),
			failing("AS-NEW-002", "SHOULD", "no S256"),
			checkOf("AS-FIX-001", "MUST", "high", reports.StatusPassed),
			skipped("AS-SKIP-001", reports.NotApplicablePrefix+"plain http"),
			failing("AS-ADDED-001", "MUST", "a newer requirement"),
			failing("AS-MARK-001", "MUST", "still broken"),
		)
		r.SpecVersion, r.Tool.Version = "2025-11-25", "v1.1.0"
		return r
	}

	It("names every change by check ID and kind, whatever the revisions", func() {
		d := compare(before(), after(), reports.Gate{})
		Expect(idsOf(d.Of(reports.ChangeNewFailure))).To(Equal([]string{"AS-NEW-001", "AS-NEW-002"}))
		Expect(idsOf(d.Of(reports.ChangeFixed))).To(Equal([]string{"AS-FIX-001"}))
		Expect(idsOf(d.Of(reports.ChangeAdded))).To(Equal([]string{"AS-ADDED-001"}))
		Expect(idsOf(d.Of(reports.ChangeRemoved))).To(Equal([]string{"AS-GONE-001"}))
		Expect(idsOf(d.Of(reports.ChangeStatus))).To(Equal([]string{"AS-MARK-001", "AS-SKIP-001"}), "a baseline mark dropped, a judged check skipped")
		Expect(d.Unchanged).To(Equal(1))

		result, code := d.Result()
		Expect(code).To(Equal(reports.ExitFailures))
		Expect(result).To(Equal("REGRESSED (2 checks now failing)"))
	})

	It("never counts a check of one run only as a regression", func() {
		a := runOf(reports.Gate{}, checkOf("AS-SAME-001", "MUST", "high", reports.StatusPassed))
		b := runOf(reports.Gate{}, checkOf("AS-SAME-001", "MUST", "high", reports.StatusPassed), failing("AS-ADDED-001", "MUST", "new"))
		_, code := compare(a, b, reports.Gate{}).Result()
		Expect(code).To(Equal(reports.ExitOK))
		_, code = compare(b, a, reports.Gate{}).Result()
		Expect(code).To(Equal(reports.ExitOK))
	})

	It("counts only the new failures the gate counts, and skips under --strict", func() {
		d := compare(before(), after(), reports.Gate{FailOn: []string{"must"}})
		result, code := d.Result()
		Expect(result).To(Equal("REGRESSED (1 check now failing)"), "AS-NEW-002 is a SHOULD")
		Expect(code).To(Equal(reports.ExitFailures))

		a := runOf(reports.Gate{}, checkOf("AS-SKIP-001", "MUST", "high", reports.StatusPassed))
		b := runOf(reports.Gate{}, skipped("AS-SKIP-001", reports.NotRunPrefix+"not configured"))
		_, code = compare(a, b, reports.Gate{}).Result()
		Expect(code).To(Equal(reports.ExitOK))
		result, code = compare(a, b, reports.Gate{Strict: true}).Result()
		Expect(code).To(Equal(reports.ExitFailures))
		Expect(result).To(Equal("REGRESSED (1 check now failing or skipped (--strict))"))
	})

	It("says no regression when nothing got worse", func() {
		result, code := compare(after(), after(), reports.Gate{}).Result()
		Expect(result).To(Equal("no regression"))
		Expect(code).To(Equal(reports.ExitOK))
	})

	It("cannot vouch for a run that stopped early or judged nothing", func() {
		b := before()
		b.Interrupted, b.StoppedBy = true, "run deadline passed"
		result, code := compare(before(), b, reports.Gate{}).Result()
		Expect(code).To(Equal(reports.ExitFailures))
		Expect(result).To(HavePrefix("INCOMPLETE (B stopped early: run deadline passed"))

		b = before()
		b.Error = "target unreachable"
		result, code = compare(before(), b, reports.Gate{}).Result()
		Expect(code).To(Equal(reports.ExitUnreachable))
		Expect(result).To(Equal("NOT COMPARED (B was not run: target unreachable)"))
	})

	It("refuses runs of different modes", func() {
		b := before()
		b.Mode = "client"
		_, err := reports.Compare(before(), b, reports.Gate{})
		Expect(err).To(MatchError("reports: cannot compare a server run with a client run"))
	})

	It("writes text: each change with both statuses and the reason, then the result", func() {
		var out bytes.Buffer
		Expect(reports.WriteDiffText(&out, compare(before(), after(), reports.Gate{}))).To(Succeed())
		text := out.String()
		Expect(text).To(ContainSubstring("note: the runs test different revisions"))
		Expect(text).To(ContainSubstring("\nnew failures (2):\n"))
		Expect(text).To(MatchRegexp(`AS-NEW-001 +passed -> failed +issuer differs\n`))
		Expect(text).To(MatchRegexp(`AS-NEW-002 +not-run -> failed +no S256\n`))
		Expect(text).To(MatchRegexp(`\nadded \(only in B\) \(1\):\n  AS-ADDED-001 +absent -> failed +a newer requirement\n`))
		Expect(text).To(MatchRegexp(`\nremoved \(only in A\) \(1\):\n  AS-GONE-001 +passed -> absent`))
		Expect(text).To(MatchRegexp(`AS-SKIP-001 +passed -> not-applicable +not applicable: plain http\n`))
		Expect(text).To(HaveSuffix("\nunchanged: 1\nresult: REGRESSED (2 checks now failing)\n"))
	})

	It("writes Markdown tables that text from the target cannot break", func() {
		b := after()
		b.Checks[2].Message = "| evil | cell |<img src=x onerror=alert(1)> [click](https://evil.example)\n| next row |"
		var out bytes.Buffer
		Expect(reports.WriteDiffMarkdown(&out, compare(before(), b, reports.Gate{}))).To(Succeed())
		md := out.String()
		Expect(md).To(HavePrefix("## mcpconform diff: REGRESSED (2 checks now failing)\n"))
		Expect(md).To(ContainSubstring("### new failures (2)\n\n| check | A | B | |\n|---|---|---|---|\n"))
		Expect(md).To(ContainSubstring(`| AS-NEW-001 | passed | failed | issuer differs |`))
		Expect(md).To(ContainSubstring(`| AS-NEW-002 | not-run | failed | \| evil \| cell \|\<img src=x onerror=alert(1)\> \[click\](https://evil.example) |`))
		Expect(md).NotTo(ContainSubstring("next row"))
		for _, line := range strings.Split(md, "\n") {
			if strings.HasPrefix(line, "| AS-") {
				Expect(strings.Count(line, "|")-strings.Count(line, `\|`)).To(Equal(5), "four cells: %s", line)
			}
		}
		Expect(md).To(HaveSuffix("\nUnchanged: 1 check.\n"))
	})
})
