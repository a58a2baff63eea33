package reports

// Process exit codes of a run, part of the CLI's contract with CI.
const (
	// ExitOK: every selected check passes, or fails only as the baseline expects.
	ExitOK = 0
	// ExitFailures: a check fails unexpectedly, or a baseline entry now passes.
	ExitFailures = 1
	// ExitUsage: bad flags, configuration or baseline.
	ExitUsage = 2
	// ExitUnreachable: the target could not be reached, so nothing was judged.
	ExitUnreachable = 3
	// ExitInternal: a bug or environment problem in mcpconform itself.
	ExitInternal = 4
)

// ExitCode is ExitOK or ExitFailures from the summary. Run-level problems
// (usage, unreachable, internal) are the caller's to map, since only the
// caller knows which one happened.
func (r *Results) ExitCode() int {
	if r.Failing() {
		return ExitFailures
	}
	return ExitOK
}
