// Package reports holds the results model of a run and the views written
// from it: results.json, JUnit XML, SARIF and one offline HTML file.
package reports

import (
	"regexp"
	"strings"
	"time"

	"github.com/mcpconform/mcpconform/internal/evidence"
)

// SchemaVersion identifies the results.json format; bump it on any change
// that breaks readers. Added fields (gate, verdict, skipKind, blockedBy and
// the skip counts) are not such a change: a reader that ignores them reads
// the same statuses as before.
const SchemaVersion = "mcpconform.results/v1"

// Status is a check's outcome after the baseline was applied.
type Status string

const (
	StatusPassed  Status = "passed"
	StatusFailed  Status = "failed"
	StatusSkipped Status = "skipped"
	// StatusExpectedFailure: failed, and the baseline says it would.
	StatusExpectedFailure Status = "expected-failure"
	// StatusUnexpectedPass: passed, but the baseline expected a failure; it
	// fails the run so baselines stay honest.
	StatusUnexpectedPass Status = "unexpected-pass"
)

// SkipKind says why a skipped check was not judged.
type SkipKind string

const (
	// SkipNotRun: the run could not observe what the check judges (an
	// interrupt, the run deadline, a step the configuration cannot take).
	SkipNotRun SkipKind = "not-run"
	// SkipBlocked: a step the check builds on failed; that step's own
	// check, named in BlockedBy when known, reports the failure.
	SkipBlocked SkipKind = "blocked"
	// SkipNotApplicable: the requirement does not apply to this target.
	SkipNotApplicable SkipKind = "not-applicable"
)

// The reasons of skipped checks start with the prefix of their kind.
const (
	NotRunPrefix        = "not run: "
	PrerequisitePrefix  = "prerequisite failed: "
	NotApplicablePrefix = "not applicable: "
)

// blockingCheck finds the check a prerequisite reason names, "(CL-STATE-001)".
var blockingCheck = regexp.MustCompile(`\(([A-Z]+(?:-[A-Z0-9]+)+-[0-9]+)\)`)

// Skip marks c skipped with reason, typed by its prefix: a reason without
// a known prefix is not run, since nothing was judged.
func (c *CheckResult) Skip(reason string) {
	c.Status, c.Message, c.BlockedBy = StatusSkipped, reason, ""
	switch {
	case strings.HasPrefix(reason, PrerequisitePrefix):
		c.SkipKind = SkipBlocked
		if m := blockingCheck.FindAllStringSubmatch(reason, -1); m != nil {
			c.BlockedBy = m[len(m)-1][1]
		}
	case strings.HasPrefix(reason, NotApplicablePrefix):
		c.SkipKind = SkipNotApplicable
	default:
		c.SkipKind = SkipNotRun
	}
}

// Results is everything a run found. Every report is a view of it.
type Results struct {
	SchemaVersion string    `json:"schemaVersion"`
	Tool          Tool      `json:"tool"`
	Mode          string    `json:"mode"`   // "server" or "client"
	Target        string    `json:"target"` // what was tested, e.g. the MCP server URL
	SpecVersion   string    `json:"specVersion"`
	StartedAt     time.Time `json:"startedAt"`
	FinishedAt    time.Time `json:"finishedAt"`
	// Interrupted says the run was stopped early: checks not reached are absent.
	Interrupted bool `json:"interrupted,omitempty"`
	// StoppedBy says what stopped an interrupted run other than the user:
	// "run deadline passed", with the checks not reached reported not run.
	StoppedBy string `json:"stoppedBy,omitempty"`
	// Error is a run-level problem (target unreachable, internal error).
	Error string `json:"error,omitempty"`
	// Gate is the policy the run was judged under.
	Gate Gate `json:"gate,omitzero"`
	// Config is the rest of how the run was configured.
	Config Config `json:"config,omitzero"`
	// Summary and Verdict are written from the checks for readers of the
	// file; ReadJSON recomputes the one and drops the other.
	Summary Summary       `json:"summary"`
	Verdict *Verdict      `json:"verdict,omitempty"`
	Checks  []CheckResult `json:"checks"`
}

// Tool names the program that produced the results.
type Tool struct {
	Name string `json:"name"`
	// Version is the release, set at build time, or else what the Go
	// toolchain recorded: a module version or a VCS revision.
	Version string `json:"version"`
}

// Config is how a run was configured besides its target, revision and
// gate: what a reader needs to tell two runs apart or repeat one. It holds
// no secret: those come from the environment, never from flags.
type Config struct {
	// Roles, Levels, Focus and Skip are the catalogue filters; Roles are
	// the mode's own when --role was not given.
	Roles  []string `json:"roles,omitempty"`
	Levels []string `json:"levels,omitempty"`
	Focus  []string `json:"focus,omitempty"`
	Skip   []string `json:"skip,omitempty"`
	// Baseline is the --baseline file the checks were judged with.
	Baseline string `json:"baseline,omitempty"`
	// Strategy is how server mode got through authorization (--authorize).
	Strategy string `json:"strategy,omitempty"`
	// The limits, in milliseconds; absent when not set or none: per request
	// (--timeout), for the whole run (--run-timeout), for one authorization
	// (--authorize-timeout), for one run of the client (--time-limit).
	RequestTimeoutMS   int64 `json:"requestTimeoutMs,omitempty"`
	RunTimeoutMS       int64 `json:"runTimeoutMs,omitempty"`
	AuthorizeTimeoutMS int64 `json:"authorizeTimeoutMs,omitempty"`
	TimeLimitMS        int64 `json:"timeLimitMs,omitempty"`
	// Parallel is how many client scenarios ran at once.
	Parallel int `json:"parallel,omitempty"`
}

// Summary counts checks by status.
type Summary struct {
	Total           int `json:"total"`
	Passed          int `json:"passed"`
	Failed          int `json:"failed"`
	Skipped         int `json:"skipped"`
	ExpectedFailure int `json:"expectedFailure"`
	UnexpectedPass  int `json:"unexpectedPass"`
	// NotRun, Blocked and NotApplicable divide Skipped by SkipKind.
	NotRun        int `json:"notRun"`
	Blocked       int `json:"blocked"`
	NotApplicable int `json:"notApplicable"`
}

// Ref cites a requirement: the MCP specification section or an RFC section.
type Ref struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

// CheckResult is one check's verdict with its catalogue data and evidence.
type CheckResult struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Role     string `json:"role"`
	Level    string `json:"level"`
	Severity string `json:"severity"`
	// Area groups related checks (token, pkce, registration...).
	Area      string   `json:"area,omitempty"`
	Revisions []string `json:"revisions"`
	Refs      []Ref    `json:"refs"`
	Status    Status   `json:"status"`
	// Message explains a failure (expected vs got) or a skip (the reason).
	Message string `json:"message,omitempty"`
	// SkipKind types a skipped check, BlockedBy names the failed check it
	// builds on when known; set by Skip.
	SkipKind  SkipKind `json:"skipKind,omitempty"`
	BlockedBy string   `json:"blockedBy,omitempty"`
	// BaselineReason is the baseline's reason when the baseline names the check.
	BaselineReason string `json:"baselineReason,omitempty"`
	// Remediation is the catalogue's one-sentence hint at what makes the
	// check pass, when it has one.
	Remediation string              `json:"remediation,omitempty"`
	DurationMS  int64               `json:"durationMs"`
	Evidence    []evidence.Exchange `json:"evidence,omitempty"`
}

// Summarize recounts r.Summary from r.Checks.
func (r *Results) Summarize() {
	r.Summary = Count(r.Checks)
}

// Count counts checks by status, and skipped ones by kind.
func Count(checks []CheckResult) Summary {
	s := Summary{Total: len(checks)}
	for _, c := range checks {
		switch c.Status {
		case StatusPassed:
			s.Passed++
		case StatusFailed:
			s.Failed++
		case StatusSkipped:
			s.Skipped++
			switch c.SkipKind {
			case SkipBlocked:
				s.Blocked++
			case SkipNotApplicable:
				s.NotApplicable++
			default:
				s.NotRun++
			}
		case StatusExpectedFailure:
			s.ExpectedFailure++
		case StatusUnexpectedPass:
			s.UnexpectedPass++
		}
	}
	return s
}
