package printable

import (
	"io"
	"os"
)

// Colour is an SGR parameter: what Paint asks the terminal to draw text as.
type Colour string

const (
	Red    Colour = "31"
	Green  Colour = "32"
	Yellow Colour = "33"
	Dim    Colour = "2"
	Bold   Colour = "1"
)

// Paint writes text to w, escaped, in colour c when w is a Writer with
// Colour set; as it is otherwise.
func Paint(w io.Writer, c Colour, text string) error {
	if pw, ok := w.(Writer); ok && pw.Colour {
		_, err := io.WriteString(pw.W, "\x1b["+string(c)+"m"+Escape(text)+"\x1b[0m")
		return err
	}
	_, err := io.WriteString(w, text)
	return err
}

// WantsColour reports whether output to f is coloured: only on a terminal,
// and not when NO_COLOR is set to anything (no-color.org) or TERM is dumb.
func WantsColour(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && wantsColour(info.Mode()&os.ModeCharDevice != 0, os.Getenv("NO_COLOR"), os.Getenv("TERM"))
}

func wantsColour(terminal bool, noColor, term string) bool {
	return terminal && noColor == "" && term != "dumb"
}
