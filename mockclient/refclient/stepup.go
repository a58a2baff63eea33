package refclient

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/mcpconform/mcpconform/internal/fault"
)

// maxStepUps bounds the re-authorizations of one run: MCP asks clients to
// limit their step-up attempts (2025-11-25 on), and the first authorization
// and two step-ups are as many as the conformance suites allow.
const maxStepUps = 2

// insufficientScope is a session the MCP server refused with 403
// insufficient_scope (RFC 6750 §3.1), and the scope its challenge names.
type insufficientScope struct {
	scope string
	err   error // how the session ended
}

func (e *insufficientScope) Error() string { return e.err.Error() }
func (e *insufficientScope) Unwrap() error { return e.err }

// sessionStepping is step j with MCP's step-up authorization flow: when
// the MCP server answers a request 403 insufficient_scope, the client
// authorizes again for the scopes it asked for before and those the
// challenge names, and opens the session again with the new token. A
// challenge naming nothing it has not asked for already, or one past
// maxStepUps, ends the run: asking again would not help.
func (f *flow) sessionStepping(ctx context.Context, k *keeper) error {
	for stepUps := 0; ; stepUps++ {
		err := f.session(ctx, k)
		var refused *insufficientScope
		if !errors.As(err, &refused) {
			return err
		}
		f.logf("mcp session: 403 insufficient_scope, the challenge names scope %q", refused.scope)
		next, stop := f.stepUpScope(k.scope, refused.scope, stepUps)
		if stop != "" {
			f.logf("step-up: %s", stop)
			return err
		}
		f.logf("step-up %d: authorizing for scope %q", stepUps+1, next)
		granted, err := k.authorizer.authorize(ctx, next)
		if err != nil {
			return err
		}
		k = &keeper{flow: f, authorizer: k.authorizer, scope: next, tokens: *granted}
	}
}

// stepUpScope is the scope of the next step-up after stepUps of them, from
// held, the scope asked for last, and challenged, the 403 challenge's: the
// union of the two (MCP 2026-07-28; 2025-11-25's servers name the held
// scopes a request needs themselves). stop says why there is none.
func (f *flow) stepUpScope(held, challenged string, stepUps int) (next, stop string) {
	asked := strings.Fields(held)
	union := slices.Clone(asked)
	for _, sc := range strings.Fields(challenged) {
		if !slices.Contains(union, sc) {
			union = append(union, sc)
		}
	}
	next = strings.Join(union, " ")
	if f.has(fault.ClientStepUpReplacesScopes) {
		f.logf("asking for the challenged scope only, not %q (fault %s)", next, fault.ClientStepUpReplacesScopes)
		next = challenged
	}
	switch {
	case f.has(fault.ClientNoStepUp):
		return "", fmt.Sprintf("giving up (fault %s)", fault.ClientNoStepUp)
	case f.has(fault.ClientStepUpUnbounded) && stepUps < faultyRetries:
		f.logf("stepping up whatever was asked for before (fault %s)", fault.ClientStepUpUnbounded)
		return next, ""
	case f.has(fault.ClientStepUpUnbounded):
		return "", fmt.Sprintf("giving up after %d step-ups (fault %s)", stepUps, fault.ClientStepUpUnbounded)
	case len(union) == len(asked):
		return "", "giving up: the challenge names no scope the client has not asked for already"
	case stepUps == maxStepUps:
		return "", fmt.Sprintf("giving up: still refused after %d step-ups", stepUps)
	}
	return next, ""
}
