package reports_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/reports"
)

// checkOf is a check of the given level, severity and status.
func checkOf(id, level, severity string, status reports.Status) reports.CheckResult {
	return reports.CheckResult{ID: id, Role: "as", Level: level, Severity: severity, Status: status}
}

// runOf is a complete run of checks under gate.
func runOf(gate reports.Gate, checks ...reports.CheckResult) *reports.Results {
	r := &reports.Results{SchemaVersion: reports.SchemaVersion, Mode: "server", Gate: gate, Checks: checks}
	r.Summarize()
	return r
}

// viewsOf are the outcomes the other views state for r: results.json's
// verdict, JUnit's verdict property, report.html's verdict word.
func viewsOf(r *reports.Results) []string {
	var js bytes.Buffer
	Expect(reports.WriteJSON(&js, r)).To(Succeed())
	var written struct{ Verdict reports.Verdict }
	Expect(json.Unmarshal(js.Bytes(), &written)).To(Succeed())

	var junit bytes.Buffer
	Expect(reports.WriteJUnit(&junit, r)).To(Succeed())
	var doc struct {
		Suites []struct {
			Properties []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"properties>property"`
		} `xml:"testsuite"`
	}
	Expect(xml.Unmarshal(junit.Bytes(), &doc)).To(Succeed())
	junitVerdict := ""
	for _, p := range doc.Suites[0].Properties {
		if p.Name == "verdict" {
			junitVerdict = p.Value
		}
	}

	page := renderHTML(r)
	start := bytes.Index([]byte(page), []byte(`<p class="verdict-word">`)) + len(`<p class="verdict-word">`)
	end := start + bytes.Index([]byte(page[start:]), []byte(`</p>`))
	return []string{string(written.Verdict.Outcome), junitVerdict, page[start:end]}
}

var _ = Describe("the verdict", func() {
	must := func(status reports.Status) reports.CheckResult { return checkOf("AS-A-001", "MUST", "high", status) }

	DescribeTable("is the same in the exit code and every report",
		func(r *reports.Results, outcome reports.Outcome, exitCode int) {
			v := reports.Judge(r)
			Expect(v.Outcome).To(Equal(outcome))
			Expect(v.ExitCode).To(Equal(exitCode))
			Expect(viewsOf(r)).To(HaveEach(string(outcome)))
		},
		Entry("a clean run", runOf(reports.Gate{}, must(reports.StatusPassed)), reports.OutcomePass, reports.ExitOK),
		Entry("a failure", runOf(reports.Gate{}, must(reports.StatusFailed)), reports.OutcomeFail, reports.ExitFailures),
		Entry("an interrupted run with a failure: what failed stands", func() *reports.Results {
			r := runOf(reports.Gate{}, must(reports.StatusFailed))
			r.Interrupted, r.StoppedBy = true, "run deadline passed"
			return r
		}(), reports.OutcomeFail, reports.ExitFailures),
		Entry("an interrupted run without a failure", func() *reports.Results {
			r := runOf(reports.Gate{}, must(reports.StatusPassed))
			r.Interrupted = true
			return r
		}(), reports.OutcomeIncomplete, reports.ExitFailures),
		Entry("an unreachable target", func() *reports.Results {
			r := runOf(reports.Gate{}, must(reports.StatusSkipped))
			r.Error = "target unreachable"
			return r
		}(), reports.OutcomeNotRun, reports.ExitUnreachable),
		Entry("a skipped check", runOf(reports.Gate{}, must(reports.StatusSkipped)), reports.OutcomePass, reports.ExitOK),
		Entry("a skipped check under --strict", runOf(reports.Gate{Strict: true}, must(reports.StatusSkipped)), reports.OutcomeFail, reports.ExitFailures),
		Entry("an expected failure", runOf(reports.Gate{}, must(reports.StatusExpectedFailure)), reports.OutcomePass, reports.ExitOK),
		Entry("an unexpected pass, whatever --fail-on says",
			runOf(reports.Gate{FailOn: []string{"critical"}}, must(reports.StatusUnexpectedPass)), reports.OutcomeFail, reports.ExitFailures),
	)

	It("never takes a stored summary or verdict: a tampered results.json cannot pass", func() {
		var buf bytes.Buffer
		Expect(reports.WriteJSON(&buf, runOf(reports.Gate{}, must(reports.StatusPassed), checkOf("AS-B-001", "MUST", "critical", reports.StatusFailed)))).To(Succeed())
		var doc map[string]any
		Expect(json.Unmarshal(buf.Bytes(), &doc)).To(Succeed())
		doc["summary"] = map[string]any{"total": 2, "passed": 2}
		doc["verdict"] = map[string]any{"outcome": "PASS", "exitCode": 0}
		tampered, err := json.Marshal(doc)
		Expect(err).NotTo(HaveOccurred())

		read, err := reports.ReadJSON(bytes.NewReader(tampered))
		Expect(err).NotTo(HaveOccurred())
		Expect(read.Summary.Failed).To(Equal(1))
		Expect(read.Verdict).To(BeNil())
		Expect(reports.Judge(read).Outcome).To(Equal(reports.OutcomeFail))
		Expect(viewsOf(read)).To(HaveEach("FAIL"))
	})

	It("rejects a results.json with a status it does not know", func() {
		_, err := reports.ReadJSON(bytes.NewReader([]byte(`{"schemaVersion":"` + reports.SchemaVersion +
			`","checks":[{"id":"AS-B-001","status":"PASSED"}]}`)))
		Expect(err).To(MatchError(`reports: results.json: check AS-B-001 has unknown status "PASSED"`))
	})

	Describe("--fail-on", func() {
		checks := []reports.CheckResult{
			checkOf("AS-MUST-001", "MUST", "medium", reports.StatusFailed),
			checkOf("AS-SHOULD-001", "SHOULD", "critical", reports.StatusFailed),
			checkOf("AS-MAY-001", "MAY", "low", reports.StatusFailed),
		}
		gating := func(failOn ...string) []string {
			terms, err := reports.ParseFailOn(failOn)
			Expect(err).NotTo(HaveOccurred())
			var ids []string
			for _, c := range checks {
				if (reports.Gate{FailOn: terms}).Gates(c) {
					ids = append(ids, c.ID)
				}
			}
			return ids
		}

		It("counts every failure by default", func() {
			Expect(gating()).To(ConsistOf("AS-MUST-001", "AS-SHOULD-001", "AS-MAY-001"))
		})

		It("takes a level and the stronger ones", func() {
			Expect(gating("must")).To(ConsistOf("AS-MUST-001"))
			Expect(gating("SHOULD")).To(ConsistOf("AS-MUST-001", "AS-SHOULD-001"))
		})

		It("takes a severity and the worse ones", func() {
			Expect(gating("critical")).To(ConsistOf("AS-SHOULD-001"))
			Expect(gating("medium")).To(ConsistOf("AS-MUST-001", "AS-SHOULD-001"))
		})

		It("counts a failure any one term takes", func() {
			Expect(gating("must", "critical")).To(ConsistOf("AS-MUST-001", "AS-SHOULD-001"))
		})

		It("still reports the failures it leaves out, and passes the run", func() {
			r := runOf(reports.Gate{FailOn: []string{"critical"}}, checks[0], checks[2])
			v := reports.Judge(r)
			Expect(v.Outcome).To(Equal(reports.OutcomePass))
			Expect(v.Reasons).To(ConsistOf("2 failures do not fail the run under --fail-on critical"))
			Expect(r.Summary.Failed).To(Equal(2))
			var junit bytes.Buffer
			Expect(reports.WriteJUnit(&junit, r)).To(Succeed())
			Expect(junit.String()).NotTo(ContainSubstring("<failure"))
			Expect(junit.String()).To(ContainSubstring("failed, but not failing the run under --fail-on critical"))
		})

		It("refuses a term that is neither a level nor a severity", func() {
			_, err := reports.ParseFailOn([]string{"must", "severe"})
			Expect(err).To(MatchError(ContainSubstring(`--fail-on "severe" is neither a level`)))
		})
	})

	It("fails JUnit on skipped checks under --strict, as the exit code does", func() {
		var junit bytes.Buffer
		Expect(reports.WriteJUnit(&junit, runOf(reports.Gate{Strict: true}, must(reports.StatusSkipped)))).To(Succeed())
		Expect(junit.String()).To(ContainSubstring("1 check was skipped, which fails the run under --strict"))
	})
})

var _ = Describe("skipped checks", func() {
	DescribeTable("are typed by their reason",
		func(reason string, kind reports.SkipKind, blockedBy string) {
			var c reports.CheckResult
			c.Skip(reason)
			Expect(c.Status).To(Equal(reports.StatusSkipped))
			Expect(c.Message).To(Equal(reason))
			Expect(c.SkipKind).To(Equal(kind))
			Expect(c.BlockedBy).To(Equal(blockedBy))
		},
		Entry("not run", reports.NotRunPrefix+"run deadline passed", reports.SkipNotRun, ""),
		Entry("blocked by a named check", reports.PrerequisitePrefix+"the client sends no state to compare (CL-STATE-001)", reports.SkipBlocked, "CL-STATE-001"),
		Entry("blocked by the last check named", reports.PrerequisitePrefix+"in auth/x (see CL-A-001) nothing came (CL-MIG-001)", reports.SkipBlocked, "CL-MIG-001"),
		Entry("blocked by a step no check names", reports.PrerequisitePrefix+"registration: 400 Bad Request", reports.SkipBlocked, ""),
		Entry("not applicable", reports.NotApplicablePrefix+"the target is plain http on loopback", reports.SkipNotApplicable, ""),
		Entry("without a known prefix, not run", "no protected resource configured", reports.SkipNotRun, ""),
	)

	It("are typed and counted when read from a results.json written before skipKind", func() {
		read, err := reports.ReadJSON(bytes.NewReader([]byte(`{"schemaVersion":"` + reports.SchemaVersion + `","checks":[` +
			`{"id":"CL-A-001","status":"skipped","message":"prerequisite failed: no state (CL-STATE-001)"},` +
			`{"id":"CL-A-002","status":"skipped","message":"not run: interrupted"},` +
			`{"id":"CL-A-003","status":"passed","skipKind":"blocked"}]}`)))
		Expect(err).NotTo(HaveOccurred())
		Expect(read.Checks[0].SkipKind).To(Equal(reports.SkipBlocked))
		Expect(read.Checks[0].BlockedBy).To(Equal("CL-STATE-001"))
		Expect(read.Checks[1].SkipKind).To(Equal(reports.SkipNotRun))
		Expect(read.Checks[2].SkipKind).To(BeEmpty(), "only skipped checks have a kind")
		Expect(read.Summary).To(Equal(reports.Summary{Total: 3, Passed: 1, Skipped: 2, Blocked: 1, NotRun: 1}))
	})
})
