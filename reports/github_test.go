package reports_test

import (
	"bytes"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/reports"
)

var _ = Describe("GitHub Actions output", func() {
	It("summarizes the verdict, the counts and the failures in Markdown", func() {
		var out bytes.Buffer
		Expect(reports.WriteStepSummary(&out, fixtureResults())).To(Succeed())
		md := out.String()
		Expect(md).To(HavePrefix("## mcpconform: FAIL\n\nserver run of https://mcp.example.com/mcp, revision 2025-11-25, mcpconform v0.1.0, default gate.\n\n" +
			"- 1 check fails\n- 1 baseline entry passes: remove it from the baseline\n\n"))
		Expect(md).To(ContainSubstring("| 5 | 1 | 1 | 1 | 1 | 1 |\n"))
		Expect(md).To(HaveSuffix("### Failures (2)\n\n| check | status | level | severity | message |\n|---|---|---|---|---|\n" +
			`| AS-META-002 | failed | MUST | critical | expected issuer "https://as.example.com" |` + "\n" +
			`| RS-AUTH-003 | unexpected pass | MUST | high | passed, but the baseline expects it to fail; remove RS-AUTH-003 from the baseline |` + "\n"))
	})

	It("says which failures the gate leaves out", func() {
		r := runOf(reports.Gate{FailOn: []string{"must"}}, checkOf("AS-B-001", "SHOULD", "low", reports.StatusFailed))
		var summary, annotations bytes.Buffer
		Expect(reports.WriteStepSummary(&summary, r)).To(Succeed())
		Expect(summary.String()).To(ContainSubstring("| AS-B-001 | failed, left out by --fail-on must | SHOULD | low |"))
		Expect(reports.WriteAnnotations(&annotations, r)).To(Succeed())
		Expect(annotations.String()).To(HavePrefix("::warning title=AS-B-001::"))
	})

	It("annotates each failure as a workflow command titled with its check ID", func() {
		var out bytes.Buffer
		Expect(reports.WriteAnnotations(&out, fixtureResults())).To(Succeed())
		Expect(out.String()).To(Equal(
			"::error title=AS-META-002::Issuer matches%0Aexpected issuer \"https://as.example.com\"%0Agot \"https://evil.example.com\"\n" +
				"::error title=RS-AUTH-003::Rejects expired token%0Apassed, but the baseline expects it to fail; remove RS-AUTH-003 from the baseline\n"))
	})

	It("escapes messages and properties so a target cannot end a command or start another", func() {
		r := runOf(reports.Gate{}, checkOf("AS-B-001", "MUST", "high", reports.StatusFailed))
		r.Checks[0].Title = "a: b, c"
		r.Checks[0].Message = "100% wrong\r\n::set-env name=X::y\n::error title=FAKE::\x1b[31m"
		r.Checks[0].ID = "AS-B-001,file=x:1"
		var out bytes.Buffer
		Expect(reports.WriteAnnotations(&out, r)).To(Succeed())
		Expect(out.String()).To(Equal("::error title=AS-B-001%2Cfile=x%3A1::a: b, c%0A100%25 wrong%0D%0A::set-env name=X::y%0A::error title=FAKE::\\x1b[31m\n"))
		Expect(strings.Count(out.String(), "\n")).To(Equal(1))
	})

	It("annotates a run that judged nothing", func() {
		r := runOf(reports.Gate{})
		r.Error = "target unreachable: dial tcp 127.0.0.1:1: connection refused"
		var out bytes.Buffer
		Expect(reports.WriteAnnotations(&out, r)).To(Succeed())
		Expect(out.String()).To(Equal("::error title=mcpconform::not run: target unreachable: dial tcp 127.0.0.1:1: connection refused\n"))
	})
})
