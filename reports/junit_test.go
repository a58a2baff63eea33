package reports_test

import (
	"bytes"
	"encoding/xml"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/reports"
)

// The JUnit shape as a CI server reads it.
type junitDoc struct {
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string `xml:"name,attr"`
	Properties []struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	} `xml:"properties>property"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	ClassName string `xml:"classname,attr"`
	Name      string `xml:"name,attr"`
	Time      string `xml:"time,attr"`
	Failure   *struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	} `xml:"failure"`
	Error *struct {
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	} `xml:"error"`
	Skipped *struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	} `xml:"skipped"`
	SystemOut string `xml:"system-out"`
}

func (s junitSuite) property(name string) []string {
	var values []string
	for _, p := range s.Properties {
		if p.Name == name {
			values = append(values, p.Value)
		}
	}
	return values
}

func parseJUnit(r *reports.Results) junitDoc {
	var buf bytes.Buffer
	Expect(reports.WriteJUnit(&buf, r)).To(Succeed())
	Expect(buf.String()).To(HavePrefix(xml.Header))
	var doc junitDoc
	Expect(xml.Unmarshal(buf.Bytes(), &doc)).To(Succeed())
	return doc
}

var _ = Describe("junit.xml", func() {
	var cases map[string]junitCase
	var doc junitDoc

	BeforeEach(func() {
		doc = parseJUnit(fixtureResults())
		cases = map[string]junitCase{}
		for _, s := range doc.Suites {
			for _, c := range s.Cases {
				id, _, _ := strings.Cut(c.Name, ":")
				cases[id] = c
			}
		}
	})

	It("has a testsuite per role and a testcase per check", func() {
		Expect(doc.Suites).To(HaveLen(2))
		Expect(doc.Suites[0].Name).To(Equal("mcpconform server: as"))
		Expect(doc.Suites[0].Cases).To(HaveLen(2))
		Expect(doc.Suites[1].Name).To(Equal("mcpconform server: rs"))
		Expect(doc.Suites[1].Cases).To(HaveLen(3))
		Expect(cases).To(HaveLen(5))

		Expect(doc.Tests).To(Equal(5))
		Expect(doc.Failures).To(Equal(2), "the failure and the unexpected pass")
		Expect(doc.Errors).To(BeZero())
		Expect(doc.Suites[1].Failures).To(Equal(1))
		Expect(doc.Suites[1].Skipped).To(Equal(2), "the skip and the expected failure")
	})

	It("names testcases by role and check, with times in seconds", func() {
		c := cases["AS-META-002"]
		Expect(c.ClassName).To(Equal("as"))
		Expect(c.Name).To(Equal("AS-META-002: Issuer matches"))
		Expect(c.Time).To(Equal("1.500"))
		Expect(doc.Suites[0].Time).To(Equal("1.620"))
		Expect(doc.Time).To(Equal("2.500"), "the run's wall time")
	})

	It("carries the catalogue data in each testcase's system-out", func() {
		Expect(cases["AS-META-002"].SystemOut).To(Equal("AS-META-002 MUST, severity critical, spec 2025-11-25\n" +
			"RFC 8414 §3.3 <https://www.rfc-editor.org/rfc/rfc8414#section-3.3>\n" +
			"MCP Authorization §2.3 <https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization>\n"))
	})

	It("carries the run's data as properties of every testsuite", func() {
		for _, s := range doc.Suites {
			Expect(s.property("target")).To(Equal([]string{"https://mcp.example.com/mcp"}))
			Expect(s.property("specVersion")).To(Equal([]string{"2025-11-25"}))
			Expect(s.property("tool")).To(Equal([]string{"mcpconform v0.1.0"}))
			Expect(s.property("verdict")).To(Equal([]string{"FAIL"}))
			Expect(s.property("baseline")).To(Equal([]string{"known-gaps.txt"}))
			Expect(s.property("roles")).To(Equal([]string{"as,rs"}))
			Expect(s.property("requestTimeoutMs")).To(Equal([]string{"10000"}))
			Expect(s.property("levels")).To(BeEmpty(), "not given")
		}
	})

	It("reports a failure with its message and evidence", func() {
		f := cases["AS-META-002"].Failure
		Expect(f).NotTo(BeNil())
		Expect(f.Type).To(Equal("MUST"))
		Expect(f.Message).To(Equal(`expected issuer "https://as.example.com"`))
		Expect(f.Text).To(ContainSubstring("expected issuer \"https://as.example.com\"\ngot \"https://evil.example.com\""))
		Expect(f.Text).To(ContainSubstring("GET https://as.example.com/.well-known/oauth-authorization-server -> 200 (42 ms)"))
		Expect(f.Text).To(ContainSubstring("curl -sS -i -H 'Accept: application/json' -H 'Authorization: Bearer [REDACTED]' 'https://as.example.com/.well-known/oauth-authorization-server'"))
	})

	It("reports an unexpected pass as a failure naming the baseline reason", func() {
		f := cases["RS-AUTH-003"].Failure
		Expect(f).NotTo(BeNil())
		Expect(f.Message).To(ContainSubstring("baseline expects a failure"))
		Expect(f.Message).To(ContainSubstring("gateway bug"))
		Expect(f.Text).To(ContainSubstring("remove RS-AUTH-003 from the baseline"))
		Expect(f.Text).To(ContainSubstring("POST https://mcp.example.com/mcp -> no response"))
		Expect(f.Text).To(ContainSubstring("error: dial tcp: connection refused"))
	})

	It("reports a skip with its reason and kind", func() {
		c := cases["RS-AUTH-001"]
		Expect(c.Skipped).NotTo(BeNil())
		Expect(c.Skipped.Message).To(Equal("no protected resource configured"))
		Expect(c.Skipped.Type).To(Equal("not-run"))
		Expect(c.Failure).To(BeNil())
	})

	It("shows an expected failure as a skip typed expected-failure, with the baseline's reason and the failure", func() {
		c := cases["RS-AUTH-002"]
		Expect(c.Failure).To(BeNil())
		Expect(c.Skipped).NotTo(BeNil())
		Expect(c.Skipped.Type).To(Equal("expected-failure"))
		Expect(c.Skipped.Message).To(Equal("expected failure (baseline: tracked in OPS-12): expected a WWW-Authenticate header, got none"))
		Expect(c.Skipped.Text).To(ContainSubstring("expected a WWW-Authenticate header, got none"))
	})

	It("shows a failure the gate leaves out as a skip typed not-gated", func() {
		r := fixtureResults()
		r.Gate.FailOn = []string{"should"}
		r.Checks[1].Level = "MAY" // AS-META-002, the failure
		c := parseJUnit(r).Suites[0].Cases[1]
		Expect(c.Name).To(HavePrefix("AS-META-002:"))
		Expect(c.Failure).To(BeNil())
		skipped := c.Skipped
		Expect(skipped).NotTo(BeNil())
		Expect(skipped.Type).To(Equal("not-gated"))
		Expect(skipped.Message).To(HavePrefix("failed, but not failing the run under --fail-on should: expected issuer"))
	})

	It("passes a passed check plainly", func() {
		c := cases["AS-META-001"]
		Expect(c.Failure).To(BeNil())
		Expect(c.Skipped).To(BeNil())
	})

	It("turns a run-level error into an errored testcase, so CI is not green", func() {
		r := &reports.Results{Mode: "server", Error: "target unreachable: connection refused", Interrupted: true}
		doc := parseJUnit(r)
		Expect(doc.Errors).To(Equal(1))
		Expect(doc.Suites).To(HaveLen(1))
		Expect(doc.Suites[0].Name).To(Equal("mcpconform server: run"))
		e := doc.Suites[0].Cases[0].Error
		Expect(e).NotTo(BeNil())
		Expect(e.Message).To(Equal("target unreachable: connection refused"))
		Expect(e.Text).To(ContainSubstring("interrupted"))
	})

	It("says a run stopped by its deadline reports the checks it did not reach not run", func() {
		r := &reports.Results{Mode: "server", Interrupted: true, StoppedBy: "run deadline passed"}
		e := parseJUnit(r).Suites[0].Cases[0].Error
		Expect(e).NotTo(BeNil())
		Expect(e.Text).To(Equal("run stopped early (run deadline passed): checks not reached are not run"))
	})
})
