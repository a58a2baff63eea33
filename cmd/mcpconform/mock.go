package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/mockserver/testissuer"
	"github.com/mcpconform/mcpconform/suites/run"
)

func newMockCommand() *cobra.Command {
	mock := &cobra.Command{
		Use:   "mock",
		Short: "Serve the bundled reference counterparts on loopback, or run the reference client",
	}
	mock.AddCommand(newMockServerCommand(), newMockASCommand(), newMockClientCommand())
	return mock
}

func newMockServerCommand() *cobra.Command {
	var revision string
	var faults []string
	var listFaults bool
	var useTLS bool
	var caOut string
	var trustedIssuer string
	var baseURL string
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
			if caOut != "" && !useTLS {
				return &run.UsageError{Err: errors.New("--ca-out needs --tls")}
			}
			switchedOn, err := faultNames(faults)
			if err != nil {
				return &run.UsageError{Err: err}
			}
			opts := []mockserver.Option{mockserver.WithRevision(rev), mockserver.WithFaults(switchedOn...)}
			if useTLS {
				opts = append(opts, mockserver.WithTLS())
			}
			if baseURL == "" {
				baseURL = os.Getenv(mockBaseURLEnv)
			}
			if baseURL != "" {
				addr, err := mockAddress(baseURL, useTLS)
				if err != nil {
					return &run.UsageError{Err: err}
				}
				opts = append(opts, mockserver.WithAddress(addr))
			}
			if trustedIssuer != "" {
				issuer, err := testissuer.ParseURL(trustedIssuer)
				if err != nil {
					return &run.UsageError{Err: err}
				}
				opts = append(opts, mockserver.WithTrustedIssuer(issuer.String(), issuer.String()+testissuer.JWKSPath))
			}
			protected := os.Getenv(initialAccessTokenEnv) != ""
			if protected {
				opts = append(opts, mockserver.WithInitialAccessToken(os.Getenv(initialAccessTokenEnv)))
			}
			srv, err := mockserver.Run(cmd.Context(), opts...)
			if err != nil {
				return &run.UsageError{Err: err}
			}
			defer srv.Close()
			fmt.Fprintf(out, "mcpconform reference target, spec %s, faults %v\n", rev, faults)
			if protected {
				fmt.Fprintf(out, "registration needs the initial access token in %s\n", initialAccessTokenEnv)
			}
			switch {
			case caOut != "":
				if err := os.WriteFile(caOut, srv.CACertPEM(), 0o644); err != nil {
					return fmt.Errorf("--ca-out: %w", err)
				}
				fmt.Fprintf(out, "CA certificate written to %s\n", caOut)
			case useTLS:
				// The CA is public; printing it is the only way to trust
				// it when nothing else can read this process's files.
				fmt.Fprintf(out, "CA certificate:\n%s", srv.CACertPEM())
			}
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
	cmd.Flags().StringVar(&baseURL, "base-url", "", "serve the MCP server at this http(s)://127.0.0.1:PORT (default: $"+mockBaseURLEnv+", else a free port)")
	cmd.Flags().BoolVar(&useTLS, "tls", false, "serve HTTPS with a certificate from a CA generated at start")
	cmd.Flags().StringVar(&trustedIssuer, "trusted-issuer", "", "also accept tokens of this test issuer (see `mcpconform mock as`)")
	cmd.Flags().StringVar(&caOut, "ca-out", "", "write that CA's certificate (PEM) to this file, for clients to trust (with --tls)")
	return cmd
}

// faultNames reads --fault values, refusing names the reference target does
// not know before anything starts.
func faultNames(args []string) ([]fault.Name, error) {
	names := make([]fault.Name, len(args))
	for i, arg := range args {
		f, ok := mockserver.LookupFault(fault.Name(arg))
		if !ok {
			return nil, fmt.Errorf("--fault: unknown fault %q (mcpconform mock server --list-faults lists them)", arg)
		}
		names[i] = f.Name
	}
	return names, nil
}
