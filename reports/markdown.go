package reports

import (
	"strings"

	"github.com/mcpconform/mcpconform/internal/printable"
)

// markdownPunctuation is what could start Markdown or HTML syntax inside a
// table cell: emphasis, code, links, images, raw HTML, entities, the cell
// separator. CommonMark takes a backslash before any of them as the
// character itself.
const markdownPunctuation = "\\`*_[]<>|~!&#"

// maxCellLength keeps a table readable when a target sends a long message.
const maxCellLength = 300

// markdownCell is s as inert text of one table cell: the first line only,
// cut to maxCellLength, controls spelled out, and punctuation escaped, so
// text a target sent (a failure message quotes it) cannot add links, HTML,
// rows or columns.
func markdownCell(s string) string {
	s, _, _ = strings.Cut(strings.ReplaceAll(s, "\r", "\n"), "\n")
	if runes := []rune(s); len(runes) > maxCellLength {
		s = string(runes[:maxCellLength]) + "…"
	}
	s = printable.Escape(s)
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(markdownPunctuation, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
