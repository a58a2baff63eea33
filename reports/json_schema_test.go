package reports_test

import (
	"bytes"
	"encoding/json"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/fixtures"
	"github.com/mcpconform/mcpconform/internal/schema"
	"github.com/mcpconform/mcpconform/reports"
)

var _ = Describe("results.json against its JSON Schema (fixtures/schemas/results.json)", func() {
	write := func(r *reports.Results) []byte {
		var buf bytes.Buffer
		Expect(reports.WriteJSON(&buf, r)).To(Succeed())
		return buf.Bytes()
	}

	DescribeTable("is valid",
		func(edit func(*reports.Results)) {
			r := fixtureResults()
			edit(r)
			Expect(schema.Validate(fixtures.SchemaResults, write(r))).To(Succeed())
		},
		Entry("with a check of every status, a gate and a configuration", func(r *reports.Results) {
			r.Gate = reports.Gate{FailOn: []string{"must", "high"}, Strict: true}
		}),
		Entry("with a blocked check", func(r *reports.Results) {
			r.Checks[2].Skip(reports.PrerequisitePrefix + "no client registered (AS-DCR-001)")
		}),
		Entry("for a client run", func(r *reports.Results) {
			r.Mode, r.Target = "client", "my-agent --mcp"
			r.Config = reports.Config{Roles: []string{"client"}, TimeLimitMS: 30000, Parallel: 2}
		}),
		Entry("for a run that could not start", func(r *reports.Results) {
			r.Error, r.Interrupted, r.Checks = "target unreachable", true, nil
		}),
		Entry("for a run stopped by its deadline", func(r *reports.Results) {
			r.Interrupted, r.StoppedBy = true, "run deadline passed"
		}),
	)

	DescribeTable("refuses what no mcpconform writes",
		func(edit func(doc map[string]any), violation string) {
			var doc map[string]any
			Expect(json.Unmarshal(write(fixtureResults()), &doc)).To(Succeed())
			edit(doc)
			raw, err := json.Marshal(doc)
			Expect(err).NotTo(HaveOccurred())
			Expect(schema.Validate(fixtures.SchemaResults, raw)).To(MatchError(ContainSubstring(violation)))
		},
		Entry("an unknown field, which the schema must learn first", func(doc map[string]any) { doc["extra"] = 1 },
			"at the document, keyword additionalProperties"),
		Entry("an unknown status", func(doc map[string]any) { check(doc, 0)["status"] = "flaky" },
			"at /checks/0/status, keyword enum"),
		Entry("a skipped check without its kind", func(doc map[string]any) { delete(check(doc, 2), "skipKind") },
			"at /checks/2, keyword required"),
		Entry("blockedBy on a check that is not blocked", func(doc map[string]any) { check(doc, 2)["blockedBy"] = "AS-DCR-001" },
			"at /checks/2"),
		Entry("another schema version", func(doc map[string]any) { doc["schemaVersion"] = "mcpconform.results/v2" },
			"at /schemaVersion, keyword const"),
		Entry("a time that is not one", func(doc map[string]any) { doc["startedAt"] = "yesterday" },
			"at /startedAt, keyword format"),
	)
})

func check(doc map[string]any, i int) map[string]any {
	return doc["checks"].([]any)[i].(map[string]any)
}
