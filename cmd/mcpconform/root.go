package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

var errUsage = errors.New("usage")

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "mcpconform",
		Short: "Conformance and security tests for MCP authorization (OAuth 2.1 as MCP specifies it)",
		Long: `mcpconform tests MCP authorization implementations.

  server   test a real MCP server and the authorization server it names
  list     print the catalogue of checks
  mock     serve the bundled reference counterparts, or run the reference client
  browse   open a URL as a headless browser (for clients that run $BROWSER)
  report   re-render reports from an earlier results.json
  diff     show what changed between two runs' results.json

Exit codes: 0 every selected check passed (or failed as the baseline expects),
1 failures, 2 usage error, 3 target unreachable, 4 internal error
(diff: 0 no regression, 1 regressed; see mcpconform diff --help).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       toolVersion(),
	}
	root.SetVersionTemplate("mcpconform {{.Version}}\n")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return errors.Join(errUsage, err)
	})
	root.AddCommand(newServerCommand(), newClientCommand(), newListCommand(), newMockCommand(), newBrowseCommand(), newReportCommand(), newDiffCommand(), newVersionCommand())
	return root
}

// isFlagError reports errors cobra raises for a bad command line.
func isFlagError(err error) bool {
	if errors.Is(err, errUsage) {
		return true
	}
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "accepts ") ||
		strings.Contains(msg, "required flag")
}

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version (also --version)",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "mcpconform", toolVersion())
		},
	}
}
