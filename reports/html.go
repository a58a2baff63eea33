package reports

import (
	"cmp"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/internal/printable"
	"github.com/mcpconform/mcpconform/internal/spec"
)

//go:embed html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"anchor":     checkAnchor,
	"headers":    headerText,
	"statusText": statusText,
}).Parse(htmlSource))

// htmlView is what the template needs beyond Results.
type htmlView struct {
	*Results
	Verdict Verdict
	// VerdictClass names the outcome in CSS: one word.
	VerdictClass string
	Started      string
	Duration     string
	Counts       []statusCount
	Statuses     []string
	Roles        []string
	Levels       []string
	Severities   []string
	// Groups are the checks as the table and the evidence show them.
	Groups []htmlGroup
}

type statusCount struct {
	Status Status
	Count  int
}

// htmlGroup is the checks of one area that share a status bucket: failures
// first, then expected failures, skipped and passed checks.
type htmlGroup struct {
	Area   string
	Bucket string
	Checks []htmlCheck
}

// htmlCheck is one check with its evidence split for reading.
type htmlCheck struct {
	CheckResult
	// Search is the lower-case text the search box matches.
	Search string
	// Open: the check needs attention; its decisive exchange is shown open.
	Open bool
	// Setup are the exchanges other checks recorded too (discovery,
	// registration, authorization): shown collapsed, before Own.
	Setup []evidence.Exchange
	// Own are the exchanges only this check recorded, in order; the last
	// is the decisive one, or the last of Setup when it recorded none.
	Own []htmlExchange
}

type htmlExchange struct {
	evidence.Exchange
	Decisive bool
}

// WriteHTML writes r as one self-contained HTML file: no external styles,
// scripts or fonts, so it can be archived and opened offline.
func WriteHTML(w io.Writer, r *Results) error {
	counted := *r
	counted.Summarize()
	verdict := Judge(&counted)
	s := counted.Summary
	view := htmlView{
		Results:      &counted,
		Verdict:      verdict,
		VerdictClass: strings.ReplaceAll(string(verdict.Outcome), " ", "-"),
		Started:      "unknown",
		Duration:     "unknown",
		Counts: []statusCount{
			{StatusFailed, s.Failed},
			{StatusUnexpectedPass, s.UnexpectedPass},
			{StatusPassed, s.Passed},
			{StatusExpectedFailure, s.ExpectedFailure},
			{StatusSkipped, s.Skipped},
		},
		Groups: groupChecks(r.Checks),
	}
	if !r.StartedAt.IsZero() {
		view.Started = r.StartedAt.UTC().Format("2006-01-02 15:04:05 MST")
		if r.FinishedAt.After(r.StartedAt) {
			view.Duration = r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond).String()
		}
	}
	for _, g := range view.Groups {
		for _, c := range g.Checks {
			view.Statuses = appendNew(view.Statuses, string(c.Status))
			view.Roles = appendNew(view.Roles, c.Role)
			view.Levels = appendNew(view.Levels, c.Level)
			view.Severities = appendNew(view.Severities, c.Severity)
		}
	}
	slices.SortStableFunc(view.Severities, func(a, b string) int { return cmp.Compare(severityOrder(a), severityOrder(b)) })
	// html/template escapes markup but not control characters: the rendered
	// page goes through printable.Escape, so every field is covered.
	var page strings.Builder
	if err := htmlTemplate.Execute(&page, view); err != nil {
		return fmt.Errorf("reports: writing report.html: %w", err)
	}
	if _, err := io.WriteString(w, printable.Escape(page.String())); err != nil {
		return fmt.Errorf("reports: writing report.html: %w", err)
	}
	return nil
}

// statusBuckets order the table: what needs attention first.
var statusBuckets = []struct {
	name     string
	statuses []Status
}{
	{"failing", []Status{StatusFailed, StatusUnexpectedPass}},
	{"expected failures", []Status{StatusExpectedFailure}},
	{"skipped", []Status{StatusSkipped}},
	{"passed", []Status{StatusPassed}},
}

func bucketOf(s Status) int {
	for i, b := range statusBuckets {
		if slices.Contains(b.statuses, s) {
			return i
		}
	}
	return len(statusBuckets)
}

// severityOrder ranks critical first; an unknown severity last.
func severityOrder(s string) int {
	if i := severityRank(s); i >= 0 {
		return i
	}
	return len(spec.Severities)
}

// groupChecks sorts checks by bucket, area, severity and ID, groups them
// by bucket and area, and splits each one's evidence into shared setup and
// its own exchanges.
func groupChecks(checks []CheckResult) []htmlGroup {
	recordedBy := map[string]int{}
	for _, c := range checks {
		seen := map[string]bool{}
		for _, ex := range c.Evidence {
			if key := ex.Key(); !seen[key] {
				seen[key] = true
				recordedBy[key]++
			}
		}
	}
	sorted := slices.Clone(checks)
	slices.SortStableFunc(sorted, func(a, b CheckResult) int {
		return cmp.Or(
			cmp.Compare(bucketOf(a.Status), bucketOf(b.Status)),
			cmp.Compare(areaName(a), areaName(b)),
			cmp.Compare(severityOrder(a.Severity), severityOrder(b.Severity)),
			cmp.Compare(a.ID, b.ID))
	})
	var groups []htmlGroup
	for _, c := range sorted {
		bucket := "other"
		if i := bucketOf(c.Status); i < len(statusBuckets) {
			bucket = statusBuckets[i].name
		}
		if n := len(groups); n == 0 || groups[n-1].Area != areaName(c) || groups[n-1].Bucket != bucket {
			groups = append(groups, htmlGroup{Area: areaName(c), Bucket: bucket})
		}
		g := &groups[len(groups)-1]
		g.Checks = append(g.Checks, splitEvidence(c, recordedBy))
	}
	return groups
}

func areaName(c CheckResult) string { return cmp.Or(c.Area, "other") }

// splitEvidence marks the decisive exchange: the last one the check
// recorded that no other check recorded too, or its last exchange when
// every one is shared. Shared exchanges before it are setup.
func splitEvidence(c CheckResult, recordedBy map[string]int) htmlCheck {
	h := htmlCheck{
		CheckResult: c,
		Open:        c.Status == StatusFailed || c.Status == StatusUnexpectedPass || c.Status == StatusExpectedFailure,
		Search:      strings.ToLower(strings.Join([]string{c.ID, c.Title, c.Area, c.Role, c.Level, c.Severity, string(c.Status), c.Message}, " ")),
	}
	for _, ex := range c.Evidence {
		if recordedBy[ex.Key()] > 1 {
			h.Setup = append(h.Setup, ex)
		} else {
			h.Own = append(h.Own, htmlExchange{Exchange: ex})
		}
	}
	if len(h.Own) == 0 && len(h.Setup) > 0 {
		last := h.Setup[len(h.Setup)-1]
		h.Setup, h.Own = h.Setup[:len(h.Setup)-1], []htmlExchange{{Exchange: last}}
	}
	if len(h.Own) > 0 {
		h.Own[len(h.Own)-1].Decisive = true
	}
	return h
}

func appendNew(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// checkAnchor turns a check ID into a fragment identifier that needs no escaping.
func checkAnchor(id string) string {
	return "check-" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, id)
}

// headerText renders headers one per line, sorted, as they appear on the wire.
func headerText(h http.Header) string {
	var lines []string
	for name, values := range h {
		for _, v := range values {
			lines = append(lines, name+": "+v)
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
