package fault

// Faults of the reference client in the step-up authorization flow: what it
// does when the MCP server answers 403 insufficient_scope at runtime.
const (
	ClientNoStepUp             Name = "client.no-step-up"
	ClientStepUpReplacesScopes Name = "client.step-up-replaces-scopes"
	ClientStepUpUnbounded      Name = "client.step-up-unbounded"
)

// clientStepUpFaults break stepping up from insufficient scope.
var clientStepUpFaults = []ClientFault{
	{ClientNoStepUp, "ends the run on a 403 insufficient_scope instead of re-authorizing for the challenged scopes"},
	{ClientStepUpReplacesScopes, "steps up asking only for the scopes the 403 challenge names, dropping those it asked for before"},
	{ClientStepUpUnbounded, "steps up again on every 403 insufficient_scope, up to 10 times, even for scopes it already asked for"},
}
