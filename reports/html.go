package reports

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/mcpconform/mcpconform/internal/printable"
)

//go:embed html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"anchor":     checkAnchor,
	"headers":    headerText,
	"statusText": statusText,
	"failing":    isFailingStatus,
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
}

type statusCount struct {
	Status Status
	Count  int
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
	}
	if !r.StartedAt.IsZero() {
		view.Started = r.StartedAt.UTC().Format("2006-01-02 15:04:05 MST")
		if r.FinishedAt.After(r.StartedAt) {
			view.Duration = r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond).String()
		}
	}
	for _, c := range r.Checks {
		view.Statuses = appendNew(view.Statuses, string(c.Status))
		view.Roles = appendNew(view.Roles, c.Role)
		view.Levels = appendNew(view.Levels, c.Level)
	}
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

// isFailingStatus marks the statuses whose evidence a reader wants open.
func isFailingStatus(s Status) bool {
	return s == StatusFailed || s == StatusUnexpectedPass || s == StatusExpectedFailure
}
