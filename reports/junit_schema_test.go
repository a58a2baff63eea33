package reports_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/reports"
)

// The Jenkins xunit plugin's junit-10.xsd, the strictest JUnit schema CI
// servers apply, written down as data: which attributes each element may
// (or must) have, of which type, which children, and whether it holds text.
// The schema itself is not vendored; this is what it declares.
type xsdElement struct {
	required, optional map[string]xsdType
	children           []string
	text               bool
}

type xsdType int

const (
	xsString xsdType = iota
	surefireTime
	count // an xs:string in the schema; a count for every reader
)

// surefireTimePattern is the schema's SUREFIRE_TIME, anchored as XSD patterns are.
var surefireTimePattern = regexp.MustCompile(`^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$`)

var problemElement = xsdElement{optional: map[string]xsdType{"type": xsString, "message": xsString}, text: true}

var jenkinsJUnit = map[string]xsdElement{
	"testsuites": {
		optional: map[string]xsdType{"name": xsString, "time": surefireTime, "tests": count, "failures": count, "errors": count},
		children: []string{"testsuite"},
	},
	"testsuite": {
		required: map[string]xsdType{"name": xsString, "tests": count, "failures": count, "errors": count},
		optional: map[string]xsdType{"group": xsString, "time": surefireTime, "skipped": count, "timestamp": xsString,
			"hostname": xsString, "id": xsString, "package": xsString, "file": xsString, "log": xsString, "url": xsString},
		children: []string{"testsuite", "properties", "testcase", "system-out", "system-err"},
	},
	"properties": {children: []string{"property"}},
	"property":   {required: map[string]xsdType{"name": xsString, "value": xsString}},
	"testcase": {
		required: map[string]xsdType{"name": xsString},
		optional: map[string]xsdType{"time": surefireTime, "classname": xsString, "group": xsString},
		children: []string{"skipped", "error", "failure", "rerunFailure", "rerunError", "flakyFailure", "flakyError", "system-out", "system-err"},
	},
	"failure":    problemElement,
	"error":      problemElement,
	"skipped":    problemElement,
	"system-out": {text: true},
	"system-err": {text: true},
}

// xmlNode is a parsed element, enough to judge it against the schema.
type xmlNode struct {
	name     string
	attrs    map[string]string
	children []*xmlNode
	text     string
}

func parseXML(doc []byte) (*xmlNode, error) {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var stack []*xmlNode
	var root *xmlNode
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return root, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &xmlNode{name: t.Name.Local, attrs: map[string]string{}}
			for _, a := range t.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) == 0 {
				root = n
			} else {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		}
	}
}

// validateJUnit lists every way doc breaks junit-10.xsd, plus what the
// counts must say: a suite's tests, failures, errors and skipped count its
// testcases' outcomes, and a testcase has at most one outcome.
func validateJUnit(doc []byte) []string {
	root, err := parseXML(doc)
	if err != nil {
		return []string{"not XML: " + err.Error()}
	}
	if root == nil || root.name != "testsuites" {
		return []string{"root element is not testsuites"}
	}
	var problems []string
	var walk func(n *xmlNode, path string)
	walk = func(n *xmlNode, path string) {
		path += "/" + n.name
		if name, ok := n.attrs["name"]; ok {
			path += "[" + name + "]"
		}
		decl, known := jenkinsJUnit[n.name]
		if !known {
			problems = append(problems, path+": element not in the schema")
			return
		}
		for attr, typ := range decl.required {
			if _, ok := n.attrs[attr]; !ok {
				problems = append(problems, path+": missing required attribute "+attr)
			} else if p := checkType(n.attrs[attr], typ); p != "" {
				problems = append(problems, fmt.Sprintf("%s@%s: %s", path, attr, p))
			}
		}
		for attr, value := range n.attrs {
			typ, optional := decl.optional[attr]
			_, required := decl.required[attr]
			switch {
			case !optional && !required:
				problems = append(problems, path+": attribute "+attr+" not in the schema")
			case optional:
				if p := checkType(value, typ); p != "" {
					problems = append(problems, fmt.Sprintf("%s@%s: %s", path, attr, p))
				}
			}
		}
		if !decl.text && strings.TrimSpace(n.text) != "" {
			problems = append(problems, path+": text where the schema allows none")
		}
		for _, c := range n.children {
			if !slices.Contains(decl.children, c.name) {
				problems = append(problems, path+": child "+c.name+" not allowed")
			}
			walk(c, path)
		}
		switch n.name {
		case "testsuite":
			problems = append(problems, checkSuiteCounts(n, path)...)
		case "testcase":
			outcomes := 0
			for _, c := range n.children {
				if slices.Contains([]string{"failure", "error", "skipped"}, c.name) {
					outcomes++
				}
			}
			if outcomes > 1 {
				problems = append(problems, path+": more than one of failure, error, skipped")
			}
		}
	}
	walk(root, "")
	return problems
}

func checkType(value string, typ xsdType) string {
	switch typ {
	case surefireTime:
		if !surefireTimePattern.MatchString(value) {
			return fmt.Sprintf("%q is not a SUREFIRE_TIME", value)
		}
	case count:
		if n, err := strconv.Atoi(value); err != nil || n < 0 {
			return fmt.Sprintf("%q is not a count", value)
		}
	}
	return ""
}

// checkSuiteCounts: the counts match the testcases, and properties, when
// present, come first and once, as Ant and Surefire write them.
func checkSuiteCounts(n *xmlNode, path string) []string {
	counts := map[string]int{}
	var problems []string
	for i, c := range n.children {
		if c.name == "properties" && i != 0 {
			problems = append(problems, path+": properties not first")
		}
		if c.name != "testcase" {
			continue
		}
		counts["tests"]++
		for _, outcome := range c.children {
			switch outcome.name {
			case "failure":
				counts["failures"]++
			case "error":
				counts["errors"]++
			case "skipped":
				counts["skipped"]++
			}
		}
	}
	for _, attr := range []string{"tests", "failures", "errors", "skipped"} {
		if got, ok := n.attrs[attr]; ok && got != strconv.Itoa(counts[attr]) {
			problems = append(problems, fmt.Sprintf("%s@%s: says %s, the testcases make %d", path, attr, got, counts[attr]))
		}
	}
	return problems
}

var _ = Describe("junit.xml against the Jenkins xunit schema (junit-10.xsd)", func() {
	write := func(r *reports.Results) []byte {
		var buf bytes.Buffer
		Expect(reports.WriteJUnit(&buf, r)).To(Succeed())
		return buf.Bytes()
	}

	DescribeTable("is valid",
		func(edit func(*reports.Results)) {
			r := fixtureResults()
			edit(r)
			Expect(validateJUnit(write(r))).To(BeEmpty())
		},
		Entry("with a check of every status", func(*reports.Results) {}),
		Entry("with failures the gate leaves out", func(r *reports.Results) { r.Gate.FailOn = []string{"must"} }),
		Entry("with skipped checks under --strict", func(r *reports.Results) { r.Gate.Strict = true }),
		Entry("for a run that could not start", func(r *reports.Results) {
			r.Error, r.Interrupted, r.Checks = "target unreachable", true, nil
		}),
		Entry("for a run stopped by its deadline", func(r *reports.Results) {
			r.Interrupted, r.StoppedBy = true, "run deadline passed"
		}),
	)

	It("catches what the schema refuses", func() {
		doc := `<testsuites skipped="1" time="1.5s"><testsuite name="x" tests="2" failures="0"><testcase name="a">` +
			`<properties><property name="k" value="v"/></properties><failure/><skipped/></testcase></testsuite></testsuites>`
		Expect(validateJUnit([]byte(doc))).To(ConsistOf(
			"/testsuites: attribute skipped not in the schema",
			`/testsuites@time: "1.5s" is not a SUREFIRE_TIME`,
			"/testsuites/testsuite[x]: missing required attribute errors",
			"/testsuites/testsuite[x]/testcase[a]: child properties not allowed",
			"/testsuites/testsuite[x]/testcase[a]: more than one of failure, error, skipped",
			"/testsuites/testsuite[x]@tests: says 2, the testcases make 1",
			"/testsuites/testsuite[x]@failures: says 0, the testcases make 1",
		))
	})
})
