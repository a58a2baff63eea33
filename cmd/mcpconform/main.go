// Command mcpconform is the MCP authorization conformance and security suite.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/mcpconform/mcpconform/internal/printable"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/run"
)

// version is set at build time with -ldflags "-X main.version=..."; when it
// is not, toolVersion reads the build info.
var version string

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(execute(ctx, os.Args[1:]))
}

// execute runs the command line and maps its outcome to an exit code.
func execute(ctx context.Context, args []string) int {
	root := newRootCommand()
	root.SetArgs(args)
	// Every console line may quote a hostile target: no escape sequence
	// it sends reaches the terminal. The verdict words are coloured on a
	// terminal unless NO_COLOR is set.
	root.SetOut(printable.Writer{W: os.Stdout, Colour: printable.WantsColour(os.Stdout)})
	root.SetErr(printable.Writer{W: os.Stderr})
	err := root.ExecuteContext(ctx)
	var exit *exitError
	var usage *run.UsageError
	switch {
	case err == nil:
		return reports.ExitOK
	case errors.As(err, &exit):
		return exit.code
	case errors.As(err, &usage), isFlagError(err):
		fmt.Fprintln(root.ErrOrStderr(), "mcpconform:", err)
		return reports.ExitUsage
	default:
		fmt.Fprintln(root.ErrOrStderr(), "mcpconform:", err)
		return reports.ExitInternal
	}
}

// exitError carries an exit code whose reason was already printed.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }
