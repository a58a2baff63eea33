package main

import (
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockclient/refclient"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/run"
)

// conformanceContextEnv carries the scenario's JSON context to the client
// under test, as the official MCP conformance suite's client contract has it.
const conformanceContextEnv = "MCP_CONFORMANCE_CONTEXT"

func newMockClientCommand() *cobra.Command {
	var faults []string
	var listFaults bool
	cmd := &cobra.Command{
		Use:   "client [--fault NAME]... URL",
		Short: "Run the reference MCP client against the MCP server at URL",
		Long: "Run the reference MCP client against the MCP server at URL (the last argument): authorize as the MCP\n" +
			"specification asks, then initialize and list the tools. $" + conformanceContextEnv + " may name a\n" +
			"pre-registered client_id (and client_secret); $BROWSER, when set, is run with the authorization URL\n" +
			"(`mcpconform browse` is a headless one). Steps are logged to stderr. Exit 0 on success, 1 on a refusal\n" +
			"or a failure.",
		Args: func(cmd *cobra.Command, args []string) error {
			if listFaults {
				return cobra.NoArgs(cmd, args)
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if listFaults {
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
				for _, f := range fault.ClientFaults {
					fmt.Fprintf(w, "%s\t%s\n", f.Name, f.Description)
				}
				return w.Flush()
			}
			cfg := refclient.Config{MCPURL: args[0], Log: cmd.ErrOrStderr()}
			for _, name := range faults {
				if !fault.IsClientFault(fault.Name(name)) {
					return &run.UsageError{Err: fmt.Errorf("unknown client fault %q (see --list-faults)", name)}
				}
				cfg.Faults = append(cfg.Faults, fault.Name(name))
			}
			if raw := os.Getenv(conformanceContextEnv); raw != "" {
				if err := json.Unmarshal([]byte(raw), &cfg.Context); err != nil {
					return &run.UsageError{Err: fmt.Errorf("$%s is not a JSON object: %w", conformanceContextEnv, err)}
				}
			}
			if err := refclient.Run(cmd.Context(), cfg); err != nil {
				fmt.Fprintln(cmd.ErrOrStderr(), "mcpconform:", err)
				return &exitError{code: reports.ExitFailures}
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&faults, "fault", nil, "switch on a named client fault (repeatable); see --list-faults")
	cmd.Flags().BoolVar(&listFaults, "list-faults", false, "print every client fault with a one-line description")
	return cmd
}
