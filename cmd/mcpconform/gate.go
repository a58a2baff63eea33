package main

import (
	"cmp"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/run"
)

// runFlags are the flags of a run's reports and gate, the same in every mode.
type runFlags struct {
	reportDir string
	baseline  string
	verbose   bool
}

func (f *runFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.reportDir, "report-dir", "mcpconform-report", "where to write results.json, junit.xml and report.html")
	fs.StringVar(&f.baseline, "baseline", "", "file of expected failures: one `CHECK-ID reason` per line")
	fs.BoolVarP(&f.verbose, "verbose", "v", false, "also print Ginkgo's own output")
}

// finish gates a run's results with the baseline, writes the reports and
// prints the verdict; the error carries the exit code.
func finish(cmd *cobra.Command, res *reports.Results, runErr error, baseline reports.Baseline, reportDir string, started time.Time) error {
	if res == nil {
		return runErr
	}
	if runErr == nil && baseline != nil {
		if err := baseline.Apply(res, catalogIDs()); err != nil {
			return &run.UsageError{Err: err}
		}
	}
	paths, writeErr := reports.WriteAll(reportDir, res)
	if writeErr != nil {
		return fmt.Errorf("write reports: %w", writeErr)
	}
	code := summarize(cmd.OutOrStdout(), res, paths, time.Since(started))
	if res.Error != "" {
		fmt.Fprintln(cmd.ErrOrStderr(), "mcpconform:", res.Error)
	}
	if code != reports.ExitOK {
		return &exitError{code: code}
	}
	return nil
}

// loadBaseline reads the expected failures of --baseline, if given.
func loadBaseline(path string) (reports.Baseline, error) {
	if path == "" {
		return nil, nil
	}
	baseline, err := reports.LoadBaseline(path)
	if err != nil {
		return nil, &run.UsageError{Err: err}
	}
	return baseline, nil
}

// summarize prints the verdict and returns the run's exit code.
func summarize(out io.Writer, res *reports.Results, paths []string, took time.Duration) int {
	s := res.Summary
	fmt.Fprintf(out, "\n%d checks: %d passed, %d failed, %d skipped", s.Total, s.Passed, s.Failed, s.Skipped)
	if s.ExpectedFailure+s.UnexpectedPass > 0 {
		fmt.Fprintf(out, ", %d expected failures, %d unexpected passes", s.ExpectedFailure, s.UnexpectedPass)
	}
	fmt.Fprintf(out, " (%s)\n", took.Round(time.Millisecond))
	for _, p := range paths {
		fmt.Fprintln(out, "report:", p)
	}
	code := res.ExitCode()
	switch {
	case res.Error != "":
		fmt.Fprintln(out, "verdict: NOT RUN:", res.Error)
		return reports.ExitUnreachable
	case res.Interrupted:
		fmt.Fprintf(out, "verdict: INCOMPLETE (%s)\n", cmp.Or(res.StoppedBy, "interrupted"))
		return reports.ExitFailures
	case code == reports.ExitOK:
		fmt.Fprintln(out, "verdict: PASS")
	default:
		fmt.Fprintln(out, "verdict: FAIL")
	}
	return code
}

func catalogIDs() []string {
	var ids []string
	for _, c := range catalog.All() {
		ids = append(ids, c.ID)
	}
	return ids
}
