package main

import (
	"cmp"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/suites/run"
)

// initialAccessTokenEnv names the environment variable holding the initial
// access token of a protected registration endpoint: a secret, so never a
// flag that shows in process lists and shell history.
const initialAccessTokenEnv = "MCPCONFORM_INITIAL_ACCESS_TOKEN"

// defaultRunTimeout bounds a run against a target that answers every
// request just within --timeout: the reference target takes seconds.
const defaultRunTimeout = 3 * time.Minute

type serverFlags struct {
	filterFlags
	runFlags
	url       string
	timeout   time.Duration
	deadline  time.Duration
	caFile    string
	insecure  bool
	egress    bool
	config    string
	trust     trustFlags
	canary    canaryFlags
	stepUp    stepUpFlags
	image     imageFlags
	authorize authorizeFlags
	flows     flowFlags
}

func newServerCommand() *cobra.Command {
	var flags serverFlags
	cmd := &cobra.Command{
		Use:   "server",
		Short: "Test an MCP server and its authorization server (the bundled reference target without --url)",
		Example: `  mcpconform server --url https://mcp.example.com/mcp
  mcpconform server --spec-version 2025-06-18 --baseline known-gaps.txt --report-dir out
  mcpconform server --config mcpconform.yaml --spec-version draft
  mcpconform server --image my-mcp-server:dev --port 8080 --image-base-url-env PUBLIC_BASE_URL`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyConfig(cmd, flags.config); err != nil {
				return err
			}
			return runServer(cmd, flags)
		},
	}
	flags.filterFlags.register(cmd, string(spec.Latest))
	flags.runFlags.register(cmd)
	fs := cmd.Flags()
	fs.StringVar(&flags.url, "url", "", "the MCP endpoint URL to test (default: start the bundled reference target)")
	fs.DurationVar(&flags.timeout, "timeout", mockclient.DefaultTimeout, "limit for each HTTP request")
	fs.DurationVar(&flags.deadline, "run-timeout", defaultRunTimeout, "limit for the whole run, 0 for none: checks not reached by then are reported not run")
	fs.StringVar(&flags.caFile, "ca-file", "", "PEM file of CA certificates to trust for https, on top of the system's")
	fs.BoolVar(&flags.insecure, "insecure-skip-tls-verify", false, "accept any TLS certificate: the target is then not authenticated")
	fs.BoolVar(&flags.egress, "allow-private-egress", false, "let the suite connect to link-local and cloud metadata addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254, 100.100.100.200), which it refuses by default")
	fs.StringVar(&flags.config, "config", "", "YAML target config: the flags' names as keys; flags given on the command line win")
	flags.trust.register(fs)
	flags.canary.register(fs)
	flags.stepUp.register(fs)
	flags.image.register(fs)
	flags.authorize.register(fs)
	flags.flows.register(fs)
	return cmd
}

func runServer(cmd *cobra.Command, flags serverFlags) (err error) {
	out := cmd.OutOrStdout()
	filter, err := flags.selection(spec.RoleAS, spec.RoleRS)
	if err != nil {
		return err
	}
	judged, err := flags.verdictSettings()
	if err != nil {
		return err
	}
	if flags.timeout <= 0 {
		return &run.UsageError{Err: errors.New("--timeout must be positive")}
	}
	if flags.deadline < 0 {
		return &run.UsageError{Err: errors.New("--run-timeout must not be negative (0 for none)")}
	}
	if flags.insecure && flags.caFile != "" {
		return &run.UsageError{Err: errors.New("--ca-file and --insecure-skip-tls-verify contradict each other")}
	}
	roots, err := rootCAs(flags.caFile)
	if err != nil {
		return &run.UsageError{Err: err}
	}
	if flags.insecure {
		fmt.Fprintln(cmd.ErrOrStderr(), "mcpconform: WARNING: --insecure-skip-tls-verify: TLS certificates are NOT verified; "+
			"anyone on the path could have answered in the target's place")
	}
	initialAccessToken := os.Getenv(initialAccessTokenEnv)
	authorization, err := flags.authorize.settings(cmd.ErrOrStderr(), flags.insecure, flags.url == "" && flags.image.name == "")
	if err != nil {
		return err
	}
	redactor := &evidence.Redactor{}
	target := flags.url
	image, startErr := flags.image.start(cmd, flags, redactor)
	if startErr != nil {
		return startErr
	}
	if image != nil {
		defer func() { image.remove(cmd, flags.reportDir, redactor, err != nil || flags.verbose) }()
		target = image.mcpURL
	}
	issuer, err := flags.trust.start(cmd.Context(), target == "")
	if err != nil {
		return &run.UsageError{Err: err}
	}
	if issuer != nil {
		defer issuer.Close()
	}
	stepUp, err := flags.stepUp.stepUp()
	if err != nil {
		return &run.UsageError{Err: err}
	}
	if err := flags.flows.checkOtherResource(); err != nil {
		return &run.UsageError{Err: err}
	}
	otherResource := flags.flows.otherResource
	upstream, err := flags.canary.start(cmd.Context(), target == "")
	if err != nil {
		return &run.UsageError{Err: err}
	}
	if upstream.Canary != nil {
		defer upstream.Canary.Close()
	}
	if target != "" {
		if u, err := url.Parse(target); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" {
			return &run.UsageError{Err: fmt.Errorf("--url %q is not an absolute http(s) URL without a fragment", target)}
		}
	} else {
		if initialAccessToken == "" {
			initialAccessToken = rand.Text()
		}
		ref, err := mockserver.Run(cmd.Context(), mockserver.WithRevision(filter.Revision), mockserver.WithTLS(),
			mockserver.WithInitialAccessToken(initialAccessToken), mockserver.WithTrustedIssuer(issuer.URL, issuer.JWKSURL()),
			mockserver.WithUpstream(upstream.Canary.URL), mockserver.WithLoginForm(authorization.login))
		if err != nil {
			return err
		}
		defer ref.Close()
		if roots == nil {
			roots = x509.NewCertPool()
		}
		roots.AppendCertsFromPEM(ref.CACertPEM())
		target = ref.MCPURL()
		otherResource = cmp.Or(otherResource, ref.OtherResourceURL())
		fmt.Fprintf(out, "no --url given: testing the bundled reference target (spec %s) at %s\n", filter.Revision, target)
	}

	if issuer != nil {
		describeIssuer(out, issuer)
	}
	fmt.Fprintf(out, "testing %s against MCP spec %s: %d checks\n", target, filter.Revision, len(filter.Select()))
	started := time.Now()
	res, runErr := run.Server(cmd.Context(), authorization.apply(run.ServerConfig{
		MCPURL:             target,
		Filter:             filter,
		Timeout:            flags.timeout,
		RunTimeout:         flags.deadline,
		Progress:           out,
		Baseline:           judged.baseline,
		Verbose:            flags.verbose,
		Version:            toolVersion(),
		RootCAs:            roots,
		InsecureSkipVerify: flags.insecure,
		AllowPrivateEgress: flags.egress,
		InitialAccessToken: initialAccessToken,
		TrustedIssuer:      issuer,
		Redactor:           redactor,
		Upstream:           upstream,
		StepUp:             stepUp,
		ExtraScopes:        flags.flows.extraScopes(),
		OtherResource:      otherResource,
	}))
	config := flags.runConfig(filter)
	config.Strategy = flags.authorize.strategy
	config.RequestTimeoutMS, config.RunTimeoutMS = flags.timeout.Milliseconds(), flags.deadline.Milliseconds()
	config.AuthorizeTimeoutMS = flags.authorize.timeout.Milliseconds()
	return finish(cmd, res, runErr, judged, config, flags.reportDir, started)
}

// rootCAs is the system pool plus the CAs in caFile; nil, which means the
// system pool, without a file.
func rootCAs(caFile string) (*x509.CertPool, error) {
	if caFile == "" {
		return nil, nil
	}
	pemCerts, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("--ca-file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool() // no system roots here: the file's CAs alone
	}
	if !pool.AppendCertsFromPEM(pemCerts) {
		return nil, fmt.Errorf("--ca-file %s holds no PEM certificate", caFile)
	}
	return pool, nil
}
