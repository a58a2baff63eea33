package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/client"
)

// browseTimeout bounds one browse, redirects included.
const browseTimeout = 30 * time.Second

// newBrowseCommand is a headless browser for MCP clients that open the
// authorization URL with $BROWSER: point $BROWSER at a script running
// `mcpconform browse "$1"`.
func newBrowseCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "browse URL",
		Short: "Open URL as a browser with nobody at it: follow redirects, keep cookies",
		Long: "GET URL with a cookie jar and follow redirects (at most 10, within " + browseTimeout.String() + ", bodies up to 1 MiB), as a\n" +
			"browser does for an MCP client's authorization URL. The final status is printed to stderr; exit 0\n" +
			"when it is 2xx, else 1.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := recordBrowse(args[0]); err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), browseTimeout)
			defer cancel()
			c := mockclient.New(mockclient.Options{Run: cmd.Context()})
			defer c.CloseIdleConnections()
			resp, err := c.Browse(ctx, args[0])
			stderr := cmd.ErrOrStderr()
			if err != nil {
				fmt.Fprintln(stderr, "mcpconform browse:", c.RedactText(err.Error()))
				return &exitError{code: reports.ExitFailures}
			}
			// The URL may carry a code: it is redacted.
			fmt.Fprintf(stderr, "mcpconform browse: %d %s at %s\n", resp.Status, http.StatusText(resp.Status), c.RedactText(resp.URL))
			if page, ok := mockclient.CallbackPage(args[0], resp); ok {
				if err := recordBrowse(client.BrowsedCallbackPage{Page: &page}); err != nil {
					return err
				}
			}
			if resp.Status/100 != 2 {
				return &exitError{code: reports.ExitFailures}
			}
			return nil
		},
	}
}

// recordBrowse appends entry to the browse log client mode names: the URL
// the client asked its browser to open, recorded before opening it so the
// checks see it whatever happens next, then the page it ended on at the
// client's redirect URI.
func recordBrowse(entry any) error {
	path := os.Getenv(client.EnvBrowseLog)
	if path == "" {
		return nil
	}
	line, err := json.Marshal(entry)
	if err != nil {
		return fmt.Errorf("browse: record: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("browse: record: %w", err)
	}
	_, err = f.Write(append(line, '\n'))
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return fmt.Errorf("browse: record: %w", err)
	}
	return nil
}
