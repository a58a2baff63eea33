package catalog

import (
	"slices"
	"strings"

	"github.com/mcpconform/mcpconform/internal/spec"
)

// Label keys. Labels are generated from the catalogue, never written by hand,
// so filters and the catalogue cannot disagree.
const (
	LabelCheck    = "check:"
	LabelRole     = "role:"
	LabelLevel    = "level:"
	LabelSeverity = "severity:"
	LabelSpec     = "spec:"
	LabelArea     = "area:"
)

// Labels are the Ginkgo labels of a check.
func (c Check) Labels() []string {
	out := []string{
		LabelCheck + c.ID,
		LabelRole + string(c.Role),
		LabelLevel + strings.ToLower(string(c.Level)),
		LabelSeverity + string(c.Severity),
		LabelArea + c.Area,
	}
	for _, r := range c.Revisions {
		out = append(out, LabelSpec+string(r))
	}
	return out
}

// CheckID finds the check ID among a spec's labels.
func CheckID(labels []string) (string, bool) {
	for _, l := range labels {
		if id, ok := strings.CutPrefix(l, LabelCheck); ok {
			return id, true
		}
	}
	return "", false
}

// Filter selects checks the way a run does.
type Filter struct {
	Revision spec.Revision
	Roles    []spec.Role
	Levels   []spec.Level
	Focus    []string // check IDs; empty means all
	Skip     []string // check IDs
}

// Matches reports whether the filter selects c.
func (f Filter) Matches(c Check) bool {
	if !c.AppliesTo(f.Revision) {
		return false
	}
	if len(f.Roles) > 0 && !slices.Contains(f.Roles, c.Role) {
		return false
	}
	if len(f.Levels) > 0 && !slices.Contains(f.Levels, c.Level) {
		return false
	}
	if len(f.Focus) > 0 && !slices.Contains(f.Focus, c.ID) {
		return false
	}
	return !slices.Contains(f.Skip, c.ID)
}

// Select returns the checks the filter selects, sorted by ID.
func (f Filter) Select() []Check {
	var out []Check
	for _, c := range All() {
		if f.Matches(c) {
			out = append(out, c)
		}
	}
	return out
}

// LabelFilter is the same selection as a Ginkgo label filter expression.
func (f Filter) LabelFilter() string {
	terms := []string{LabelSpec + string(f.Revision)}
	terms = appendAny(terms, LabelRole, f.Roles, func(r spec.Role) string { return string(r) })
	terms = appendAny(terms, LabelLevel, f.Levels, func(l spec.Level) string { return strings.ToLower(string(l)) })
	terms = appendAny(terms, LabelCheck, f.Focus, func(id string) string { return id })
	for _, id := range f.Skip {
		terms = append(terms, "!"+LabelCheck+id)
	}
	return strings.Join(terms, " && ")
}

func appendAny[T any](terms []string, key string, values []T, str func(T) string) []string {
	if len(values) == 0 {
		return terms
	}
	var alts []string
	for _, v := range values {
		alts = append(alts, key+str(v))
	}
	return append(terms, "("+strings.Join(alts, " || ")+")")
}
