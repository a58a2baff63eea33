package printable

import (
	"bytes"
	"os"
	"testing"
)

func TestPaint(t *testing.T) {
	for _, tc := range []struct {
		name string
		w    func(*bytes.Buffer) Writer
		want string
	}{
		{"colours on a colour writer, the text escaped", func(b *bytes.Buffer) Writer { return Writer{W: b, Colour: true} },
			"\x1b[31mFAIL \\x1b[2J\x1b[0m"},
		{"writes escaped text without colour otherwise", func(b *bytes.Buffer) Writer { return Writer{W: b} }, `FAIL \x1b[2J`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := Paint(tc.w(&out), Red, "FAIL \x1b[2J"); err != nil || out.String() != tc.want {
				t.Errorf("Paint wrote %q, %v; want %q", out.String(), err, tc.want)
			}
		})
	}
	var plain bytes.Buffer
	if Paint(&plain, Red, "FAIL"); plain.String() != "FAIL" {
		t.Errorf("Paint to a plain writer wrote %q", plain.String())
	}
}

func TestWantsColour(t *testing.T) {
	for _, tc := range []struct {
		name          string
		terminal      bool
		noColor, term string
		want          bool
	}{
		{"a terminal", true, "", "xterm-256color", true},
		{"a pipe or file", false, "", "xterm-256color", false},
		{"NO_COLOR set", true, "1", "xterm-256color", false},
		{"NO_COLOR set to anything", true, "false", "xterm", false},
		{"a dumb terminal", true, "", "dumb", false},
	} {
		if got := wantsColour(tc.terminal, tc.noColor, tc.term); got != tc.want {
			t.Errorf("%s: wantsColour = %v, want %v", tc.name, got, tc.want)
		}
	}
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if WantsColour(f) {
		t.Error("a file wants colour")
	}
}
