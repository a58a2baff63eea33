// Package printable makes target-controlled text safe to show: on a
// terminal, where an escape sequence could rewrite what the user reads, and
// in the HTML report, whose escaping leaves control characters alone.
package printable

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape is s with every character that is neither graphic nor a newline
// or tab spelled out as a Go escape: C0 and C1 controls (ESC becomes
// \x1b, so no escape sequence reaches a terminal), DEL, carriage returns,
// format characters such as bidirectional overrides, and bytes that are
// not UTF-8. Printable Unicode is kept as it is.
func Escape(s string) string {
	i := strings.IndexFunc(s, needsEscape)
	if i < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case !needsEscape(r):
			b.WriteString(s[:size])
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
		s = s[size:]
	}
	return b.String()
}

func needsEscape(r rune) bool {
	return r != '\n' && r != '\t' && !unicode.IsGraphic(r)
}

// Writer passes what is written to it on to the underlying writer through
// Escape, each Write on its own. Colour lets Paint colour what it writes:
// the only escape sequences that reach W are Paint's own.
type Writer struct {
	W      io.Writer
	Colour bool
}

func (w Writer) Write(p []byte) (int, error) {
	if _, err := io.WriteString(w.W, Escape(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
