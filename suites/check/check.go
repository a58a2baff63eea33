// Package check is the thin layer between a Ginkgo spec and the catalogue:
// the decorator that ties a spec to its entry, and the helpers that attach
// evidence and tell a failed prerequisite from a failed check.
package check

import (
	"context"
	"errors"
	"fmt"

	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/catalog"
)

// EvidenceEntry names the report entries that carry recorded exchanges.
const EvidenceEntry = "evidence"

// SeverityEntry names the report entry that sets a failure's severity to
// what was observed (ObservedSeverity).
const SeverityEntry = "severity"

// ObservedSeverity rates the check's failure, should it fail from here on,
// as sev rather than its catalogue severity, which is that of the worst
// case: a wrong secret refused with the wrong error code is not a wrong
// secret that got a token.
func ObservedSeverity(sev spec.Severity) {
	AddReportEntry(SeverityEntry, string(sev), ReportEntryVisibilityNever)
}

// PrerequisitePrefix starts the reason of a check skipped because a step it
// builds on failed (that step's own check reports the failure): the result
// is typed blocked, by the check the reason names last in parentheses,
// "(CL-STATE-001)", if any.
const PrerequisitePrefix = reports.PrerequisitePrefix

// ID ties a spec to its catalogue entry: the entry's generated labels. An
// unknown ID keeps only its check label, and start-up validation names it.
func ID(id string) Labels {
	c, ok := catalog.Lookup(id)
	if !ok {
		return Label(catalog.LabelCheck + id)
	}
	return Label(c.Labels()...)
}

// Evidencer is anything that recorded exchanges.
type Evidencer interface {
	Evidence() []evidence.Exchange
}

// MaxExchanges bounds the exchanges one check keeps as evidence (the
// reference's checks keep a dozen at most): a target that makes a check loop
// cannot fill memory and reports with them.
const MaxExchanges = 32

// Attach adds the recorded exchanges of each source to the running spec,
// each once and up to MaxExchanges; the first one past it is replaced by a
// note of the cut.
func Attach(sources ...Evidencer) {
	kept := map[string]bool{}
	for _, entry := range CurrentSpecReport().ReportEntries {
		if ex, ok := entry.Value.GetRawValue().(evidence.Exchange); ok && entry.Name == EvidenceEntry {
			kept[ex.Key()] = true
		}
	}
	for _, s := range sources {
		if s == nil {
			continue
		}
		for _, ex := range s.Evidence() {
			switch {
			case kept[ex.Key()]:
				continue
			case len(kept) > MaxExchanges:
				return
			case len(kept) == MaxExchanges:
				ex = evidence.Exchange{Time: ex.Time, Error: fmt.Sprintf("evidence: more than %d exchanges; the rest are not kept", MaxExchanges)}
			}
			kept[ex.Key()] = true
			AddReportEntry(EvidenceEntry, ex, ReportEntryVisibilityNever)
		}
	}
}

// NotRunPrefix starts the reason of a check the run never got to judge.
const NotRunPrefix = reports.NotRunPrefix

// NotApplicablePrefix starts the reason of a check whose requirement does
// not apply to the target.
const NotApplicablePrefix = reports.NotApplicablePrefix

// Require returns v when err is nil, and otherwise fails the check: v's step
// is what this check judges. v's evidence is attached either way.
func Require[T any](v T, err error) T {
	attachAny(v)
	skipIfNotRun(err)
	if err != nil {
		Fail(err.Error(), 1)
	}
	return v
}

// Need returns v when err is nil, and otherwise skips the check: the step it
// builds on failed and is judged by its own check.
func Need[T any](v T, err error) T {
	attachAny(v)
	skipIfNotRun(err)
	if err != nil {
		Skip(PrerequisitePrefix+err.Error(), 1)
	}
	return v
}

// skipIfNotRun: a step cut short by the user's interrupt, or one the run's
// configuration cannot take (an authorization past the strategy's budget),
// says nothing about the target.
func skipIfNotRun(err error) {
	var notRun *mockclient.NotRunError
	switch {
	case errors.Is(err, mockclient.ErrRunDeadline):
		Skip(NotRunPrefix+mockclient.ErrRunDeadline.Error(), 2)
	case errors.Is(err, mockclient.ErrInterrupted):
		Skip(NotRunPrefix+"interrupted", 2)
	case errors.As(err, &notRun):
		Skip(NotRunPrefix+notRun.Reason, 2)
	}
}

func attachAny(v any) {
	if e, ok := v.(Evidencer); ok {
		Attach(e)
	}
}

// StopReason says why the run's context ended: its deadline, or the user.
func StopReason(ctx context.Context) string {
	if errors.Is(context.Cause(ctx), mockclient.ErrRunDeadline) {
		return mockclient.ErrRunDeadline.Error()
	}
	return "interrupted"
}

// Run is one run as every suite's frame sees it.
type Run struct {
	// Ctx is the whole run's context; once it ends (interrupted, or past
	// its deadline), the checks not yet started are skipped as not run.
	Ctx context.Context
	// Progress, when set, is told about each check as it completes.
	Progress func(SpecReport)
}

// Frame declares what every mode's top-level container needs: progress
// reporting, and no new check starting after an interrupt. Ginkgo drops
// top-level ReportAfterEach nodes once PreviewSpecs has run, so each mode's
// container declares Frame instead.
func Frame(run *Run) {
	BeforeEach(func() {
		if run.Ctx != nil && run.Ctx.Err() != nil {
			Skip(NotRunPrefix + StopReason(run.Ctx))
		}
	})
	ReportAfterEach(func(r SpecReport) {
		if run.Progress != nil {
			run.Progress(r)
		}
	})
}
