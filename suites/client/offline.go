package client

import (
	"fmt"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/suites/check"
)

// offlineAccess is the scope that asks an authorization server for a
// refresh token (OpenID Connect Core 1.0 §11): the authorization server's,
// never the protected resource's.
const offlineAccess = "offline_access"

// offlineScenarios offer the offline_access scope, or do not (MCP
// 2026-07-28, refresh tokens).
var offlineScenarios = []Scenario{
	{Name: "auth/offline-access-scope", Since: spec.Rev20260728,
		Description: "the authorization server's scopes_supported lists offline_access too, and grants it; " +
			"the protected resource metadata and the challenges never name it",
		Options: []mockserver.Option{mockserver.WithOfflineAccess()}},
	{Name: "auth/offline-access-not-supported", Since: spec.Rev20260728,
		Description: "the reference servers: the authorization server's scopes_supported does not list offline_access " +
			"(it grants the rest of a scope asking for it)"},
}

func describeOffline(s *Session) {
	Describe("Asking for refresh tokens", func() {
		It("asks for offline_access only when the authorization server lists it", check.ID("CL-SCOPE-007"), func() {
			observations := []*Observation{check.Need(s.completedFlow())}
			if o, err := s.Observe("auth/offline-access-not-supported"); err == nil {
				check.Attach(o)
				observations = append(observations, o)
			}
			asked := false
			for _, o := range observations {
				for i, r := range o.AuthorizationRequests() {
					asked = true
					if scope := r.URL.Query().Get("scope"); slices.Contains(strings.Fields(scope), offlineAccess) {
						Fail(fmt.Sprintf("in %s authorization request %d asked for scope %q, although the authorization server's "+
							"scopes_supported does not list offline_access: a client may add it only when it is listed "+
							"(MCP refresh tokens)", o.Scenario.Name, i+1, scope))
					}
				}
			}
			if !asked {
				Skip(check.NotRunPrefix + "the client sent no authorization request")
			}
		})

		It("registers the refresh_token grant", check.ID("CL-REG-006"), func() {
			check.Need(s.completedFlow())
			for _, m := range s.registrations("auth/offline-access-scope") {
				if !slices.Contains(m.GrantTypes, "refresh_token") {
					registered := "omits grant_types, which then defaults to authorization_code alone (RFC 7591 §2)"
					if m.GrantTypes != nil {
						registered = fmt.Sprintf("registers grant_types %q", m.GrantTypes)
					}
					Fail("in auth/offline-access-scope the client " + registered + ": a client wanting refresh tokens " +
						"should register the refresh_token grant, which authorization servers may require before issuing one (MCP refresh tokens)")
				}
			}
		})
	})
}
