package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/run"
)

// newDiffCommand compares two runs check by check: what fails now that did
// not, what was fixed, which checks one run has and the other lacks.
func newDiffCommand() *cobra.Command {
	var format string
	var gateFlags gateFlags
	cmd := &cobra.Command{
		Use:   "diff A/results.json B/results.json",
		Short: "Show what changed from run A to run B, and exit 1 when B regressed",
		Long: `diff compares two results.json files check by check, by check ID: new failures
(in both runs, failing in B but not in A), fixes, checks only in A or only in B
(other revisions, other tool versions, other filters) and other status changes.
Statuses are read as results.json records them; summaries and verdicts are
recomputed, never read.

Exit codes: 0 no regression; 1 B regressed (a check in both runs fails in B and
did not in A, limited by --fail-on; with --strict also a check judged in A and
skipped in B), or B stopped early; 2 usage error (a file unreadable, of another
schema, or runs of different modes); 3 either run judged nothing (a run error).
A check in one run only is never a regression.`,
		Example: "  mcpconform diff main-report/results.json pr-report/results.json --format markdown",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			write, ok := map[string]func(io.Writer, *reports.Diff) error{
				"text":     reports.WriteDiffText,
				"markdown": reports.WriteDiffMarkdown,
			}[format]
			if !ok {
				return &run.UsageError{Err: fmt.Errorf("diff: --format %q is neither text nor markdown", format)}
			}
			gate, err := gateFlags.gate()
			if err != nil {
				return err
			}
			before, err := readResultsFile(args[0])
			if err != nil {
				return err
			}
			after, err := readResultsFile(args[1])
			if err != nil {
				return err
			}
			d, err := reports.Compare(before, after, gate)
			if err != nil {
				return &run.UsageError{Err: err}
			}
			if err := write(cmd.OutOrStdout(), d); err != nil {
				return fmt.Errorf("diff: %w", err)
			}
			appendStepSummary(cmd, func(w io.Writer) error { return reports.WriteDiffMarkdown(w, d) })
			if _, code := d.Result(); code != reports.ExitOK {
				return &exitError{code: code}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text or markdown")
	gateFlags.register(cmd)
	cmd.Flags().Lookup("fail-on").Usage = "only new failures of checks of these levels or stronger (must, should, may) " +
		"or these severities or worse (critical, high, medium, low) are a regression (default: every new failure)"
	cmd.Flags().Lookup("strict").Usage = "also count a check judged in A and skipped in B as a regression"
	return cmd
}

// readResultsFile reads a results.json named on the command line.
func readResultsFile(path string) (*reports.Results, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &run.UsageError{Err: err}
	}
	defer f.Close()
	res, err := reports.ReadJSON(f)
	if err != nil {
		return nil, &run.UsageError{Err: fmt.Errorf("%s: %w", path, err)}
	}
	return res, nil
}
