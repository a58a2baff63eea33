package run

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/mockserver/testissuer"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/check"
	"github.com/mcpconform/mcpconform/suites/server"
)

// ServerConfig is a server-mode run.
type ServerConfig struct {
	MCPURL  string
	Filter  catalog.Filter
	Timeout time.Duration // per request
	// RunTimeout bounds the whole run (none when zero): what it did not
	// reach is reported not run.
	RunTimeout time.Duration
	Progress   io.Writer // one line per check as it completes
	// Baseline, when set, words the progress lines of the checks it lists
	// (expected failures, entries to remove); the caller applies it to
	// the results.
	Baseline reports.Baseline
	Verbose  bool // Ginkgo's own output too
	Version  string
	Secrets  []string // literal values to redact wherever they appear
	// Redactor, when set, gathers every secret the run learns, for the
	// caller to redact its own output (a container's log) afterwards.
	Redactor *evidence.Redactor
	// InitialAccessToken protects dynamic client registration at the target
	// (RFC 7591 §3); checks of protected registration need it.
	InitialAccessToken string
	// RootCAs are the CAs trusted for https (the system pool when nil);
	// InsecureSkipVerify accepts any certificate.
	RootCAs            *x509.CertPool
	InsecureSkipVerify bool
	// AllowPrivateEgress lets the run connect to link-local and cloud
	// metadata addresses.
	AllowPrivateEgress bool
	// AllowedOrigins are origins the authorization step may visit besides
	// those the target names (an identity provider it federates to).
	AllowedOrigins []string
	// TrustedIssuer, when set, is a serving test issuer the target trusts:
	// the token claim checks mint their tokens with it.
	TrustedIssuer *testissuer.Issuer
	// Upstream, when set, is the canary upstream API the target calls.
	Upstream server.Upstream
	// StepUp is the tool the scope checks call (the reference's when zero).
	StepUp server.StepUp
	// Authorize is how authorization requests get through (mockclient.Auto
	// when nil); Server closes it when the run ends.
	Authorize mockclient.Strategy
	// Preregistered is a client the authorization server knows in advance,
	// for a server without dynamic registration.
	Preregistered mockclient.ClientAuth
	// AccessToken is a token the MCP server accepts, for the resource server
	// checks when no flow can run.
	AccessToken string
	// ExtraScopes are asked for in every authorization request besides the
	// resource's scopes (offline_access, for refresh tokens).
	ExtraScopes []string
	// OtherResource is a second resource the authorization server serves,
	// for the checks of resource binding.
	OtherResource string
}

// UsageError is a configuration the run cannot start with.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// ErrUnreachable: the target could not be reached at all.
var ErrUnreachable = mockclient.ErrUnreachable

// selectChecks is what filter selects, once the catalogue and the specs are
// known to agree; selecting nothing is a usage error.
func selectChecks(filter catalog.Filter) ([]catalog.Check, error) {
	selected := filter.Select()
	if len(selected) == 0 {
		return nil, &UsageError{fmt.Errorf("run: the filters select no checks (spec %s)", filter.Revision)}
	}
	return selected, Validate()
}

// newResults starts the results of a run of mode against target.
func newResults(mode, target string, filter catalog.Filter, version string) *reports.Results {
	return &reports.Results{
		SchemaVersion: reports.SchemaVersion,
		Tool:          reports.Tool{Name: "mcpconform", Version: version},
		Mode:          mode,
		Target:        target,
		SpecVersion:   string(filter.Revision),
		StartedAt:     time.Now().UTC(),
	}
}

// Server runs the server-mode checks the filter selects against the MCP
// server at cfg.MCPURL. The results are returned with the error, so reports
// are written even for an unreachable target.
func Server(ctx context.Context, cfg ServerConfig) (*reports.Results, error) {
	selected, err := selectChecks(cfg.Filter)
	if err != nil {
		return nil, err
	}
	redactor := cfg.Redactor
	if redactor == nil {
		redactor = &evidence.Redactor{}
	}
	redactor.Add(cfg.Secrets...)
	redactor.Add(cfg.InitialAccessToken, cfg.AccessToken)
	redactor.AddClient(cfg.Preregistered.ID, cfg.Preregistered.Secret)
	if cfg.RunTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, cfg.RunTimeout, mockclient.ErrRunDeadline)
		defer cancel()
	}
	defer mockclient.CloseStrategy(cfg.Authorize)
	client := mockclient.New(mockclient.Options{Timeout: cfg.Timeout, Redactor: redactor, Run: ctx,
		RootCAs: cfg.RootCAs, InsecureSkipVerify: cfg.InsecureSkipVerify, Authorize: cfg.Authorize, AllowPrivateEgress: cfg.AllowPrivateEgress})
	defer client.CloseIdleConnections() // a target shutting down need not wait for the suite to hang up
	client.NameOrigins(cfg.AllowedOrigins...)
	session := declared().server
	discovery := session.Use(server.Target{MCPURL: cfg.MCPURL, Revision: cfg.Filter.Revision, Client: client,
		InitialAccessToken: cfg.InitialAccessToken, TrustedIssuer: cfg.TrustedIssuer,
		Upstream: cfg.Upstream, StepUp: cfg.StepUp, Preregistered: cfg.Preregistered, AccessToken: cfg.AccessToken,
		ExtraScopes: cfg.ExtraScopes, OtherResource: cfg.OtherResource})
	defer session.Close() // what the checks started, such as the client ID metadata document host

	res := newResults("server", cfg.MCPURL, cfg.Filter, cfg.Version)
	defer func() {
		res.FinishedAt = time.Now().UTC()
		res.Summarize()
	}()
	if _, err := discovery.Unauthenticated(ctx); errors.Is(err, ErrUnreachable) {
		return notRun(res, selected, cfg.Filter, "target unreachable", fmt.Sprintf("%v (%s)", err, cfg.MCPURL), err)
	}
	if err := authorizationServerReachable(ctx, discovery); err != nil {
		return notRun(res, selected, cfg.Filter, "authorization server unreachable",
			fmt.Sprintf("the MCP server answers but its authorization server is unreachable: %v", err), err)
	}
	if ctx.Err() != nil {
		return stopped(ctx, res, selected, cfg.Filter), nil
	}
	session.Prepare(ctx) // a strategy that authorizes once does so before the checks
	report := execute(ctx, cfg.Filter, newProgress(cfg.Progress, cfg.Baseline, selected), cfg.Verbose, client.RedactText)
	res.Checks, res.Interrupted = results(report, cfg.Filter.Revision, selected, client.RedactText)
	res.Interrupted = res.Interrupted || ctx.Err() != nil
	if errors.Is(context.Cause(ctx), mockclient.ErrRunDeadline) {
		res.StoppedBy = mockclient.ErrRunDeadline.Error()
	}
	return res, nil
}

// stopped is the results of a run that ended before its checks started:
// after a deadline every selected check is reported not run; after the
// user's interrupt, as elsewhere, none is.
func stopped(ctx context.Context, res *reports.Results, selected []catalog.Check, filter catalog.Filter) *reports.Results {
	res.Interrupted = true
	if !errors.Is(context.Cause(ctx), mockclient.ErrRunDeadline) {
		return res
	}
	res.StoppedBy = mockclient.ErrRunDeadline.Error()
	for _, c := range selected {
		r := ResultFor(c, filter.Revision)
		r.Skip(check.NotRunPrefix + res.StoppedBy)
		res.Checks = append(res.Checks, r)
	}
	return res
}

// authorizationServerReachable fails only when every URL of the
// authorization server's metadata is unreachable: a server that is down
// leaves nothing of it to judge, while one that answers, however wrongly,
// is judged by the checks. Before 2025-06-18 the metadata lives at the MCP
// server's own origin, which answered.
func authorizationServerReachable(ctx context.Context, discovery *mockclient.Discovery) error {
	if !discovery.Revision.UsesProtectedResourceMetadata() {
		return nil
	}
	if _, err := discovery.AuthorizationServerMetadata(ctx); errors.Is(err, ErrUnreachable) {
		return err
	}
	return nil
}

// notRun records every selected check as not run for why, the run's error
// as runErr: nothing of the target could be judged.
func notRun(res *reports.Results, selected []catalog.Check, filter catalog.Filter, why, runErr string, err error) (*reports.Results, error) {
	res.Error = runErr
	for _, c := range selected {
		r := ResultFor(c, filter.Revision)
		r.Skip(check.NotRunPrefix + why)
		res.Checks = append(res.Checks, r)
	}
	return res, err
}
