package main

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/spf13/pflag"
)

// flowFlags shape the suite's own authorization flows to what the target
// needs to issue what the checks judge.
type flowFlags struct {
	scopes        []string
	otherResource string
}

func (f *flowFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.scopes, "scope", nil, "a scope to ask for in every authorization request besides the resource's, "+
		"such as offline_access for a server that issues refresh tokens only for it (repeatable, or space-separated)")
	fs.StringVar(&f.otherResource, "other-resource", "", "a second resource the authorization server issues tokens for, "+
		"whose tokens the MCP server must refuse (default for the bundled reference: its own)")
}

// checkOtherResource refuses an --other-resource that is no resource
// indicator (RFC 8707 §2: an absolute URI without fragment).
func (f flowFlags) checkOtherResource() error {
	if f.otherResource == "" {
		return nil
	}
	if u, err := url.Parse(f.otherResource); err != nil || !u.IsAbs() || u.Host == "" || u.Fragment != "" || strings.Contains(f.otherResource, "#") {
		return fmt.Errorf("--other-resource %q is not an absolute URL without a fragment", f.otherResource)
	}
	return nil
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
