package main

import (
	"fmt"
	"sort"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/suites/run"
)

func newMockCommand() *cobra.Command {
	mock := &cobra.Command{
		Use:   "mock",
		Short: "Serve the bundled reference counterparts on loopback",
	}
	mock.AddCommand(newMockServerCommand())
	return mock
}

func newMockServerCommand() *cobra.Command {
	var revision string
	var faults []string
	var listFaults bool
	cmd := &cobra.Command{
		Use:   "server",
		Short: "Serve the reference MCP server and its authorization server metadata until interrupted",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			if listFaults {
				w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
				for _, f := range mockserver.Faults() {
					fmt.Fprintf(w, "%s\t%s (spec %s on)\n", f.Name, f.Description, f.Since)
				}
				return w.Flush()
			}
			rev, err := spec.ParseRevision(revision)
			if err != nil {
				return &run.UsageError{Err: err}
			}
			srv, err := mockserver.Run(cmd.Context(), mockserver.WithRevision(rev), mockserver.WithFaults(faults...))
			if err != nil {
				return &run.UsageError{Err: err}
			}
			defer srv.Close()
			fmt.Fprintf(out, "mcpconform reference target, spec %s, faults %v\n", rev, faults)
			urls := srv.URLs()
			names := make([]string, 0, len(urls))
			for name := range urls {
				names = append(names, name)
			}
			sort.Strings(names)
			w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			for _, name := range names {
				fmt.Fprintf(w, "  %s\t%s\n", name, urls[name])
			}
			w.Flush()
			fmt.Fprintln(out, "serving until interrupted (Ctrl-C)")
			<-cmd.Context().Done()
			return nil
		},
	}
	cmd.Flags().StringVar(&revision, "spec-version", string(spec.Latest), "MCP specification revision to serve")
	cmd.Flags().StringArrayVar(&faults, "fault", nil, "switch on a named fault (repeatable); see --list-faults")
	cmd.Flags().BoolVar(&listFaults, "list-faults", false, "print every fault with a one-line description")
	return cmd
}
