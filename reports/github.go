package reports

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/mcpconform/mcpconform/internal/printable"
)

// maxAnnotationLength keeps one annotation within what GitHub shows.
const maxAnnotationLength = 4000

// WriteStepSummary writes r as the Markdown of a GitHub Actions job
// summary: the verdict and its reasons, the counts, and a table of the
// failures and unexpected passes. Everything the run recorded is escaped.
func WriteStepSummary(w io.Writer, r *Results) error {
	var b strings.Builder
	v := Judge(r)
	fmt.Fprintf(&b, "## mcpconform: %s\n\n", v.Outcome)
	fmt.Fprintf(&b, "%s run of %s, revision %s, %s %s, %s.\n\n", markdownCell(r.Mode), markdownCell(r.Target),
		markdownCell(r.SpecVersion), markdownCell(cmp.Or(r.Tool.Name, "mcpconform")), markdownCell(r.Tool.Version), markdownCell(r.Gate.String()))
	for _, reason := range v.Reasons {
		fmt.Fprintf(&b, "- %s\n", markdownCell(reason))
	}
	if len(v.Reasons) > 0 {
		b.WriteString("\n")
	}
	s := Count(r.Checks)
	b.WriteString("| checks | passed | failed | skipped | expected failures | unexpected passes |\n|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| %d | %d | %d | %d | %d | %d |\n", s.Total, s.Passed, s.Failed, s.Skipped, s.ExpectedFailure, s.UnexpectedPass)
	var rows []string
	for _, c := range r.Checks {
		status := ""
		switch {
		case c.Status == StatusUnexpectedPass:
			status = "unexpected pass"
		case c.Status != StatusFailed:
			continue
		case r.Gate.Gates(c):
			status = "failed"
		default:
			status = "failed, left out by " + r.Gate.String()
		}
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s | %s |\n", markdownCell(c.ID), markdownCell(status),
			markdownCell(c.Level), markdownCell(c.Severity), markdownCell(cmp.Or(strings.TrimSpace(firstLine(c.Message)), c.Title))))
	}
	if len(rows) > 0 {
		fmt.Fprintf(&b, "\n### Failures (%d)\n\n| check | status | level | severity | message |\n|---|---|---|---|---|\n", len(rows))
		b.WriteString(strings.Join(rows, ""))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteAnnotations writes GitHub Actions workflow commands that annotate
// the run: an ::error per check that fails the run (a failure the gate
// counts, an unexpected pass), a ::warning per failure the gate leaves out,
// and an ::error for a run that judged nothing. Each is titled with the
// check ID; the message is the check's title and message.
func WriteAnnotations(w io.Writer, r *Results) error {
	var b strings.Builder
	if r.Error != "" {
		annotate(&b, "error", "mcpconform", "not run: "+r.Error)
	}
	for _, c := range r.Checks {
		command := "error"
		switch {
		case c.Status == StatusUnexpectedPass:
		case c.Status != StatusFailed:
			continue
		case !r.Gate.Gates(c):
			command = "warning"
		}
		annotate(&b, command, c.ID, strings.TrimSpace(c.Title+"\n"+c.Message))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// annotate writes one workflow command, escaped as the runner unescapes it.
func annotate(b *strings.Builder, command, title, message string) {
	if runes := []rune(message); len(runes) > maxAnnotationLength {
		message = string(runes[:maxAnnotationLength]) + "…"
	}
	fmt.Fprintf(b, "::%s title=%s::%s\n", command, escapeProperty(title), escapeData(message))
}

// escapeData escapes a workflow command's message: '%', CR and LF, so a
// message can neither end the command early nor start another on a new
// line. Other controls are spelled out.
func escapeData(s string) string {
	return printable.Escape(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s))
}

// escapeProperty escapes a workflow command's property value: as a message,
// and also ':' and ',' that end a value.
func escapeProperty(s string) string {
	return strings.NewReplacer(":", "%3A", ",", "%2C").Replace(escapeData(s))
}
