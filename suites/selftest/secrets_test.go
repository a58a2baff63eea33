package selftest_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/reports"
)

// What a leaked secret looks like in a report: a JWT, a secret URL
// parameter (also behind an HTML-escaped &amp;) or a secret JSON member
// with a value other than the redaction mark.
var (
	jwtShaped      = regexp.MustCompile(`eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*`)
	secretParam    = regexp.MustCompile(`(?i)[?&;#](?:code|access_token|refresh_token|code_verifier|client_secret|password)=([^&\s"'<>#\\]+)`)
	secretMember   = regexp.MustCompile(`"(?:access_token|refresh_token|code_verifier|client_secret|registration_access_token)"\s*:\s*"([^"]*)"`)
	redactionMarks = []string{"[REDACTED]", "%5BREDACTED%5D"}
)

// leaks lists the secrets in text.
func leaks(text string) []string {
	found := jwtShaped.FindAllString(text, -1)
	for _, pattern := range []*regexp.Regexp{secretParam, secretMember} {
		for _, m := range pattern.FindAllStringSubmatch(text, -1) {
			if !slices.Contains(redactionMarks, m[1]) {
				found = append(found, m[0])
			}
		}
	}
	return found
}

// stringsIn is every string value of a JSON document, so that bodies
// recorded as JSON strings are read unescaped.
func stringsIn(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, stringsIn(x)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, x := range v {
			out = append(out, stringsIn(x)...)
		}
		return out
	}
	return nil
}

var _ = Describe("Secrets in reports", func() {
	It("are redacted in every report and in the output of a full run", func() {
		session, dir := mcpconform("server", "-v")
		Expect(session.ExitCode()).To(Equal(reports.ExitOK))
		texts := []string{string(session.Out.Contents()), string(session.Err.Contents())}
		for _, name := range []string{reports.JUnitFile, reports.HTMLFile} {
			raw, err := os.ReadFile(filepath.Join(dir, name))
			Expect(err).NotTo(HaveOccurred())
			texts = append(texts, string(raw))
		}
		raw, err := os.ReadFile(filepath.Join(dir, reports.ResultsFile))
		Expect(err).NotTo(HaveOccurred())
		var doc any
		Expect(json.Unmarshal(raw, &doc)).To(Succeed())
		texts = append(texts, stringsIn(doc)...)
		for _, text := range texts {
			Expect(leaks(text)).To(BeEmpty())
			Expect(text).NotTo(ContainSubstring(initialAccessToken))
		}
	})
})
