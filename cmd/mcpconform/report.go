package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/run"
)

// newReportCommand re-renders the reports of an earlier run, optionally
// judging it against a baseline: a CI job can keep the raw results and gate
// on them later. The summary and the verdict are recomputed from the checks,
// never read from the file, under this command's gate flags; a baseline
// replaces the one the run was judged with, if any.
func newReportCommand() *cobra.Command {
	var from, reportDir, baselinePath string
	var gateFlags gateFlags
	cmd := &cobra.Command{
		Use:     "report",
		Short:   "Write the JUnit, SARIF and HTML reports (and the exit code) from an earlier results.json",
		Example: "  mcpconform report --from mcpconform-report/results.json --baseline known-gaps.txt --fail-on must --report-dir gated",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			gate, err := gateFlags.gate()
			if err != nil {
				return err
			}
			baseline, err := loadBaseline(baselinePath)
			if err != nil {
				return err
			}
			f, err := os.Open(from)
			if err != nil {
				return &run.UsageError{Err: err}
			}
			defer f.Close()
			res, err := reports.ReadJSON(f)
			if err != nil {
				return &run.UsageError{Err: err}
			}
			res.Gate = gate
			if baseline != nil {
				res.Config.Baseline = baselinePath
				if err := baseline.Apply(res, catalogIDs()); err != nil {
					return &run.UsageError{Err: err}
				}
			}
			return writeAndJudge(cmd, res, reportDir, res.FinishedAt.Sub(res.StartedAt))
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the results.json of an earlier run")
	cmd.Flags().StringVar(&reportDir, "report-dir", "mcpconform-report", "where to write the reports")
	cmd.Flags().StringVar(&baselinePath, "baseline", "", "file of expected failures: one `CHECK-ID reason` per line")
	gateFlags.register(cmd)
	cmd.MarkFlagRequired("from")
	return cmd
}
