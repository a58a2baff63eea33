package reports_test

import (
	"bytes"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/reports"
)

var _ = Describe("results.json", func() {
	It("round-trips every field", func() {
		original := fixtureResults()
		original.Interrupted = true
		original.Error = "target unreachable"
		var buf bytes.Buffer
		Expect(reports.WriteJSON(&buf, original)).To(Succeed())
		Expect(buf.String()).To(ContainSubstring("\n  \"schemaVersion\""), "indented")

		read, err := reports.ReadJSON(&buf)
		Expect(err).NotTo(HaveOccurred())
		Expect(read).To(Equal(original))
	})

	It("stamps the current schema version", func() {
		r := fixtureResults()
		r.SchemaVersion = ""
		var buf bytes.Buffer
		Expect(reports.WriteJSON(&buf, r)).To(Succeed())
		read, err := reports.ReadJSON(&buf)
		Expect(err).NotTo(HaveOccurred())
		Expect(read.SchemaVersion).To(Equal(reports.SchemaVersion))
		Expect(r.SchemaVersion).To(BeEmpty(), "the caller's value is not modified")
	})

	It("rejects another schema version", func() {
		_, err := reports.ReadJSON(strings.NewReader(`{"schemaVersion":"mcpconform.results/v2","checks":[]}`))
		Expect(err).To(MatchError(And(
			HavePrefix("reports: results.json schema"),
			ContainSubstring(`"mcpconform.results/v2"`),
			ContainSubstring(reports.SchemaVersion),
		)))
	})

	It("rejects a file without a schema version", func() {
		_, err := reports.ReadJSON(strings.NewReader(`{"checks":[]}`))
		Expect(err).To(MatchError(HavePrefix("reports: results.json schema")))
	})

	It("rejects malformed JSON", func() {
		_, err := reports.ReadJSON(strings.NewReader(`{"schemaVersion":`))
		Expect(err).To(MatchError(HavePrefix("reports: reading results.json")))
	})
})
