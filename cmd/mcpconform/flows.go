package main

import (
	"slices"
	"strings"

	"github.com/spf13/pflag"
)

// flowFlags shape the suite's own authorization flows to what the target
// needs to issue what the checks judge.
type flowFlags struct {
	scopes []string
}

func (f *flowFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.scopes, "scope", nil, "a scope to ask for in every authorization request besides the resource's, "+
		"such as offline_access for a server that issues refresh tokens only for it (repeatable, or space-separated)")
}

// extraScopes are the --scope values, each once.
func (f flowFlags) extraScopes() []string {
	var out []string
	for _, value := range f.scopes {
		for _, scope := range strings.Fields(value) {
			if !slices.Contains(out, scope) {
				out = append(out, scope)
			}
		}
	}
	return out
}
