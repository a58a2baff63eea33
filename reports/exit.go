package reports

// Process exit codes of a run, part of the CLI's contract with CI.
const (
	// ExitOK: every selected check passes, or fails only as the baseline
	// expects or where the gate (--fail-on) leaves it out. Judge decides.
	ExitOK = 0
	// ExitFailures: a check fails unexpectedly, a baseline entry now passes,
	// a check was skipped under --strict, or the run stopped early.
	ExitFailures = 1
	// ExitUsage: bad flags, configuration or baseline.
	ExitUsage = 2
	// ExitUnreachable: the target could not be reached, so nothing was judged.
	ExitUnreachable = 3
	// ExitInternal: a bug or environment problem in mcpconform itself.
	ExitInternal = 4
)
