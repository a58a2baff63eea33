package client

import (
	"fmt"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/suites/check"
)

func describeScope(s *Session) {
	Describe("Scope selection", func() {
		It("requests the scope the 401 challenge names", check.ID("CL-SCOPE-001"), func() {
			check.Need(s.completedFlow())
			o := s.scopeAskedIn("auth/dcr")
			expectScope(o, o.Scopes.Challenged, "the scope the 401 challenge named")
		})

		It("requests the protected resource's scopes_supported when the challenge names none", check.ID("CL-SCOPE-002"), func() {
			check.Need(s.completedFlow())
			o := s.scopeAskedIn("auth/scope-from-scopes-supported")
			expectScope(o, o.Scopes.Supported, "the protected resource metadata's scopes_supported, as the 401 challenge named no scope")
		})

		It("omits scope when neither the challenge nor the resource names one", check.ID("CL-SCOPE-006"), func() {
			check.Need(s.completedFlow())
			o := s.scopeAskedIn("auth/scope-omitted-when-undefined")
			expectScope(o, nil, "no scope, as neither the 401 challenge nor the protected resource metadata named one "+
				"(the authorization server's scopes_supported are not the resource's)")
		})
	})
}

// scopeAskedIn is what scenario name observed, skipping the check when the
// client sent no authorization request there: it asked for no scope.
func (s *Session) scopeAskedIn(name string) *Observation {
	o := check.Need(s.Observe(name))
	if len(o.AuthorizationRequests()) == 0 {
		Skip(fmt.Sprintf("%sin %s the client sent no authorization request (%s)", check.NotRunPrefix, name, o.Ending()))
	}
	return o
}

// expectScope judges the scope of the client's first authorization request
// in o: exactly the scopes of want, in any order, and nothing more. Later
// requests may add what a step-up asked for. offline_access is left out:
// it asks the authorization server for a refresh token, not the resource
// for access, and a client may add it where the authorization server lists
// it (MCP 2026-07-28, refresh tokens); CL-SCOPE-007 judges where it may not.
func expectScope(o *Observation, want []string, source string) {
	asked := o.AuthorizationRequests()[0].URL.Query().Get("scope")
	resourceScopes := slices.DeleteFunc(strings.Fields(asked), func(sc string) bool { return sc == offlineAccess })
	if !sameScopes(resourceScopes, want) {
		Fail(fmt.Sprintf("in %s the authorization request asked for scope %q, not %q, %s (MCP scope selection strategy)",
			o.Scenario.Name, asked, strings.Join(want, " "), source), 1)
	}
}

func sameScopes(a, b []string) bool {
	distinct := func(s []string) []string { return slices.Compact(slices.Sorted(slices.Values(s))) }
	return slices.Equal(distinct(a), distinct(b))
}
