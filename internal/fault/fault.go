// Package fault is the shared vocabulary of named faults: one typed value per
// way a counterpart (the reference target or the reference client) breaks one
// requirement. The catalogue names faults with these values and the
// counterparts switch on them, so a misspelt fault does not compile.
package fault

import "strings"

// Name is one fault: "<as|rs|client>.<area>.<what>".
type Name string

// Role is who the fault breaks: "as", "rs" or "client".
func (n Name) Role() string {
	role, _, _ := strings.Cut(string(n), ".")
	return role
}
