// Package catalog is the typed list of every check: what it judges, how
// strictly, under which spec revisions, the requirement it cites, and the
// counterpart fault that proves it can fail.
package catalog

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Check is one catalogue entry.
type Check struct {
	ID        string          `json:"id"`
	Title     string          `json:"title"`
	Role      spec.Role       `json:"role"`
	Level     spec.Level      `json:"level"`
	Severity  spec.Severity   `json:"severity"`
	Area      string          `json:"area"`
	Revisions []spec.Revision `json:"revisions"`
	Refs      []Ref           `json:"refs"`
	// Faults name the counterpart faults (mockserver or mockclient) under
	// which this check, and no check that does not list them, fails.
	Faults []Fault `json:"faults"`
	// Scenarios name the client-mode scenarios a client check judges.
	Scenarios []string `json:"scenarios,omitempty"`
	// Remediation tells an implementer, in one sentence, what makes the
	// check pass; every MUST check of severity critical or high has one.
	Remediation string `json:"remediation,omitempty"`
}

// Fault is a counterpart fault that trips a check, in every revision of the
// check or only in some: what one revision forbids another may allow.
type Fault struct {
	// Parts are the faults switched on together: one, or several that only
	// break the check together.
	Parts     []fault.Name
	Revisions []spec.Revision // empty: all of the check's
}

// String names the fault as results, the self-test and people read it: its
// parts joined with "+".
func (f Fault) String() string {
	parts := make([]string, len(f.Parts))
	for i, p := range f.Parts {
		parts[i] = string(p)
	}
	return strings.Join(parts, "+")
}

// MarshalJSON writes the fault under the "+"-joined name the catalogue's
// JSON has always used.
func (f Fault) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Name      string          `json:"name"`
		Revisions []spec.Revision `json:"revisions,omitempty"`
	}{f.String(), f.Revisions})
}

// faults lists single faults that trip a check in all its revisions.
func faults(names ...fault.Name) []Fault {
	out := make([]Fault, len(names))
	for i, n := range names {
		out[i] = Fault{Parts: []fault.Name{n}}
	}
	return out
}

// faultIn is a single fault that trips a check only in the given revisions.
func faultIn(name fault.Name, revs ...spec.Revision) Fault {
	return Fault{Parts: []fault.Name{name}, Revisions: revs}
}

// together is faults that trip a check, in all its revisions, only when
// switched on together.
func together(names ...fault.Name) Fault { return Fault{Parts: names} }

// AppliesTo reports whether the check is part of revision r.
func (c Check) AppliesTo(r spec.Revision) bool { return slices.Contains(c.Revisions, r) }

// TrippedBy reports whether switching on the parts of f makes the check
// fail under revision r; f's own revisions do not matter.
func (c Check) TrippedBy(f Fault, r spec.Revision) bool {
	if !c.AppliesTo(r) {
		return false
	}
	for _, g := range c.Faults {
		if slices.Equal(g.Parts, f.Parts) && (len(g.Revisions) == 0 || slices.Contains(g.Revisions, r)) {
			return true
		}
	}
	return false
}

var (
	checks []Check
	byID   = map[string]int{}
)

// register adds entries; called from each area file's init. References are
// shown as the check's newest revision reads them.
func register(entries ...Check) {
	for _, c := range entries {
		if len(c.Revisions) > 0 {
			c.Refs = c.RefsFor(c.Revisions[len(c.Revisions)-1])
		}
		byID[c.ID] = len(checks)
		checks = append(checks, c)
	}
}

// All returns every check sorted by ID.
func All() []Check {
	out := slices.Clone(checks)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lookup finds a check by ID.
func Lookup(id string) (Check, bool) {
	i, ok := byID[id]
	if !ok {
		return Check{}, false
	}
	return checks[i], true
}

var (
	idPattern   = regexp.MustCompile(`^(AS|RS|CL)-[A-Z]+-[0-9]{3}$`)
	areaPattern = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	// faultName is "<role>.<area>.<what>" or "<role>.<what>", lowercase.
	faultName  = regexp.MustCompile(`^[a-z]+\.[a-z0-9][a-z0-9.-]*$`)
	faultRoles = []string{"as", "rs", "client"}
)

// Validate checks the whole catalogue: unique IDs, closed vocabularies, and
// every field a report needs filled.
func Validate() error { return validate(checks) }

func validate(entries []Check) error {
	var problems []string
	seen := map[string]bool{}
	for _, c := range entries {
		bad := func(format string, args ...any) {
			problems = append(problems, c.ID+": "+fmt.Sprintf(format, args...))
		}
		if seen[c.ID] {
			bad("duplicate ID")
		}
		seen[c.ID] = true
		if !idPattern.MatchString(c.ID) {
			bad("ID does not match %s", idPattern)
		}
		if !strings.HasPrefix(c.ID, rolePrefix[c.Role]+"-") {
			bad("ID prefix does not match role %q", c.Role)
		}
		if strings.TrimSpace(c.Title) == "" {
			bad("empty title")
		}
		if !slices.Contains(spec.Roles, c.Role) {
			bad("unknown role %q", c.Role)
		}
		if !slices.Contains(spec.Levels, c.Level) {
			bad("unknown level %q", c.Level)
		}
		if !slices.Contains(spec.Severities, c.Severity) {
			bad("unknown severity %q", c.Severity)
		}
		if !areaPattern.MatchString(c.Area) {
			bad("area %q is not a lowercase word", c.Area)
		}
		if len(c.Revisions) == 0 {
			bad("no revisions")
		}
		for _, r := range c.Revisions {
			if !slices.Contains(spec.Revisions, r) {
				bad("unknown revision %q", r)
			}
		}
		if len(c.Refs) == 0 {
			bad("no requirement references")
		}
		for _, ref := range c.Refs {
			if ref.Label == "" || !strings.HasPrefix(ref.URL, "https://") {
				bad("reference %+v needs a label and an https link", ref)
			}
		}
		if (c.Role == spec.RoleClient) != (len(c.Scenarios) > 0) {
			bad("client checks, and only they, name the scenarios they judge")
		}
		if c.Remediation == "" && c.Level == spec.LevelMust && (c.Severity == spec.SeverityCritical || c.Severity == spec.SeverityHigh) {
			bad("a MUST check of severity %s needs a remediation", c.Severity)
		}
		if c.Remediation != "" && !oneSentence(c.Remediation) {
			bad("remediation %q is not one sentence", c.Remediation)
		}
		if len(c.Faults) == 0 {
			bad("no fault trips it")
		}
		for _, f := range c.Faults {
			if len(f.Parts) == 0 {
				bad("a fault has no parts")
			}
			for _, part := range f.Parts {
				if !slices.Contains(faultRoles, part.Role()) || !faultName.MatchString(string(part)) {
					bad("fault %q is not a counterpart fault name", part)
				}
			}
			for _, r := range f.Revisions {
				if !c.AppliesTo(r) {
					bad("fault %q trips it in %s, a revision it does not apply to", f, r)
				}
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("catalog: invalid:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

// oneSentence: starts with a capital letter, ends with the one full stop.
func oneSentence(s string) bool {
	return s != "" && unicode.IsUpper(rune(s[0])) && strings.HasSuffix(s, ".") &&
		!strings.ContainsAny(s, "\n") && !strings.Contains(s, ". ")
}

var rolePrefix = map[spec.Role]string{spec.RoleAS: "AS", spec.RoleRS: "RS", spec.RoleClient: "CL"}
