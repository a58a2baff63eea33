package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/client"
	"github.com/mcpconform/mcpconform/suites/run"
)

type clientFlags struct {
	filterFlags
	runFlags
	command   string
	urlEnv    string
	parallel  int
	timeLimit time.Duration
	serve     bool
}

func newClientCommand() *cobra.Command {
	var flags clientFlags
	cmd := &cobra.Command{
		Use:   "client",
		Short: "Test an MCP client's authorization (the bundled reference client without --command)",
		Long: `Runs the client once per scenario against that scenario's MCP server and
authorization server, with the MCP server URL as its last argument and
MCP_CONFORMANCE_SCENARIO and MCP_CONFORMANCE_CONTEXT set, as the official MCP
conformance suite does; then judges what the client sent them.`,
		Example: `  mcpconform client --command "node dist/my-client.js"
  mcpconform client --command "my-agent --mcp" --url-env MCP_SERVER_URL --spec-version 2025-06-18
  mcpconform client --command "mcpconform mock client" --baseline known-gaps.txt
  mcpconform client --serve --time-limit 15m`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runClient(cmd, flags) },
	}
	flags.filterFlags.register(cmd, string(spec.Latest))
	flags.runFlags.register(cmd)
	fs := cmd.Flags()
	fs.StringVar(&flags.command, "command", "", "the client's command line; the MCP server URL is appended (default: the bundled reference client)")
	fs.StringVar(&flags.urlEnv, "url-env", "", "pass the MCP server URL in this environment variable instead of as the last argument")
	fs.IntVar(&flags.parallel, "parallel", runtime.NumCPU(), "how many scenarios run at once")
	fs.DurationVar(&flags.timeLimit, "time-limit", 30*time.Second, "limit for one run of the client; a client still running is killed with its process group (with --serve: how long the scenarios are served)")
	fs.BoolVar(&flags.serve, "serve", false, "serve every scenario at a printed URL for a client you point at them (a desktop application), until Enter or --time-limit")
	return cmd
}

func runClient(cmd *cobra.Command, flags clientFlags) error {
	out := cmd.OutOrStdout()
	filter, err := flags.selection(spec.RoleClient)
	if err != nil {
		return err
	}
	judged, err := flags.verdictSettings()
	if err != nil {
		return err
	}
	if flags.parallel < 1 || flags.timeLimit <= 0 {
		return &run.UsageError{Err: errors.New("--parallel and --time-limit must be positive")}
	}
	if flags.serve {
		if flags.command != "" || flags.urlEnv != "" {
			return &run.UsageError{Err: errors.New("--serve serves the scenarios for a client you start yourself: no --command or --url-env")}
		}
		return serveClient(cmd, flags, filter, judged)
	}
	command := strings.TrimSpace(flags.command)
	var env []string
	if command == "" {
		if command, err = referenceClientCommand(); err != nil {
			return err
		}
		env = append(env, client.HelperEnv)
		fmt.Fprintf(out, "no --command given: testing the bundled reference client (spec %s)\n", filter.Revision)
	}
	browser, err := browserScript()
	if err != nil {
		return err
	}
	defer os.RemoveAll(filepath.Dir(browser))
	fmt.Fprintf(out, "testing client %q against MCP spec %s: %d checks\n", command, filter.Revision, len(filter.Select()))
	started := time.Now()
	res, runErr := run.Client(cmd.Context(), run.ClientConfig{
		Filter:   filter,
		Launcher: client.Launcher{Command: command, URLEnv: flags.urlEnv, TimeLimit: flags.timeLimit, Env: append(env, "BROWSER="+browser)},
		Parallel: flags.parallel,
		Progress: out,
		Baseline: judged.baseline,
		Verbose:  flags.verbose,
		Version:  toolVersion(),
		Redactor: &evidence.Redactor{},
	})
	config := flags.runConfig(filter)
	config.TimeLimitMS, config.Parallel = flags.timeLimit.Milliseconds(), flags.parallel
	return finish(cmd, res, runErr, judged, config, flags.reportDir, started)
}

// serveClient serves the scenarios until Enter on stdin or the time limit,
// then judges what the client did at each.
func serveClient(cmd *cobra.Command, flags clientFlags, filter catalog.Filter, judged verdictSettings) error {
	out := cmd.OutOrStdout()
	done := make(chan struct{})
	var once sync.Once
	through := func() { once.Do(func() { close(done) }) }
	timer := time.AfterFunc(flags.timeLimit, through)
	defer timer.Stop()
	go func() {
		bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
		through()
	}()
	fmt.Fprintf(out, "serving the scenarios of MCP spec %s for %s: point your client at each URL below, then press Enter\n",
		filter.Revision, flags.timeLimit)
	started := time.Now()
	res, runErr := run.Client(cmd.Context(), run.ClientConfig{
		Filter:   filter,
		Serve:    &client.Serving{Announce: out, Done: done},
		Progress: out,
		Baseline: judged.baseline,
		Verbose:  flags.verbose,
		Version:  toolVersion(),
		Redactor: &evidence.Redactor{},
	})
	config := flags.runConfig(filter)
	config.TimeLimitMS = flags.timeLimit.Milliseconds()
	return finish(cmd, res, runErr, judged, config, flags.reportDir, started)
}

// referenceClientCommand runs this very binary's reference client.
func referenceClientCommand() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("client: find the bundled reference client: %w", err)
	}
	return shellQuote(self) + " mock client", nil
}

// browserScript writes an executable that runs `mcpconform browse`, for
// $BROWSER: clients that open a browser for the authorization URL get a
// headless one (a one-word path, as BROWSER users expect).
func browserScript() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("client: find this binary for BROWSER: %w", err)
	}
	dir, err := os.MkdirTemp("", "mcpconform-browser-")
	if err != nil {
		return "", fmt.Errorf("client: BROWSER script: %w", err)
	}
	path := filepath.Join(dir, "browse")
	script := "#!/bin/sh\nexec " + client.HelperCommand(shellQuote(self), "browse", `"$@"`) + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("client: BROWSER script: %w", err)
	}
	return path, nil
}

// shellQuote makes s one word of a POSIX shell command line.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
