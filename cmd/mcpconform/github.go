package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/mcpconform/mcpconform/reports"
)

// inGitHubActions: GitHub's runners set GITHUB_ACTIONS=true in every step.
func inGitHubActions() bool { return os.Getenv("GITHUB_ACTIONS") == "true" }

// publishToGitHub, in GitHub Actions, annotates the failures of res and adds
// its summary to the job's summary page. Neither changes the exit code: a
// failure to write is a warning on stderr.
func publishToGitHub(cmd *cobra.Command, res *reports.Results) {
	if !inGitHubActions() {
		return
	}
	if err := reports.WriteAnnotations(cmd.OutOrStdout(), res); err != nil {
		fmt.Fprintln(cmd.ErrOrStderr(), "mcpconform: warning: writing GitHub annotations:", err)
	}
	appendStepSummary(cmd, func(w io.Writer) error { return reports.WriteStepSummary(w, res) })
}

// appendStepSummary, in GitHub Actions, appends what write writes to the
// file GITHUB_STEP_SUMMARY names, which the job's summary page shows.
func appendStepSummary(cmd *cobra.Command, write func(io.Writer) error) {
	path := os.Getenv("GITHUB_STEP_SUMMARY")
	if !inGitHubActions() || path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err == nil {
		err = write(f)
		if closeErr := f.Close(); err == nil {
			err = closeErr
		}
	}
	if err != nil {
		fmt.Fprintln(cmd.ErrOrStderr(), "mcpconform: warning: writing the GitHub step summary:", err)
	}
}
