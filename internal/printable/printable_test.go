package printable_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/mcpconform/mcpconform/internal/printable"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain text", "invalid_grant: code expired", "invalid_grant: code expired"},
		{"printable Unicode", "durée → 認可 ✓", "durée → 認可 ✓"},
		{"newlines and tabs", "a\n\tb", "a\n\tb"},
		{"an ANSI colour sequence", "\x1b[31mFAIL\x1b[0m", `\x1b[31mFAIL\x1b[0m`},
		{"a title-setting OSC sequence", "\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"a carriage return that rewrites the line", "FAIL\rPASS", `FAIL\x0dPASS`},
		{"NUL and DEL", "a\x00b\x7f", `a\x00b\x7f`},
		{"a C1 CSI as a rune", "a\u009b31m", `a\x9b31m`},
		{"a C1 CSI as a lone byte", "a\x9b31m", `a\x9b31m`},
		{"a bidirectional override", "abc\u202edef", `abc\u202edef`},
		{"a line separator", "a\u2028b", `a\u2028b`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := printable.Escape(tc.in); got != tc.want {
				t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestWriter(t *testing.T) {
	var out bytes.Buffer
	n, err := printable.Writer{W: &out}.Write([]byte("x\x1b[2Jy\n"))
	if err != nil || n != 7 || out.String() != `x\x1b[2Jy`+"\n" {
		t.Fatalf("Write = %d, %v, wrote %q", n, err, out.String())
	}
}

// FuzzEscape: whatever the input, the output holds only graphic characters,
// newlines and tabs, escaping it again changes nothing, and text that
// needed no escape comes out unchanged.
func FuzzEscape(f *testing.F) {
	for _, seed := range []string{"", "plain", "\x1b[31mred", "\x9b\xff\xfe", "a\u202e\u0085\r\n", "認可\x00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := printable.Escape(in)
		if !utf8.ValidString(out) {
			t.Fatalf("Escape(%q) = %q is not UTF-8", in, out)
		}
		if i := strings.IndexFunc(out, func(r rune) bool { return r != '\n' && r != '\t' && !unicode.IsGraphic(r) }); i >= 0 {
			t.Fatalf("Escape(%q) = %q keeps a control character at %d", in, out, i)
		}
		if again := printable.Escape(out); again != out {
			t.Fatalf("Escape is not stable: %q then %q", out, again)
		}
		clean := utf8.ValidString(in) && strings.IndexFunc(in, func(r rune) bool { return r != '\n' && r != '\t' && !unicode.IsGraphic(r) }) < 0
		if clean && out != in {
			t.Fatalf("Escape(%q) = %q changed printable text", in, out)
		}
	})
}
