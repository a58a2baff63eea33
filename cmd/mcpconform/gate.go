package main

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mcpconform/mcpconform/internal/printable"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/run"
)

// runFlags are the flags of a run's reports and gate, the same in every mode.
type runFlags struct {
	gateFlags
	reportDir string
	baseline  string
	verbose   bool
}

func (f *runFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.reportDir, "report-dir", "mcpconform-report", "where to write results.json, junit.xml, results.sarif and report.html")
	fs.StringVar(&f.baseline, "baseline", "", "file of expected failures: one `CHECK-ID reason` per line")
	fs.BoolVarP(&f.verbose, "verbose", "v", false, "also print Ginkgo's own output")
	f.gateFlags.register(cmd)
}

// gateFlags are the policy that turns the checks into the exit code.
type gateFlags struct {
	failOn []string
	strict bool
}

func (f *gateFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringSliceVar(&f.failOn, "fail-on", nil, "only failures of checks of these levels or stronger (must, should, may) "+
		"or these severities or worse (critical, high, medium, low) fail the run; all are still reported (default: every failure)")
	fs.BoolVar(&f.strict, "strict", false, "also fail the run when a check is skipped (not run, blocked or not applicable)")
}

func (f *gateFlags) gate() (reports.Gate, error) {
	failOn, err := reports.ParseFailOn(f.failOn)
	if err != nil {
		return reports.Gate{}, &run.UsageError{Err: err}
	}
	return reports.Gate{FailOn: failOn, Strict: f.strict}, nil
}

// verdictSettings are how a run's results are judged, read and checked
// before the run starts anything.
type verdictSettings struct {
	baseline reports.Baseline
	gate     reports.Gate
}

func (f *runFlags) verdictSettings() (verdictSettings, error) {
	gate, err := f.gate()
	if err != nil {
		return verdictSettings{}, err
	}
	baseline, err := loadBaseline(f.baseline)
	if err != nil {
		return verdictSettings{}, err
	}
	return verdictSettings{baseline: baseline, gate: gate}, nil
}

// runConfig records the selection of filter and the run's baseline file;
// each mode adds its own settings.
func (f *runFlags) runConfig(filter catalog.Filter) reports.Config {
	config := reports.Config{Focus: filter.Focus, Skip: filter.Skip, Baseline: f.baseline}
	for _, r := range filter.Roles {
		config.Roles = append(config.Roles, string(r))
	}
	for _, l := range filter.Levels {
		config.Levels = append(config.Levels, string(l))
	}
	return config
}

// finish gates a run's results with the baseline, records the run's
// configuration, writes the reports and prints the verdict; the error
// carries the exit code.
func finish(cmd *cobra.Command, res *reports.Results, runErr error, judged verdictSettings, config reports.Config, reportDir string, started time.Time) error {
	if res == nil {
		return runErr
	}
	res.Gate, res.Config = judged.gate, config
	if runErr == nil && judged.baseline != nil {
		if err := judged.baseline.Apply(res, catalogIDs()); err != nil {
			return &run.UsageError{Err: err}
		}
	}
	return writeAndJudge(cmd, res, reportDir, time.Since(started))
}

// writeAndJudge writes the reports of res, prints its summary and verdict,
// and returns the exit code as an error.
func writeAndJudge(cmd *cobra.Command, res *reports.Results, reportDir string, took time.Duration) error {
	res.Summarize()
	paths, writeErr := reports.WriteAll(reportDir, res)
	if writeErr != nil {
		return fmt.Errorf("write reports: %w", writeErr)
	}
	code := summarize(cmd.OutOrStdout(), res, paths, took)
	publishToGitHub(cmd, res)
	if res.Error != "" {
		fmt.Fprintln(cmd.ErrOrStderr(), "mcpconform:", res.Error)
	}
	if code != reports.ExitOK {
		return &exitError{code: code}
	}
	return nil
}

// loadBaseline reads the expected failures of --baseline, if given, and
// checks their IDs against the catalogue before anything starts.
func loadBaseline(path string) (reports.Baseline, error) {
	if path == "" {
		return nil, nil
	}
	baseline, err := reports.LoadBaseline(path)
	if err == nil {
		err = baseline.Check(catalogIDs())
	}
	if err != nil {
		return nil, &run.UsageError{Err: err}
	}
	return baseline, nil
}

// summarize prints the counts, the failures with their one-line reasons,
// the reports and the verdict, and returns the run's exit code.
func summarize(out io.Writer, res *reports.Results, paths []string, took time.Duration) int {
	s := reports.Count(res.Checks)
	fmt.Fprintf(out, "\n%d checks: %d passed, %d failed, %d skipped", s.Total, s.Passed, s.Failed, s.Skipped)
	if s.Skipped > 0 {
		fmt.Fprintf(out, " (%d not run, %d blocked, %d not applicable)", s.NotRun, s.Blocked, s.NotApplicable)
	}
	if s.ExpectedFailure+s.UnexpectedPass > 0 {
		fmt.Fprintf(out, ", %d expected failures, %d unexpected passes", s.ExpectedFailure, s.UnexpectedPass)
	}
	fmt.Fprintf(out, " (%s)\n", took.Round(time.Millisecond))
	printFailures(out, res)
	for _, p := range paths {
		fmt.Fprintln(out, "report:", p)
	}
	v := reports.Judge(res)
	fmt.Fprint(out, "verdict: ")
	printable.Paint(out, outcomeColours[v.Outcome], string(v.Outcome))
	switch {
	case v.Outcome == reports.OutcomeNotRun:
		fmt.Fprintf(out, ": %s\n", res.Error)
	case len(v.Reasons) > 0:
		fmt.Fprintf(out, " (%s)\n", strings.Join(v.Reasons, "; "))
	default:
		fmt.Fprintln(out)
	}
	return v.ExitCode
}

// printFailures lists the failed checks and the baseline entries that now
// pass, each with the first line of its message.
func printFailures(out io.Writer, res *reports.Results) {
	type failure struct{ word, id, text string }
	var failures []failure
	width := 0
	for _, c := range res.Checks {
		word, note := "FAIL", ""
		switch {
		case c.Status == reports.StatusUnexpectedPass:
			word = "XPASS"
		case c.Status != reports.StatusFailed:
			continue
		case !res.Gate.Gates(c):
			note = "(left out by " + res.Gate.String() + ") "
		}
		message, _, _ := strings.Cut(c.Message, "\n")
		failures = append(failures, failure{word, c.ID, note + cmp.Or(message, "(no message)")})
		width = max(width, len(c.ID))
	}
	if len(failures) == 0 {
		return
	}
	fmt.Fprintf(out, "failures (%d):\n", len(failures))
	for _, f := range failures {
		fmt.Fprint(out, "  ")
		printable.Paint(out, printable.Red, fmt.Sprintf("%-5s", f.word))
		fmt.Fprintf(out, " %-*s  %s\n", width, f.id, f.text)
	}
}

// outcomeColours colour the verdict on a terminal.
var outcomeColours = map[reports.Outcome]printable.Colour{
	reports.OutcomePass: printable.Green, reports.OutcomeFail: printable.Red,
	reports.OutcomeIncomplete: printable.Yellow, reports.OutcomeNotRun: printable.Red,
}

func catalogIDs() []string {
	var ids []string
	for _, c := range catalog.All() {
		ids = append(ids, c.ID)
	}
	return ids
}
