package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mcpconform/mcpconform/mockserver/testissuer"
	"github.com/mcpconform/mcpconform/suites/run"
)

// newMockASCommand serves the test issuer on its own, for targets that
// fetch the JWKS of the issuers they trust when they start, before any run.
func newMockASCommand() *cobra.Command {
	var issuerURL, keyFile string
	cmd := &cobra.Command{
		Use:   "as",
		Short: "Serve the test issuer a target is configured to trust, until interrupted",
		Long: "Serve the metadata and JWKS of a test authorization server. Configure the MCP server under test to\n" +
			"accept tokens of this issuer, then run `mcpconform server --trusted-issuer URL --trusted-issuer-key FILE`\n" +
			"with the same URL and key file: the token claim checks mint their tokens with that key.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			key, err := testissuer.LoadKey(keyFile)
			if err != nil {
				return &run.UsageError{Err: err}
			}
			issuer, err := testissuer.New(issuerURL, key)
			if err != nil {
				return &run.UsageError{Err: err}
			}
			if err := issuer.Serve(cmd.Context()); err != nil {
				return err
			}
			defer issuer.Close()
			out := cmd.OutOrStdout()
			describeIssuer(out, issuer)
			fmt.Fprintf(out, "suite flags: --trusted-issuer %s --trusted-issuer-key %s\n", issuer.URL, keyFile)
			fmt.Fprintln(out, "serving until interrupted (Ctrl-C)")
			<-cmd.Context().Done()
			return nil
		},
	}
	cmd.Flags().StringVar(&issuerURL, "issuer", testissuer.DefaultURL, "the issuer URL: plain http on a loopback host, with a port")
	cmd.Flags().StringVar(&keyFile, "key", "mcpconform-issuer.pem", "PEM file of the signing key, created when missing")
	return cmd
}
