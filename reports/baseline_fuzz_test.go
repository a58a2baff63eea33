package reports_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/mcpconform/mcpconform/reports"
)

func FuzzParseBaseline(f *testing.F) {
	for _, seed := range []string{
		"",
		"AS-META-002 issuer mismatch\n",
		"# comment\n\nA reason\r\nB\tother reason # not a comment\n",
		"\ufeffA reason",
		"A\n",
		"A one\nA two\n",
		"  \t \n#\n \x00 x\n",
		"A\u00a0reason\u2028\n",
		"\xff\xfe bad utf8\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, input string) {
		b, err := reports.ParseBaseline(strings.NewReader(input))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "reports: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		for id, reason := range b {
			if id == "" || strings.IndexFunc(id, unicode.IsSpace) >= 0 {
				t.Fatalf("bad ID %q", id)
			}
			if strings.TrimSpace(reason) == "" {
				t.Fatalf("check %q parsed with an empty reason", id)
			}
		}
	})
}
