package reports

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
)

// ChangeKind is how a check differs between two runs, A (before) and B (after).
type ChangeKind string

const (
	// ChangeNewFailure: in both runs, the check fails in B and did not in A
	// (it passed or was skipped). It is what a regression is made of.
	ChangeNewFailure ChangeKind = "new-failure"
	// ChangeFixed: in both runs, the check failed in A and passes in B.
	ChangeFixed ChangeKind = "fixed"
	// ChangeAdded: the check is only in B (a newer revision or tool, other
	// filters, or an A that stopped early).
	ChangeAdded ChangeKind = "added"
	// ChangeRemoved: the check is only in A.
	ChangeRemoved ChangeKind = "removed"
	// ChangeStatus: in both runs, any other change of status: judged and
	// skipped, another kind of skip, a baseline mark added or dropped.
	ChangeStatus ChangeKind = "changed"
)

// changeKinds is the order the diff lists the kinds in: what needs action first.
var changeKinds = []ChangeKind{ChangeNewFailure, ChangeFixed, ChangeAdded, ChangeRemoved, ChangeStatus}

// CheckChange is one check that differs between the runs.
type CheckChange struct {
	ID    string
	Kind  ChangeKind
	Title string
	// Before and After are the check in A and in B; nil where it is absent.
	Before, After *CheckResult
	// Regression: this change makes B a regression against A under the
	// diff's gate.
	Regression bool
}

// Diff is what changed between two runs of the same mode.
type Diff struct {
	Before, After *Results
	// Gate decides which changes are regressions: the new failures it counts,
	// and under Strict also a check judged in A and skipped in B.
	Gate      Gate
	Changes   []CheckChange
	Unchanged int
}

// Compare is what changed from before (A) to after (B), check by check.
// The runs may be of different revisions or tool versions: a check in one
// only is added or removed, never a regression. Runs of different modes
// (server and client) share no checks and are refused.
func Compare(before, after *Results, gate Gate) (*Diff, error) {
	if before.Mode != after.Mode {
		return nil, fmt.Errorf("reports: cannot compare a %s run with a %s run", before.Mode, after.Mode)
	}
	d := &Diff{Before: before, After: after, Gate: gate}
	inBefore := indexChecks(before.Checks)
	inAfter := indexChecks(after.Checks)
	for i := range before.Checks {
		a := &before.Checks[i]
		b, ok := inAfter[a.ID]
		if !ok {
			d.Changes = append(d.Changes, CheckChange{ID: a.ID, Kind: ChangeRemoved, Title: a.Title, Before: a})
			continue
		}
		if a.Status == b.Status && a.SkipKind == b.SkipKind {
			d.Unchanged++
			continue
		}
		change := CheckChange{ID: a.ID, Kind: ChangeStatus, Title: cmp.Or(b.Title, a.Title), Before: a, After: b}
		switch {
		case outcomeOf(b) == outcomeFailed && outcomeOf(a) != outcomeFailed:
			change.Kind = ChangeNewFailure
			change.Regression = gate.Gates(*b)
		case outcomeOf(a) == outcomeFailed && outcomeOf(b) == outcomePassed:
			change.Kind = ChangeFixed
		case b.Status == StatusSkipped && a.Status != StatusSkipped:
			change.Regression = gate.Strict
		}
		d.Changes = append(d.Changes, change)
	}
	for i := range after.Checks {
		b := &after.Checks[i]
		if _, ok := inBefore[b.ID]; !ok {
			d.Changes = append(d.Changes, CheckChange{ID: b.ID, Kind: ChangeAdded, Title: b.Title, After: b})
		}
	}
	slices.SortStableFunc(d.Changes, func(x, y CheckChange) int {
		return cmp.Or(cmp.Compare(slices.Index(changeKinds, x.Kind), slices.Index(changeKinds, y.Kind)), strings.Compare(x.ID, y.ID))
	})
	return d, nil
}

func indexChecks(checks []CheckResult) map[string]*CheckResult {
	index := make(map[string]*CheckResult, len(checks))
	for i := range checks {
		index[checks[i].ID] = &checks[i]
	}
	return index
}

// checkOutcome is what the target did, whatever the baseline expected.
type checkOutcome int

const (
	outcomeSkipped checkOutcome = iota
	outcomePassed
	outcomeFailed
)

func outcomeOf(c *CheckResult) checkOutcome {
	switch c.Status {
	case StatusFailed, StatusExpectedFailure:
		return outcomeFailed
	case StatusPassed, StatusUnexpectedPass:
		return outcomePassed
	default:
		return outcomeSkipped
	}
}

// Of is the changes of kind k.
func (d *Diff) Of(k ChangeKind) []CheckChange {
	var of []CheckChange
	for _, c := range d.Changes {
		if c.Kind == k {
			of = append(of, c)
		}
	}
	return of
}

// Result is the diff's one-line conclusion and its exit code:
// ExitUnreachable when either run judged nothing (a run error), so there is
// nothing to compare; ExitFailures when B regressed, or stopped early (the
// checks it did not reach could hide one); ExitOK otherwise.
func (d *Diff) Result() (string, int) {
	for _, run := range []struct {
		name string
		r    *Results
	}{{"A", d.Before}, {"B", d.After}} {
		if run.r.Error != "" {
			return fmt.Sprintf("NOT COMPARED (%s was not run: %s)", run.name, run.r.Error), ExitUnreachable
		}
	}
	regressions := 0
	for _, c := range d.Changes {
		if c.Regression {
			regressions++
		}
	}
	switch {
	case regressions > 0:
		now := "now failing"
		if d.Gate.Strict {
			now = "now failing or skipped (--strict)"
		}
		return "REGRESSED (" + plural(regressions, "check", "checks") + " " + now + ")", ExitFailures
	case d.After.Interrupted:
		return "INCOMPLETE (B stopped early: " + cmp.Or(d.After.StoppedBy, "interrupted") + "; the checks it did not reach are listed as removed)", ExitFailures
	default:
		return "no regression", ExitOK
	}
}

// statusLabel is a check's status, skipped ones by their kind.
func statusLabel(c *CheckResult) string {
	if c == nil {
		return "absent"
	}
	if c.Status == StatusSkipped && c.SkipKind != "" {
		return string(c.SkipKind)
	}
	return string(c.Status)
}

// note is what the diff says about a change: why the check fails or is
// skipped in the run it is in last, or its title.
func (c CheckChange) note() string {
	last := cmp.Or(c.After, c.Before)
	if outcomeOf(last) != outcomePassed && c.Kind != ChangeFixed {
		return cmp.Or(strings.TrimSpace(firstLine(last.Message)), c.Title)
	}
	return c.Title
}

// heading names a kind of change in the diff's sections.
func heading(k ChangeKind) string {
	return map[ChangeKind]string{
		ChangeNewFailure: "new failures",
		ChangeFixed:      "fixed",
		ChangeAdded:      "added (only in B)",
		ChangeRemoved:    "removed (only in A)",
		ChangeStatus:     "other status changes",
	}[k]
}

// describeRun is one line naming what a run tested and how it came out.
func describeRun(r *Results) string {
	return fmt.Sprintf("%s %s, revision %s, %s %s, %s: %s, %d checks", r.Mode, r.Target, cmp.Or(r.SpecVersion, "?"),
		cmp.Or(r.Tool.Name, "mcpconform"), cmp.Or(r.Tool.Version, "?"), r.StartedAt.UTC().Format("2006-01-02 15:04 UTC"),
		Judge(r).Outcome, len(r.Checks))
}

// differences names what differs between the runs besides their checks.
func (d *Diff) differences() []string {
	var notes []string
	if d.Before.SpecVersion != d.After.SpecVersion {
		notes = append(notes, "the runs test different revisions: a check of one revision only is added or removed, not a regression")
	}
	if d.Before.Tool.Version != d.After.Tool.Version {
		notes = append(notes, "the runs come from different mcpconform versions: checks may have been added, removed or refined")
	}
	if d.Before.Target != d.After.Target {
		notes = append(notes, "the runs test different targets")
	}
	return notes
}

// WriteDiffText writes d as plain text, for a terminal.
func WriteDiffText(w io.Writer, d *Diff) error {
	var b strings.Builder
	fmt.Fprintf(&b, "A: %s\nB: %s\n", describeRun(d.Before), describeRun(d.After))
	for _, note := range d.differences() {
		fmt.Fprintf(&b, "note: %s\n", note)
	}
	width := 0
	for _, c := range d.Changes {
		width = max(width, len(c.ID))
	}
	for _, k := range changeKinds {
		changes := d.Of(k)
		if len(changes) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s (%d):\n", heading(k), len(changes))
		for _, c := range changes {
			fmt.Fprintf(&b, "  %-*s  %-32s  %s\n", width, c.ID, statusLabel(c.Before)+" -> "+statusLabel(c.After), c.note())
		}
	}
	result, _ := d.Result()
	fmt.Fprintf(&b, "\nunchanged: %d\nresult: %s\n", d.Unchanged, result)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteDiffMarkdown writes d as GitHub-flavoured Markdown, for a pull
// request comment or a job summary. Everything the runs recorded is escaped.
func WriteDiffMarkdown(w io.Writer, d *Diff) error {
	var b strings.Builder
	result, _ := d.Result()
	fmt.Fprintf(&b, "## mcpconform diff: %s\n\n", markdownCell(result))
	b.WriteString("| run | mode | target | revision | tool | verdict | checks |\n|---|---|---|---|---|---|---|\n")
	for _, run := range []struct {
		name string
		r    *Results
	}{{"A", d.Before}, {"B", d.After}} {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %d |\n", run.name, markdownCell(run.r.Mode), markdownCell(run.r.Target),
			markdownCell(run.r.SpecVersion), markdownCell(run.r.Tool.Version), Judge(run.r).Outcome, len(run.r.Checks))
	}
	for _, note := range d.differences() {
		fmt.Fprintf(&b, "\n> %s\n", markdownCell(note))
	}
	for _, k := range changeKinds {
		changes := d.Of(k)
		if len(changes) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n### %s (%d)\n\n| check | A | B | |\n|---|---|---|---|\n", heading(k), len(changes))
		for _, c := range changes {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", markdownCell(c.ID), statusLabel(c.Before), statusLabel(c.After), markdownCell(c.note()))
		}
	}
	fmt.Fprintf(&b, "\nUnchanged: %s.\n", plural(d.Unchanged, "check", "checks"))
	_, err := io.WriteString(w, b.String())
	return err
}
