// Package reports holds the results model of a run and the views written
// from it: results.json, JUnit XML and one offline HTML file.
package reports

import (
	"time"

	"github.com/mcpconform/mcpconform/internal/evidence"
)

// SchemaVersion identifies the results.json format; bump it on any change
// that breaks readers.
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
	Error   string        `json:"error,omitempty"`
	Summary Summary       `json:"summary"`
	Checks  []CheckResult `json:"checks"`
}

// Tool names the program that produced the results.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Summary counts checks by status.
type Summary struct {
	Total           int `json:"total"`
	Passed          int `json:"passed"`
	Failed          int `json:"failed"`
	Skipped         int `json:"skipped"`
	ExpectedFailure int `json:"expectedFailure"`
	UnexpectedPass  int `json:"unexpectedPass"`
}

// Ref cites a requirement: the MCP specification section or an RFC section.
type Ref struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

// CheckResult is one check's verdict with its catalogue data and evidence.
type CheckResult struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Role      string   `json:"role"`
	Level     string   `json:"level"`
	Severity  string   `json:"severity"`
	Revisions []string `json:"revisions"`
	Refs      []Ref    `json:"refs"`
	Status    Status   `json:"status"`
	// Message explains a failure (expected vs got) or a skip (the reason).
	Message string `json:"message,omitempty"`
	// BaselineReason is the baseline's reason when the baseline names the check.
	BaselineReason string              `json:"baselineReason,omitempty"`
	DurationMS     int64               `json:"durationMs"`
	Evidence       []evidence.Exchange `json:"evidence,omitempty"`
}

// Summarize recounts r.Summary from r.Checks.
func (r *Results) Summarize() {
	s := Summary{Total: len(r.Checks)}
	for _, c := range r.Checks {
		switch c.Status {
		case StatusPassed:
			s.Passed++
		case StatusFailed:
			s.Failed++
		case StatusSkipped:
			s.Skipped++
		case StatusExpectedFailure:
			s.ExpectedFailure++
		case StatusUnexpectedPass:
			s.UnexpectedPass++
		}
	}
	r.Summary = s
}

// Failing reports whether the run fails a CI gate: a failure the baseline
// does not expect, or a baseline entry that now passes.
func (r *Results) Failing() bool {
	return r.Summary.Failed > 0 || r.Summary.UnexpectedPass > 0
}
