package client

import (
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

// stepUpScope is the scope tools/list needs on top of the one the 401
// challenge names, in the step-up scenarios.
const stepUpScope = "mcp:write"

// stepUpScenarios raise the scope tools/list needs, which a client sends
// right after initialize, so it meets a 403 insufficient_scope at runtime.
var stepUpScenarios = []Scenario{
	{Name: "auth/scope-step-up", Since: spec.Rev20251125,
		Description: "tools/list needs " + stepUpScope + " too, answered 403 insufficient_scope naming every scope it needs " +
			"(from 2026-07-28 only the scope the token lacks, as that revision allows)",
		Options: []mockserver.Option{mockserver.WithScopeForToolList(stepUpScope), mockserver.WithChallengeOmittingHeldScopes()}},
	{Name: "auth/replayed-callback", Since: spec.Rev20251125,
		Description: "as auth/scope-step-up, and when the client authorizes again an attacker first replays the first " +
			"authorization response (its code redeemed, its state spent) at the client's redirect URI",
		Options: []mockserver.Option{mockserver.WithScopeForToolList(stepUpScope), mockserver.WithChallengeOmittingHeldScopes(),
			mockserver.WithReplayedCallback()}},
	{Name: "auth/scope-retry-limit", Since: spec.Rev20251125,
		Description: "tools/list is answered 403 insufficient_scope whatever the token holds: no step-up helps",
		Options:     []mockserver.Option{mockserver.WithScopeForToolList(stepUpScope), mockserver.WithToolListAlwaysInsufficient()}},
}
