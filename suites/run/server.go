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
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/check"
	"github.com/mcpconform/mcpconform/suites/server"
)

// ServerConfig is a server-mode run.
type ServerConfig struct {
	MCPURL   string
	Filter   catalog.Filter
	Timeout  time.Duration // per request
	Progress io.Writer     // one line per check as it completes
	Verbose  bool          // Ginkgo's own output too
	Version  string
	Secrets  []string // literal values to redact wherever they appear
	// InitialAccessToken protects dynamic client registration at the target
	// (RFC 7591 §3); checks of protected registration need it.
	InitialAccessToken string
	// RootCAs are the CAs trusted for https (the system pool when nil);
	// InsecureSkipVerify accepts any certificate.
	RootCAs            *x509.CertPool
	InsecureSkipVerify bool
}

// UsageError is a configuration the run cannot start with.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// ErrUnreachable: the target could not be reached at all.
var ErrUnreachable = mockclient.ErrUnreachable

// Server runs the server-mode checks the filter selects against the MCP
// server at cfg.MCPURL. The results are returned with the error, so reports
// are written even for an unreachable target.
func Server(ctx context.Context, cfg ServerConfig) (*reports.Results, error) {
	selected := cfg.Filter.Select()
	if len(selected) == 0 {
		return nil, &UsageError{fmt.Errorf("run: the filters select no checks (spec %s)", cfg.Filter.Revision)}
	}
	if err := Validate(); err != nil {
		return nil, err
	}
	redactor := &evidence.Redactor{}
	redactor.Add(cfg.Secrets...)
	redactor.Add(cfg.InitialAccessToken)
	client := mockclient.New(mockclient.Options{Timeout: cfg.Timeout, Redactor: redactor, Run: ctx,
		RootCAs: cfg.RootCAs, InsecureSkipVerify: cfg.InsecureSkipVerify})
	discovery := server.Use(server.Target{MCPURL: cfg.MCPURL, Revision: cfg.Filter.Revision, Client: client,
		InitialAccessToken: cfg.InitialAccessToken})

	res := &reports.Results{
		SchemaVersion: reports.SchemaVersion,
		Tool:          reports.Tool{Name: "mcpconform", Version: cfg.Version},
		Mode:          "server",
		Target:        cfg.MCPURL,
		SpecVersion:   string(cfg.Filter.Revision),
		StartedAt:     time.Now().UTC(),
	}
	defer func() {
		res.FinishedAt = time.Now().UTC()
		res.Summarize()
	}()
	if _, err := discovery.Unauthenticated(ctx); errors.Is(err, ErrUnreachable) {
		res.Error = fmt.Sprintf("%v (%s)", err, cfg.MCPURL)
		for _, c := range selected {
			r := ResultFor(c, cfg.Filter.Revision)
			r.Status, r.Message = reports.StatusSkipped, check.NotRunPrefix+"target unreachable"
			res.Checks = append(res.Checks, r)
		}
		return res, err
	}
	if ctx.Err() != nil {
		res.Interrupted = true
		return res, nil
	}
	progress := cfg.Progress
	if progress == nil {
		progress = io.Discard
	}
	report := execute(ctx, cfg.Filter, progress, cfg.Verbose, client.RedactText)
	res.Checks, res.Interrupted = results(report, cfg.Filter.Revision, selected, client.RedactText)
	res.Interrupted = res.Interrupted || ctx.Err() != nil
	return res, nil
}
