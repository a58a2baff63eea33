package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/run"
)

func newListCommand() *cobra.Command {
	var flags filterFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Print the catalogue of checks (every revision unless --spec-version is given)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := run.Validate(); err != nil {
				return err
			}
			filters, err := flags.filters()
			if err != nil {
				return err
			}
			var checks []catalog.Check
			for _, c := range catalog.All() {
				if slices.ContainsFunc(filters, func(f catalog.Filter) bool { return f.Matches(c) }) {
					checks = append(checks, c)
				}
			}
			if len(checks) == 0 {
				return &run.UsageError{Err: fmt.Errorf("the filters select no checks")}
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(checks)
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tROLE\tLEVEL\tSEVERITY\tREVISIONS\tTITLE")
			for _, c := range checks {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Role, c.Level, c.Severity, revisionRange(c), c.Title)
			}
			return w.Flush()
		},
	}
	flags.register(cmd, "")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}

// revisionRange shortens a contiguous revision list to "first..last".
func revisionRange(c catalog.Check) string {
	if len(c.Revisions) <= 2 {
		var s []string
		for _, r := range c.Revisions {
			s = append(s, string(r))
		}
		return strings.Join(s, ",")
	}
	return fmt.Sprintf("%s..%s", c.Revisions[0], c.Revisions[len(c.Revisions)-1])
}
