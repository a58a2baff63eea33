package spec

import (
	"fmt"
	"slices"
	"strings"
)

// Role is the kind of target a check judges.
type Role string

const (
	RoleAS     Role = "as"     // authorization server
	RoleRS     Role = "rs"     // MCP server acting as OAuth resource server
	RoleClient Role = "client" // MCP client
)

var Roles = []Role{RoleAS, RoleRS, RoleClient}

// Level is the requirement's RFC 2119 keyword.
type Level string

const (
	LevelMust   Level = "MUST"
	LevelShould Level = "SHOULD"
	LevelMay    Level = "MAY"
)

var Levels = []Level{LevelMust, LevelShould, LevelMay}

// Severity ranks what a failure exposes.
type Severity string

const (
	SeverityCritical Severity = "critical"
	SeverityHigh     Severity = "high"
	SeverityMedium   Severity = "medium"
	SeverityLow      Severity = "low"
)

var Severities = []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow}

// ParseRole accepts one of Roles.
func ParseRole(s string) (Role, error) { return parseOne("role", s, Roles) }

// ParseLevel accepts one of Levels, in any case.
func ParseLevel(s string) (Level, error) {
	for _, l := range Levels {
		if strings.EqualFold(string(l), s) {
			return l, nil
		}
	}
	return "", fmt.Errorf("spec: unknown level %q (known: %v)", s, Levels)
}

func parseOne[T ~string](what, s string, known []T) (T, error) {
	if slices.Contains(known, T(s)) {
		return T(s), nil
	}
	return "", fmt.Errorf("spec: unknown %s %q (known: %v)", what, s, known)
}
