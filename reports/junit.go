package reports

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

type junitTestSuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Errors   int              `xml:"errors,attr"`
	Time     string           `xml:"time,attr"`
	Suites   []junitTestSuite `xml:"testsuite"`
}

type junitTestSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitTestCase `xml:"testcase"`
	durationMS int64
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// junitTestCase has no properties: the Jenkins schema allows them on
// testsuites only, so a check's catalogue data goes in its system-out.
type junitTestCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitProblem `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// Skipped testcases that were judged carry these types, so CI lists them
// apart from checks that were not judged (typed by SkipKind).
const (
	junitExpectedFailure = "expected-failure"
	junitNotGated        = "not-gated"
)

// runRole is the classname of the synthetic testcase that carries a run-level
// error or interruption, so CI never shows green for a run that judged nothing.
const runRole = "run"

// WriteJUnit writes r as JUnit XML valid against the Jenkins xunit plugin's
// strict schema (junit-10.xsd): one testsuite per role, in the order roles
// first appear, with the run's data as properties, and one testcase per
// check, its catalogue data in system-out. Unexpected passes are failures.
// Expected failures, and failures the gate leaves out (--fail-on), are
// skipped testcases typed expected-failure and not-gated, so CI shows them
// without failing. A run-level Error or Interruption, or skipped checks
// under --strict, add a testcase with an <error> in a "run" testsuite: the
// testcases fail exactly when Judge fails the run.
func WriteJUnit(w io.Writer, r *Results) error {
	doc := junitTestSuites{Name: suitePrefix(r)}
	verdict := Judge(r)
	suiteOf := map[string]int{}
	for _, c := range r.Checks {
		i, seen := suiteOf[c.Role]
		if !seen {
			i = len(doc.Suites)
			suiteOf[c.Role] = i
			doc.Suites = append(doc.Suites, newJUnitSuite(r, verdict, c.Role))
		}
		doc.Suites[i].add(junitCase(r, c), c.DurationMS)
	}
	if runCase, hasProblem := junitRunCase(r); hasProblem {
		suite := newJUnitSuite(r, verdict, runRole)
		suite.add(runCase, 0)
		doc.Suites = append(doc.Suites, suite)
	}
	var checksMS int64
	for i := range doc.Suites {
		s := &doc.Suites[i]
		s.Time = seconds(s.durationMS)
		checksMS += s.durationMS
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
	}
	doc.Time = seconds(checksMS)
	if !r.StartedAt.IsZero() && r.FinishedAt.After(r.StartedAt) {
		doc.Time = seconds(r.FinishedAt.Sub(r.StartedAt).Milliseconds())
	}

	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("reports: writing junit.xml: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("reports: writing junit.xml: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("reports: writing junit.xml: %w", err)
	}
	return nil
}

func suitePrefix(r *Results) string {
	if r.Mode == "" {
		return "mcpconform"
	}
	return "mcpconform " + r.Mode
}

func newJUnitSuite(r *Results, verdict Verdict, role string) junitTestSuite {
	s := junitTestSuite{
		Name: suitePrefix(r) + ": " + role,
		Properties: []junitProperty{
			{Name: "target", Value: r.Target},
			{Name: "mode", Value: r.Mode},
			{Name: "specVersion", Value: r.SpecVersion},
			{Name: "tool", Value: strings.TrimSpace(r.Tool.Name + " " + r.Tool.Version)},
			{Name: "gate", Value: r.Gate.String()},
			{Name: "verdict", Value: string(verdict.Outcome)},
		},
	}
	s.Properties = append(s.Properties, configProperties(r.Config)...)
	if !r.StartedAt.IsZero() {
		// The JUnit schema's timestamp has no zone, so it is always UTC.
		s.Timestamp = r.StartedAt.UTC().Format("2006-01-02T15:04:05")
	}
	return s
}

// configProperties are the settings of c that were given, named as in
// results.json.
func configProperties(c Config) []junitProperty {
	var props []junitProperty
	add := func(name, value string) {
		if value != "" && value != "0" {
			props = append(props, junitProperty{Name: name, Value: value})
		}
	}
	add("roles", strings.Join(c.Roles, ","))
	add("levels", strings.Join(c.Levels, ","))
	add("focus", strings.Join(c.Focus, ","))
	add("skip", strings.Join(c.Skip, ","))
	add("baseline", c.Baseline)
	add("strategy", c.Strategy)
	add("requestTimeoutMs", strconv.FormatInt(c.RequestTimeoutMS, 10))
	add("runTimeoutMs", strconv.FormatInt(c.RunTimeoutMS, 10))
	add("authorizeTimeoutMs", strconv.FormatInt(c.AuthorizeTimeoutMS, 10))
	add("timeLimitMs", strconv.FormatInt(c.TimeLimitMS, 10))
	add("parallel", strconv.Itoa(c.Parallel))
	return props
}

// add appends tc and counts it; a testcase never has both failure and error.
func (s *junitTestSuite) add(tc junitTestCase, durationMS int64) {
	s.Cases = append(s.Cases, tc)
	s.Tests++
	switch {
	case tc.Failure != nil:
		s.Failures++
	case tc.Error != nil:
		s.Errors++
	case tc.Skipped != nil:
		s.Skipped++
	}
	s.durationMS += durationMS
}

func junitCase(r *Results, c CheckResult) junitTestCase {
	tc := junitTestCase{
		ClassName: c.Role,
		Name:      c.ID + ": " + c.Title,
		Time:      seconds(c.DurationMS),
		SystemOut: catalogueText(r, c),
	}
	message := firstLine(c.Message)
	switch {
	case c.Status == StatusFailed && !r.Gate.Gates(c):
		tc.Skipped = &junitProblem{
			Message: "failed, but not failing the run under " + r.Gate.String() + ": " + message,
			Type:    junitNotGated,
			Text:    c.Message + evidenceText(c),
		}
	case c.Status == StatusFailed:
		tc.Failure = &junitProblem{Message: message, Type: c.Level, Text: c.Message + evidenceText(c)}
	case c.Status == StatusUnexpectedPass:
		tc.Failure = &junitProblem{
			Message: "passed, but the baseline expects a failure: " + c.BaselineReason,
			Type:    string(StatusUnexpectedPass),
			Text:    c.Message + evidenceText(c),
		}
	case c.Status == StatusSkipped:
		tc.Skipped = &junitProblem{Message: c.Message, Type: string(cmp.Or(c.SkipKind, SkipNotRun))}
	case c.Status == StatusExpectedFailure:
		tc.Skipped = &junitProblem{
			Message: "expected failure (baseline: " + c.BaselineReason + "): " + message,
			Type:    junitExpectedFailure,
			Text:    c.Message + evidenceText(c),
		}
	}
	return tc
}

// catalogueText is what the catalogue says of c: its level, severity and
// the spec sections it checks, for the testcase's system-out.
func catalogueText(r *Results, c CheckResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s, severity %s, spec %s\n", c.ID, c.Level, c.Severity, r.SpecVersion)
	for _, ref := range c.Refs {
		fmt.Fprintf(&b, "%s <%s>\n", ref.Label, ref.URL)
	}
	return b.String()
}

// junitRunCase reports a run-level error or interruption, or skipped checks
// under --strict, as a testcase, and whether there was one.
func junitRunCase(r *Results) (junitTestCase, bool) {
	var problems []string
	if r.Error != "" {
		problems = append(problems, r.Error)
	}
	switch {
	case r.StoppedBy != "":
		problems = append(problems, "run stopped early ("+r.StoppedBy+"): checks not reached are not run")
	case r.Interrupted:
		problems = append(problems, "run interrupted: checks not reached are absent")
	}
	if skipped := Count(r.Checks).Skipped; r.Gate.Strict && skipped > 0 {
		problems = append(problems, plural(skipped, "check was", "checks were")+" skipped, which fails the run under --strict")
	}
	if len(problems) == 0 {
		return junitTestCase{}, false
	}
	text := strings.Join(problems, "\n")
	return junitTestCase{
		ClassName: runRole,
		Name:      "run",
		Time:      seconds(0),
		Error:     &junitProblem{Message: firstLine(text), Type: "run", Text: text},
	}, true
}

// evidenceText lists a check's exchanges as plain text for CI logs.
func evidenceText(c CheckResult) string {
	if len(c.Evidence) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n\nEvidence:\n")
	for i, e := range c.Evidence {
		fmt.Fprintf(&b, "%d. %s %s -> %s (%d ms)\n", i+1, e.Method, e.URL, statusText(e.Status), e.DurationMS)
		if e.Error != "" {
			fmt.Fprintf(&b, "   error: %s\n", e.Error)
		}
		fmt.Fprintf(&b, "   %s\n", e.Curl())
	}
	return b.String()
}

func statusText(status int) string {
	if status == 0 {
		return "no response"
	}
	return strconv.Itoa(status)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func seconds(ms int64) string {
	return strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64)
}
