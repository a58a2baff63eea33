// Package refclient is the reference MCP client for client mode: a correct
// MCP client that authorizes with OAuth as the MCP specification asks
// (discovery, registration, PKCE, state, iss, resource indicators) and then
// talks to the MCP server with the official Go SDK. Each named fault makes
// it break exactly one requirement, so the client-mode checks can be shown
// to catch it.
package refclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient"
)

// Config configures one run of the reference client.
type Config struct {
	// MCPURL is the MCP endpoint, also the resource the client asks a
	// token for.
	MCPURL string
	// Faults are the named faults to switch on (fault.ClientFaults).
	Faults []fault.Name
	// Context is the parsed MCP_CONFORMANCE_CONTEXT; nil when unset. A
	// "client_id" (with "client_secret" for a confidential client) replaces
	// dynamic registration; a "client_metadata_url", the URL of the
	// client's ID metadata document, does where the authorization server
	// supports those; an "initial_access_token" authorizes its dynamic
	// registration (RFC 7591 §3).
	Context map[string]any
	// Log gets one line per step; never a secret. Nil discards.
	Log io.Writer
	// Timeout bounds each request; mockclient.DefaultTimeout when zero.
	Timeout time.Duration
}

// ErrRefused marks a run the client stopped itself: a security check it
// makes failed, such as metadata naming another resource or issuer.
var ErrRefused = errors.New("refclient: refused")

// refusal is a failed security check; it is ErrRefused.
type refusal struct{ reason string }

func (r *refusal) Error() string        { return "refclient: refusing: " + r.reason }
func (r *refusal) Is(target error) bool { return target == ErrRefused }

func refuse(format string, args ...any) error {
	return &refusal{reason: fmt.Sprintf(format, args...)}
}

// callbackWait bounds the wait for the authorization response at the
// callback: the user agent signs in and consents meanwhile.
const callbackWait = 30 * time.Second

// Run authorizes against the MCP server at cfg.MCPURL if it asks for it,
// then initializes an MCP session and lists the tools. It returns nil on
// success; an error wrapping ErrRefused when a security check failed; any
// other error when a step failed.
func Run(ctx context.Context, cfg Config) error {
	for _, name := range cfg.Faults {
		if !fault.IsClientFault(name) {
			return fmt.Errorf("refclient: unknown fault %q", name)
		}
	}
	if _, err := spec.Origin(cfg.MCPURL); err != nil {
		return fmt.Errorf("refclient: mcp url: %w", err)
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = mockclient.DefaultTimeout
	}
	f := &flow{cfg: cfg, http: mockclient.New(mockclient.Options{Timeout: cfg.Timeout, Run: ctx,
		InsecureSkipVerify: slices.Contains(cfg.Faults, fault.ClientSkipCertificateVerify)}),
		clients: map[string]mockclient.ClientAuth{}}
	defer f.http.CloseIdleConnections()
	if err := f.run(ctx); err != nil {
		// Messages may quote URLs and answers; none may show a secret.
		return &redactedError{message: f.http.RedactText(err.Error()), err: err}
	}
	return nil
}

// redactedError is err with the secrets of its message removed.
type redactedError struct {
	message string
	err     error
}

func (e *redactedError) Error() string { return e.message }
func (e *redactedError) Unwrap() error { return e.err }
