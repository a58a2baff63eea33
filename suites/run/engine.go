// Package run turns a run's configuration into a Ginkgo label filter, runs
// the specs in this process through RunSpecs and builds the results model
// from Ginkgo's report.
package run

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/internal/printable"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/check"
)

// suiteTimeout bounds a whole run; each request is bounded far tighter.
const suiteTimeout = 30 * time.Minute

// progressLines is where a run prints a line per check as it completes,
// the baseline that words them, and their columns: a counter out of the
// checks selected, and IDs as wide as the longest of them.
type progressLines struct {
	out      io.Writer
	baseline reports.Baseline
	total    int
	idWidth  int
	done     int
}

func newProgress(out io.Writer, baseline reports.Baseline, selected []catalog.Check) progressLines {
	if out == nil {
		out = io.Discard
	}
	lines := progressLines{out: out, baseline: baseline, total: len(selected)}
	for _, c := range selected {
		lines.idWidth = max(lines.idWidth, len(c.ID))
	}
	return lines
}

// Ginkgo keeps one global suite per process: these hooks belong to it.
var (
	collecting bool
	progress   = progressLines{out: io.Discard}
	lastReport types.Report
)

// wordColours colour the verdict words on a terminal.
var wordColours = map[string]printable.Colour{
	"PASS": printable.Green, "FAIL": printable.Red, "XPASS": printable.Red,
	"XFAIL": printable.Yellow, "SKIP": printable.Dim, "STOP": printable.Yellow,
}

// printProgress prints one line per check as it completes, as the baseline
// judges it, the reason redacted by redact and under the title: an expected
// failure says so, and a baseline entry that passes says to remove it.
//
//	PASS  [ 1/12] AS-META-001  publishes authorization server metadata...
//	FAIL  [ 2/12] AS-META-002  publishes the issuer it was discovered under
//	                           issuer must be identical... (got https://...)
func printProgress(r SpecReport, redact func(string) string) {
	if !collecting || r.State == types.SpecStateSkipped && r.Failure.Message == "" {
		return
	}
	id, _ := catalog.CheckID(r.Labels())
	c := reports.CheckResult{ID: id, Status: progressStatus(r.State), Message: r.Failure.Message}
	if c.Status == reports.StatusFailed {
		c.Message = failureMessage(r)
	}
	c.Message = firstLine(redact(c.Message))
	progress.baseline.Mark(&c)
	word := verdictWord(r.State)
	switch c.Status {
	case reports.StatusExpectedFailure:
		word, c.Message = "XFAIL", "expected failure (baseline: "+c.BaselineReason+"): "+c.Message
	case reports.StatusUnexpectedPass:
		word = "XPASS"
	}
	progress.done++
	counter := fmt.Sprintf("[%*d/%d]", len(strconv.Itoa(progress.total)), progress.done, progress.total)
	printable.Paint(progress.out, wordColours[word], fmt.Sprintf("%-5s", word))
	fmt.Fprintf(progress.out, " %s %-*s  %s\n", counter, progress.idWidth, id, r.LeafNodeText)
	if c.Message != "" {
		indent := 5 + 1 + len(counter) + 1 + progress.idWidth + 2
		fmt.Fprintf(progress.out, "%*s%s\n", indent, "", c.Message)
	}
}

// progressStatus is the status a check in state s is reported with.
func progressStatus(s types.SpecState) reports.Status {
	switch {
	case s == types.SpecStatePassed:
		return reports.StatusPassed
	case s == types.SpecStateSkipped, s == types.SpecStateInterrupted:
		return reports.StatusSkipped
	}
	return reports.StatusFailed
}

var _ = ReportAfterSuite("mcpconform results", func(r Report) {
	if collecting {
		lastReport = r
	}
})

// execute runs the selected specs once; Ginkgo allows one run per process.
func execute(ctx context.Context, filter catalog.Filter, lines progressLines, verbose bool, redact func(string) string) types.Report {
	RegisterFailHandler(Fail)
	progress = lines
	formatter.ColorableStdOut = io.Discard
	if verbose {
		formatter.ColorableStdOut = redactingWriter{lines.out, redact}
	}
	suiteConfig, reporterConfig := GinkgoConfiguration()
	suiteConfig.LabelFilter = filter.LabelFilter()
	suiteConfig.Timeout = suiteTimeout
	suiteConfig.RandomSeed = 1
	reporterConfig.Succinct = !verbose
	reporterConfig.Verbose = verbose
	reporterConfig.NoColor = true
	run := declared().run
	collecting, run.Ctx = true, ctx
	run.Progress = func(r SpecReport) { printProgress(r, redact) }
	defer func() { collecting, run.Progress, run.Ctx = false, nil, nil }()
	RunSpecs(ginkgoT{}, "mcpconform", suiteConfig, reporterConfig)
	return lastReport
}

// ginkgoT stands in for *testing.T: the verdicts are read from the report.
type ginkgoT struct{}

func (ginkgoT) Fail() {}

// results builds the results model from Ginkgo's report, keeping only the
// selected checks (Ginkgo also reports the ones the filter left out).
func results(report types.Report, rev spec.Revision, selected []catalog.Check, redact func(string) string) ([]reports.CheckResult, bool) {
	want := map[string]catalog.Check{}
	for _, c := range selected {
		want[c.ID] = c
	}
	var out []reports.CheckResult
	for _, sr := range report.SpecReports {
		id, ok := catalog.CheckID(sr.Labels())
		c, selectedCheck := want[id]
		if sr.LeafNodeType != types.NodeTypeIt || !ok || !selectedCheck || sr.State == types.SpecStateSkipped && sr.Failure.Message == "" {
			continue
		}
		r := checkResult(c, rev, sr)
		r.Message = redact(r.Message) // messages may quote what the target sent
		for i, ex := range r.Evidence {
			r.Evidence[i] = ex.Redact(redact)
		}
		out = append(out, r)
		delete(want, id)
	}
	interrupted := false
	for _, reason := range report.SpecialSuiteFailureReasons {
		if strings.Contains(reason, "Interrupted") {
			interrupted = true
		}
	}
	if interrupted {
		for _, c := range want {
			r := ResultFor(c, rev)
			r.Skip(check.NotRunPrefix + "interrupted")
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, interrupted
}

func checkResult(c catalog.Check, rev spec.Revision, sr types.SpecReport) reports.CheckResult {
	res := ResultFor(c, rev)
	res.DurationMS = sr.RunTime.Milliseconds()
	switch {
	case sr.State == types.SpecStatePassed:
		res.Status = reports.StatusPassed
	case sr.State == types.SpecStateSkipped:
		res.Skip(sr.Failure.Message)
	case sr.State == types.SpecStateInterrupted:
		res.Skip(check.NotRunPrefix + "interrupted")
	default:
		res.Status, res.Message = reports.StatusFailed, failureMessage(sr)
	}
	for _, entry := range sr.ReportEntries {
		if ex, ok := entry.Value.GetRawValue().(evidence.Exchange); ok && entry.Name == check.EvidenceEntry {
			res.Evidence = append(res.Evidence, ex) // each once: check.Attach saw to it
		}
		if sev, ok := entry.Value.GetRawValue().(string); ok && entry.Name == check.SeverityEntry && res.Status == reports.StatusFailed {
			res.Severity = sev
		}
	}
	return res
}

// ResultFor is a check's catalogue data in the results model, as revision
// rev cites it, without a verdict.
func ResultFor(c catalog.Check, rev spec.Revision) reports.CheckResult {
	res := reports.CheckResult{
		ID: c.ID, Title: c.Title, Role: string(c.Role), Level: string(c.Level),
		Severity: string(c.Severity), Area: c.Area, Remediation: c.Remediation,
	}
	for _, r := range c.Revisions {
		res.Revisions = append(res.Revisions, string(r))
	}
	for _, ref := range c.RefsFor(rev) {
		res.Refs = append(res.Refs, reports.Ref{Label: ref.Label, URL: ref.URL})
	}
	return res
}

func failureMessage(sr types.SpecReport) string {
	switch sr.State {
	case types.SpecStateTimedout:
		return "timed out: " + plainFailure(sr.Failure.Message)
	case types.SpecStatePanicked:
		return fmt.Sprintf("internal error (panic): %s %v", sr.Failure.Message, sr.Failure.ForwardedPanic)
	}
	return plainFailure(sr.Failure.Message)
}

func verdictWord(s types.SpecState) string {
	switch s {
	case types.SpecStatePassed:
		return "PASS"
	case types.SpecStateSkipped:
		return "SKIP"
	case types.SpecStateInterrupted:
		return "STOP"
	}
	return "FAIL"
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// redactingWriter passes Ginkgo's own output on with secrets removed.
type redactingWriter struct {
	w      io.Writer
	redact func(string) string
}

func (r redactingWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(r.w, r.redact(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
