package selftest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"
	"github.com/onsi/gomega/gexec"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/reports"
)

// runWith runs the binary to completion with env added to the usual one.
func runWith(env []string, args ...string) *gexec.Session {
	cmd := exec.Command(binary, args...)
	cmd.Env = append(append(os.Environ(), "MCPCONFORM_INITIAL_ACCESS_TOKEN="+initialAccessToken), env...)
	session, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
	Expect(err).NotTo(HaveOccurred())
	Eventually(session).WithTimeout(60 * time.Second).Should(gexec.Exit())
	return session
}

var _ = Describe("The command line's diff of two runs", func() {
	focus := []string{"--focus", "AS-META-001,AS-META-006,RS-AUTH-003"}
	// resultsOf runs the focused checks against the reference target at rev.
	resultsOf := func(rev spec.Revision, opts ...mockserver.Option) string {
		url := reference(rev, opts...).MCPURL()
		_, dir := mcpconform(append([]string{"server", "--url", url, "--spec-version", string(rev)}, focus...)...)
		return filepath.Join(dir, reports.ResultsFile)
	}

	It("exits 1 naming the new failure when B regressed, 0 naming the fix the other way", func() {
		clean := resultsOf(spec.Latest)
		broken := resultsOf(spec.Latest, mockserver.WithFaults(fault.ASMetadataNoS256))

		session := runWith(nil, "diff", clean, broken)
		Expect(session.ExitCode()).To(Equal(reports.ExitFailures))
		Expect(session.Out).To(gbytes.Say(`new failures \(1\):\n  AS-META-006  passed -> failed +\S`))
		Expect(session.Out).To(gbytes.Say(`unchanged: 1\nresult: REGRESSED \(1 check now failing\)\n`))

		session = runWith(nil, "diff", broken, clean, "--format", "markdown")
		Expect(session.ExitCode()).To(Equal(reports.ExitOK))
		Expect(session.Out).To(gbytes.Say(`## mcpconform diff: no regression\n`))
		Expect(session.Out).To(gbytes.Say(`### fixed \(1\)\n\n\| check \| A \| B \| \|\n\|---\|---\|---\|---\|\n\| AS-META-006 \| failed \| passed \| `))
	})

	It("lists the checks of one revision only as added or removed, never as a regression", func() {
		older := resultsOf(spec.Revision("2025-06-18"))
		newer := resultsOf(spec.Latest, mockserver.WithFaults(fault.ASMetadataNoS256))
		session := runWith(nil, "diff", older, newer)
		Expect(session.ExitCode()).To(Equal(reports.ExitOK))
		Expect(session.Out).To(gbytes.Say(`note: the runs test different revisions`))
		Expect(session.Out).To(gbytes.Say(`added \(only in B\) \(1\):\n  AS-META-006  absent -> failed`))
		Expect(session.Out).To(gbytes.Say(`result: no regression`))
	})

	DescribeTable("refuses what it cannot compare with exit 2",
		func(args ...string) {
			dir := GinkgoT().TempDir()
			Expect(os.WriteFile(filepath.Join(dir, "other.json"), []byte(`{"schemaVersion":"mcpconform.results/v0"}`), 0o644)).To(Succeed())
			for i, arg := range args {
				args[i] = os.Expand(arg, func(string) string { return dir })
			}
			session := runWith(nil, append([]string{"diff"}, args...)...)
			Expect(session.ExitCode()).To(Equal(reports.ExitUsage))
			Expect(session.Err).To(gbytes.Say("mcpconform: "))
		},
		Entry("a missing file", "$D/missing.json", "$D/other.json"),
		Entry("another schema", "$D/other.json", "$D/other.json"),
		Entry("one file only", "$D/other.json"),
		Entry("an unknown format", "$D/other.json", "$D/other.json", "--format", "html"),
	)
})

var _ = Describe("The command line in GitHub Actions", func() {
	It("annotates each failure and writes the job summary, only when GITHUB_ACTIONS=true", func() {
		url := reference(spec.Latest, mockserver.WithFaults(fault.ASMetadataNoS256)).MCPURL()
		dir := GinkgoT().TempDir()
		summary := filepath.Join(dir, "step-summary.md")
		Expect(os.WriteFile(summary, []byte("earlier step\n"), 0o644)).To(Succeed())
		args := []string{"server", "--url", url, "--focus", "AS-META-001,AS-META-006", "--report-dir", filepath.Join(dir, "report")}

		session := runWith([]string{"GITHUB_ACTIONS=true", "GITHUB_STEP_SUMMARY=" + summary}, args...)
		Expect(session.ExitCode()).To(Equal(reports.ExitFailures))
		Expect(session.Out).To(gbytes.Say(`(?m)^::error title=AS-META-006::advertises S256 in code_challenge_methods_supported%0A\S`))
		Expect(string(session.Out.Contents())).NotTo(ContainSubstring("title=AS-META-001"))
		written, err := os.ReadFile(summary)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(written)).To(HavePrefix("earlier step\n## mcpconform: FAIL\n"), "appended, as every step's summary is")
		Expect(string(written)).To(ContainSubstring("\n| 2 | 1 | 1 | 0 | 0 | 0 |\n"))
		Expect(string(written)).To(MatchRegexp(`\n\| AS-META-006 \| failed \| MUST \| \w+ \| \S`))

		session = runWith([]string{"GITHUB_ACTIONS=true", "GITHUB_STEP_SUMMARY=" + summary},
			"diff", filepath.Join(dir, "report", reports.ResultsFile), filepath.Join(dir, "report", reports.ResultsFile))
		Expect(session.ExitCode()).To(Equal(reports.ExitOK))
		written, err = os.ReadFile(summary)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(written)).To(ContainSubstring("\n## mcpconform diff: no regression\n"))

		Expect(os.Remove(summary)).To(Succeed())
		session = runWith([]string{"GITHUB_STEP_SUMMARY=" + summary}, args...)
		Expect(session.ExitCode()).To(Equal(reports.ExitFailures))
		Expect(string(session.Out.Contents())).NotTo(ContainSubstring("::error"))
		Expect(summary).NotTo(BeAnExistingFile())
	})
})
