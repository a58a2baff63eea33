package reports_test

import (
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/reports"
)

var _ = Describe("baseline", func() {
	Describe("parsing", func() {
		It("reads IDs and reasons, skipping comments and blank lines", func() {
			b, err := reports.ParseBaseline(strings.NewReader("\ufeff# known gaps\n\nAS-META-002  issuer mismatch, see #41  \r\n\tRS-AUTH-002\twaiting on vendor\n   # indented comment\n"))
			Expect(err).NotTo(HaveOccurred())
			Expect(b).To(Equal(reports.Baseline{
				"AS-META-002": "issuer mismatch, see #41",
				"RS-AUTH-002": "waiting on vendor",
			}))
		})

		It("requires a reason", func() {
			_, err := reports.ParseBaseline(strings.NewReader("# c\nAS-META-002 fine\nRS-AUTH-002   \n"))
			Expect(err).To(MatchError("reports: baseline:3: check RS-AUTH-002 has no reason; every baseline entry needs one"))
		})

		It("rejects a duplicate ID", func() {
			_, err := reports.ParseBaseline(strings.NewReader("AS-META-002 one\nAS-META-002 two\n"))
			Expect(err).To(MatchError("reports: baseline:2: check AS-META-002 is already listed on line 1"))
		})

		It("names the file in errors when loading", func() {
			path := filepath.Join(GinkgoT().TempDir(), "baseline.txt")
			Expect(os.WriteFile(path, []byte("AS-META-002\n"), 0o644)).To(Succeed())
			_, err := reports.LoadBaseline(path)
			Expect(err).To(MatchError(HavePrefix("reports: " + path + ":1: check AS-META-002 has no reason")))

			_, err = reports.LoadBaseline(filepath.Join(GinkgoT().TempDir(), "missing.txt"))
			Expect(err).To(MatchError(HavePrefix("reports: reading baseline: ")))
		})
	})

	Describe("applying", func() {
		var r *reports.Results
		known := []string{"AS-META-001", "AS-META-002", "RS-AUTH-001", "RS-AUTH-002", "RS-AUTH-003", "NOT-SELECTED"}
		byID := func(id string) reports.CheckResult {
			for _, c := range r.Checks {
				if c.ID == id {
					return c
				}
			}
			Fail("no check " + id)
			return reports.CheckResult{}
		}

		BeforeEach(func() {
			r = fixtureResults()
			for i := range r.Checks { // start from a run before any baseline
				r.Checks[i].BaselineReason = ""
				switch r.Checks[i].Status {
				case reports.StatusExpectedFailure:
					r.Checks[i].Status = reports.StatusFailed
				case reports.StatusUnexpectedPass:
					r.Checks[i].Status = reports.StatusPassed
					r.Checks[i].Message = ""
				}
			}
			r.Summarize()
		})

		It("turns a listed failure into an expected failure", func() {
			b := reports.Baseline{"AS-META-002": "issuer fix in OPS-7"}
			Expect(b.Apply(r, known)).To(Succeed())
			c := byID("AS-META-002")
			Expect(c.Status).To(Equal(reports.StatusExpectedFailure))
			Expect(c.BaselineReason).To(Equal("issuer fix in OPS-7"))
			Expect(c.Message).To(HavePrefix("expected issuer"), "the failure message stays")
			Expect(r.Summary.ExpectedFailure).To(Equal(1))
			Expect(r.Summary.Failed).To(Equal(1), "RS-AUTH-002 still fails")
		})

		It("passes the run when every failure is expected", func() {
			b := reports.Baseline{"AS-META-002": "a", "RS-AUTH-002": "b"}
			Expect(b.Apply(r, known)).To(Succeed())
			Expect(reports.Judge(r).ExitCode).To(Equal(reports.ExitOK))
		})

		It("turns a listed pass into an unexpected pass that fails the run", func() {
			b := reports.Baseline{"AS-META-001": "flaky", "AS-META-002": "a", "RS-AUTH-002": "b"}
			Expect(b.Apply(r, known)).To(Succeed())
			c := byID("AS-META-001")
			Expect(c.Status).To(Equal(reports.StatusUnexpectedPass))
			Expect(c.BaselineReason).To(Equal("flaky"))
			Expect(c.Message).To(ContainSubstring("remove AS-META-001 from the baseline"))
			Expect(r.Summary.UnexpectedPass).To(Equal(1))
			Expect(reports.Judge(r).ExitCode).To(Equal(reports.ExitFailures))
		})

		It("leaves a listed skipped check skipped", func() {
			b := reports.Baseline{"RS-AUTH-001": "not deployed"}
			Expect(b.Apply(r, known)).To(Succeed())
			Expect(byID("RS-AUTH-001").Status).To(Equal(reports.StatusSkipped))
			Expect(byID("RS-AUTH-001").Message).To(Equal("no protected resource configured"))
		})

		It("ignores a known check that was not selected", func() {
			Expect(reports.Baseline{"NOT-SELECTED": "x"}.Apply(r, known)).To(Succeed())
			Expect(r.Summary.ExpectedFailure + r.Summary.UnexpectedPass).To(BeZero())
		})

		It("re-judges an earlier baseline's results from scratch", func() {
			earlier := fixtureResults() // RS-AUTH-002 expected to fail, RS-AUTH-003 unexpectedly passing
			Expect(reports.Baseline{"AS-META-002": "issuer fix in OPS-7"}.Apply(earlier, known)).To(Succeed())
			statuses := map[string]reports.Status{}
			for _, c := range earlier.Checks {
				statuses[c.ID] = c.Status
			}
			Expect(statuses).To(Equal(map[string]reports.Status{
				"AS-META-001": reports.StatusPassed, "AS-META-002": reports.StatusExpectedFailure,
				"RS-AUTH-001": reports.StatusSkipped, "RS-AUTH-002": reports.StatusFailed, "RS-AUTH-003": reports.StatusPassed,
			}))
			for _, c := range earlier.Checks {
				if c.ID != "AS-META-002" {
					Expect(c.BaselineReason).To(BeEmpty(), c.ID)
				}
			}
			Expect(earlier.Checks[4].Message).To(BeEmpty(), "the earlier baseline's advice is gone")
			Expect(earlier.Summary).To(Equal(reports.Count(earlier.Checks)))
			Expect(reports.Judge(earlier).Outcome).To(Equal(reports.OutcomeFail), "RS-AUTH-002 fails again")
		})

		It("rejects unknown check IDs and leaves the results alone", func() {
			summary := r.Summary
			b := reports.Baseline{"AS-META-002": "a", "AS-META-001": "b", "NOPE-2": "typo", "NOPE-1": "typo"}
			Expect(b.Apply(r, known)).To(MatchError("reports: baseline names unknown checks: NOPE-1, NOPE-2"))
			Expect(byID("AS-META-002").Status).To(Equal(reports.StatusFailed))
			Expect(byID("AS-META-001").Status).To(Equal(reports.StatusPassed))
			Expect(r.Summary).To(Equal(summary))
		})
	})
})

var _ = Describe("baseline IDs", func() {
	known := []string{"AS-META-001", "AS-META-002"}

	It("accepts catalogue IDs", func() {
		Expect(reports.Baseline{"AS-META-001": "a"}.Check(known)).To(Succeed())
	})

	It("names an ID that differs from a catalogue ID only in case", func() {
		Expect(reports.Baseline{"as-meta-002": "a", "AS-META-009": "b"}.Check(known)).To(MatchError(
			"reports: baseline names unknown checks: AS-META-009, as-meta-002 (check IDs are case-sensitive: AS-META-002)"))
	})
})
