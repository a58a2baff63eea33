package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/run"
)

// newReportCommand re-renders the reports of an earlier run, optionally
// judging it against a baseline: a CI job can keep the raw results and gate
// on them later.
func newReportCommand() *cobra.Command {
	var from, reportDir, baselinePath string
	cmd := &cobra.Command{
		Use:     "report",
		Short:   "Write the JUnit and HTML reports (and the exit code) from an earlier results.json",
		Example: "  mcpconform report --from mcpconform-report/results.json --baseline known-gaps.txt --report-dir gated",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := os.Open(from)
			if err != nil {
				return &run.UsageError{Err: err}
			}
			defer f.Close()
			res, err := reports.ReadJSON(f)
			if err != nil {
				return &run.UsageError{Err: err}
			}
			if baselinePath != "" {
				baseline, err := reports.LoadBaseline(baselinePath)
				if err != nil {
					return &run.UsageError{Err: err}
				}
				if err := baseline.Apply(res, catalogIDs()); err != nil {
					return &run.UsageError{Err: err}
				}
			}
			paths, err := reports.WriteAll(reportDir, res)
			if err != nil {
				return fmt.Errorf("write reports: %w", err)
			}
			if code := summarize(cmd.OutOrStdout(), res, paths, res.FinishedAt.Sub(res.StartedAt)); code != reports.ExitOK {
				return &exitError{code: code}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the results.json of an earlier run")
	cmd.Flags().StringVar(&reportDir, "report-dir", "mcpconform-report", "where to write the reports")
	cmd.Flags().StringVar(&baselinePath, "baseline", "", "file of expected failures: one `CHECK-ID reason` per line")
	cmd.MarkFlagRequired("from")
	return cmd
}
