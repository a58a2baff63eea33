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

// sarifDoc is what code scanning reads of results.sarif.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name    string `json:"name"`
				Version string `json:"version"`
				Rules   []struct {
					ID                   string            `json:"id"`
					ShortDescription     map[string]string `json:"shortDescription"`
					HelpURI              string            `json:"helpUri"`
					Help                 map[string]string `json:"help"`
					DefaultConfiguration map[string]string `json:"defaultConfiguration"`
					Properties           map[string]any    `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful bool `json:"executionSuccessful"`
			ExitCode            int  `json:"exitCode"`
			Notifications       []struct {
				Message map[string]string `json:"message"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []sarifResult `json:"results"`
	} `json:"runs"`
}

type sarifResult struct {
	RuleID    string            `json:"ruleId"`
	RuleIndex int               `json:"ruleIndex"`
	Level     string            `json:"level"`
	Message   map[string]string `json:"message"`
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation map[string]string `json:"artifactLocation"`
		} `json:"physicalLocation"`
		LogicalLocations []map[string]string `json:"logicalLocations"`
	} `json:"locations"`
	Suppressions []map[string]string `json:"suppressions"`
	Properties   map[string]any      `json:"properties"`
}

func writeSARIF(r *reports.Results) []byte {
	var buf bytes.Buffer
	Expect(reports.WriteSARIF(&buf, r)).To(Succeed())
	return buf.Bytes()
}

func parseSARIF(raw []byte) sarifDoc {
	var doc sarifDoc
	Expect(json.Unmarshal(raw, &doc)).To(Succeed())
	Expect(doc.Runs).To(HaveLen(1))
	return doc
}

var _ = Describe("results.sarif", func() {
	DescribeTable("is valid SARIF 2.1.0 (the subset schema in fixtures)",
		func(edit func(*reports.Results)) {
			r := fixtureResults()
			edit(r)
			Expect(schema.Validate(fixtures.SchemaSARIF, writeSARIF(r))).To(Succeed())
		},
		Entry("with a check of every status and a baseline", func(*reports.Results) {}),
		Entry("without a baseline", func(r *reports.Results) { r.Config.Baseline = "" }),
		Entry("for a client run", func(r *reports.Results) {
			r.Mode, r.Target, r.Config.Baseline = "client", "'/usr/local/bin/my agent' --mcp", ""
		}),
		Entry("for a run that could not start", func(r *reports.Results) {
			r.Error, r.Interrupted, r.Checks = "target unreachable", true, nil
		}),
	)

	It("has the subset schema catch what SARIF refuses", func() {
		Expect(schema.Validate(fixtures.SchemaSARIF, []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},`+
			`"results":[{"ruleId":"A","message":{"text":"m"},"level":"fatal","locations":[]}]}]}`))).To(MatchError(And(
			ContainSubstring("at /runs/0/results/0/level, keyword enum"),
			ContainSubstring("at /runs/0/results/0/locations, keyword minItems"))))
	})

	It("has one rule per check, with its title, level, severity and the spec sections as help", func() {
		doc := parseSARIF(writeSARIF(fixtureResults()))
		driver := doc.Runs[0].Tool.Driver
		Expect(doc.Version).To(Equal("2.1.0"))
		Expect(driver.Name).To(Equal("mcpconform"))
		Expect(driver.Version).To(Equal("v0.1.0"))
		Expect(driver.Rules).To(HaveLen(5))
		rule := driver.Rules[1]
		Expect(rule.ID).To(Equal("AS-META-002"))
		Expect(rule.ShortDescription["text"]).To(Equal("Issuer matches"))
		Expect(rule.DefaultConfiguration["level"]).To(Equal("error"), "MUST")
		Expect(rule.Properties).To(HaveKeyWithValue("security-severity", "9.5"))
		Expect(rule.HelpURI).To(Equal("https://www.rfc-editor.org/rfc/rfc8414#section-3.3"))
		Expect(rule.Help["text"]).To(ContainSubstring("- MCP Authorization §2.3: https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization"))
		Expect(rule.Help["markdown"]).To(ContainSubstring("[RFC 8414 §3.3](https://www.rfc-editor.org/rfc/rfc8414#section-3.3)"))
		Expect(driver.Rules[2].DefaultConfiguration["level"]).To(Equal("warning"), "SHOULD")
	})

	It("has one result per failed check with its message, at the baseline file and the target", func() {
		doc := parseSARIF(writeSARIF(fixtureResults()))
		results := map[string]sarifResult{}
		for _, res := range doc.Runs[0].Results {
			results[res.RuleID] = res
		}
		Expect(results).To(HaveLen(3), "the failure, the expected failure, the unexpected pass")
		failed := results["AS-META-002"]
		Expect(failed.RuleIndex).To(Equal(1))
		Expect(failed.Level).To(Equal("error"))
		Expect(failed.Message["text"]).To(HavePrefix(`expected issuer "https://as.example.com"`))
		Expect(failed.Suppressions).To(BeEmpty())
		Expect(failed.Locations[0].PhysicalLocation.ArtifactLocation["uri"]).To(Equal("known-gaps.txt"))
		Expect(failed.Locations[0].LogicalLocations).To(ConsistOf(HaveKeyWithValue("fullyQualifiedName", "https://mcp.example.com/mcp")))

		Expect(results["RS-AUTH-002"].Suppressions).To(ConsistOf(And(HaveKeyWithValue("kind", "external"),
			HaveKeyWithValue("justification", "tracked in OPS-12"))), "an expected failure is suppressed by the baseline")
		Expect(results["RS-AUTH-003"].Message["text"]).To(ContainSubstring("remove RS-AUTH-003 from the baseline"))
	})

	It("locates results at the target without a baseline, and marks failures the gate leaves out", func() {
		r := fixtureResults()
		r.Config.Baseline = ""
		r.Gate.FailOn = []string{"high"}
		r.Checks[1].Severity, r.Checks[1].Level = "low", "SHOULD"
		failed := parseSARIF(writeSARIF(r)).Runs[0].Results[0]
		Expect(failed.RuleID).To(Equal("AS-META-002"))
		Expect(failed.Locations[0].PhysicalLocation.ArtifactLocation["uri"]).To(Equal("https://mcp.example.com/mcp"))
		Expect(failed.Properties).To(HaveKeyWithValue("mcpconform/gated", false))
	})

	It("reports a run that judged nothing as an unsuccessful invocation", func() {
		r := &reports.Results{Mode: "server", Target: "http://127.0.0.1:1/mcp", Error: "target unreachable: connection refused"}
		invocation := parseSARIF(writeSARIF(r)).Runs[0].Invocations[0]
		Expect(invocation.ExecutionSuccessful).To(BeFalse())
		Expect(invocation.ExitCode).To(Equal(reports.ExitUnreachable))
		Expect(invocation.Notifications[0].Message["text"]).To(Equal("target unreachable: connection refused"))
	})
})
