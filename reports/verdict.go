package reports

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/mcpconform/mcpconform/internal/spec"
)

// Outcome is a run's one-word verdict.
type Outcome string

const (
	// OutcomePass: every check the gate counts passed or failed as the baseline expects.
	OutcomePass Outcome = "PASS"
	// OutcomeFail: a failure the gate counts, an unexpected pass, or (--strict) a skipped check.
	OutcomeFail Outcome = "FAIL"
	// OutcomeIncomplete: stopped early with nothing failing so far.
	OutcomeIncomplete Outcome = "INCOMPLETE"
	// OutcomeNotRun: the target could not be judged at all (Results.Error).
	OutcomeNotRun Outcome = "NOT RUN"
)

// Gate is the policy that turns checks into a verdict. Its zero value is the
// default: every unexpected failure fails the run, skipped checks do not.
type Gate struct {
	// FailOn limits the failures that fail the run to the checks of these
	// levels or stronger, or these severities or worse (a check matching any
	// one fails it); empty means every failure. Lower case, as ParseFailOn
	// returns them.
	FailOn []string `json:"failOn,omitempty"`
	// Strict also fails the run on skipped checks: not run, blocked or not
	// applicable.
	Strict bool `json:"strict,omitempty"`
}

// ParseFailOn reads --fail-on values: levels (must, should, may) and
// severities (critical, high, medium, low), in any case.
func ParseFailOn(values []string) ([]string, error) {
	var terms []string
	for _, v := range values {
		term := strings.ToLower(strings.TrimSpace(v))
		if levelRank(term) < 0 && severityRank(term) < 0 {
			return nil, fmt.Errorf("reports: --fail-on %q is neither a level (must, should, may) nor a severity (critical, high, medium, low)", v)
		}
		if !slices.Contains(terms, term) {
			terms = append(terms, term)
		}
	}
	return terms, nil
}

// Gates reports whether check c, failed, fails the run under g.
func (g Gate) Gates(c CheckResult) bool {
	if len(g.FailOn) == 0 {
		return true
	}
	for _, term := range g.FailOn {
		if at := levelRank(term); at >= 0 && inRange(levelRank(strings.ToLower(c.Level)), at) {
			return true
		}
		if at := severityRank(term); at >= 0 && inRange(severityRank(c.Severity), at) {
			return true
		}
	}
	return false
}

// inRange: rank is known and as strong as limit (ranks count from the strongest).
func inRange(rank, limit int) bool { return rank >= 0 && rank <= limit }

func levelRank(s string) int {
	return slices.IndexFunc(spec.Levels, func(l spec.Level) bool { return strings.ToLower(string(l)) == s })
}

func severityRank(s string) int {
	return slices.Index(spec.Severities, spec.Severity(s))
}

// String names the policy as the command line does.
func (g Gate) String() string {
	var flags []string
	if len(g.FailOn) > 0 {
		flags = append(flags, "--fail-on "+strings.Join(g.FailOn, ","))
	}
	if g.Strict {
		flags = append(flags, "--strict")
	}
	return cmp.Or(strings.Join(flags, " "), "default gate")
}

// Verdict is a run's outcome under its gate, and why.
type Verdict struct {
	Outcome  Outcome `json:"outcome"`
	ExitCode int     `json:"exitCode"`
	// Reasons explain the outcome, one line each: what kept the run from
	// PASS, and failures the gate leaves out.
	Reasons []string `json:"reasons,omitempty"`
}

// Judge is the verdict of r under r.Gate, from the checks themselves (never
// from a stored summary or verdict): the one function behind the exit code,
// the console and every report. A run error is NOT RUN (exit 3); otherwise
// a failure the gate counts, an unexpected pass, or a skipped check under
// --strict is FAIL, also when the run stopped early; a run that stopped
// early without one is INCOMPLETE; both exit 1.
func Judge(r *Results) Verdict {
	if r.Error != "" {
		return Verdict{Outcome: OutcomeNotRun, ExitCode: ExitUnreachable, Reasons: []string{r.Error}}
	}
	var failing, ignored, unexpected, skipped int
	for _, c := range r.Checks {
		switch c.Status {
		case StatusFailed:
			if r.Gate.Gates(c) {
				failing++
			} else {
				ignored++
			}
		case StatusUnexpectedPass:
			unexpected++
		case StatusSkipped:
			skipped++
		}
	}
	var reasons []string
	if failing > 0 {
		reasons = append(reasons, plural(failing, "check fails", "checks fail"))
	}
	if unexpected > 0 {
		reasons = append(reasons, plural(unexpected, "baseline entry passes: remove it", "baseline entries pass: remove them")+" from the baseline")
	}
	if skipped > 0 && r.Gate.Strict {
		reasons = append(reasons, plural(skipped, "check was", "checks were")+" skipped (--strict)")
	}
	outcome := OutcomePass
	if len(reasons) > 0 {
		outcome = OutcomeFail
	}
	if r.Interrupted {
		reasons = append(reasons, cmp.Or(r.StoppedBy, "interrupted"))
		if outcome == OutcomePass {
			outcome = OutcomeIncomplete
		}
	}
	if ignored > 0 {
		reasons = append(reasons, plural(ignored, "failure does", "failures do")+" not fail the run under "+r.Gate.String())
	}
	v := Verdict{Outcome: outcome, ExitCode: ExitFailures, Reasons: reasons}
	if outcome == OutcomePass {
		v.ExitCode = ExitOK
	}
	return v
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
