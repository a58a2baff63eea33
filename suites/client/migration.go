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

// migrationScenarios move the MCP server to another authorization server
// (MCP 2026-07-28, SEP-2352).
var migrationScenarios = []Scenario{
	{Name: "auth/authorization-server-migration", Since: spec.Rev20260728,
		Description: "once the MCP server has served a request with a token of the first authorization server, its protected " +
			"resource metadata names a second one (on another origin) alone, and it refuses the first's tokens with 401 invalid_token",
		Options: []mockserver.Option{mockserver.WithAuthorizationServerMigration()}},
}

func describeMigration(s *Session) {
	Describe("Authorization server migration", func() {
		It("registers at the authorization server its MCP server moved to, and authorizes there", check.ID("CL-MIG-001"), func() {
			o := s.migrated()
			authorizations := o.To(o.Next.Endpoints.Authorization)
			if len(authorizations) == 0 && droppedToken(o) {
				Skip(check.PrerequisitePrefix + "in auth/authorization-server-migration the client sent an MCP request without its " +
					"access token after it had one (CL-TOK-002), so the MCP server never refused a token of the old authorization server")
			}
			if len(authorizations) == 0 {
				Fail(fmt.Sprintf("the MCP server moved to the authorization server %s (its protected resource metadata lists it alone, "+
					"and it refused the old access token with 401 invalid_token), and the client sent no authorization request there "+
					"(%s): a client follows the protected resource metadata to the authorization server it lists (MCP authorization "+
					"server discovery)", o.Next.Issuer, o.Ending()))
			}
			registered := len(o.To(o.Next.Endpoints.Registration)) > 0
			for i, r := range authorizations {
				if id := r.URL.Query().Get("client_id"); !registered && !isMetadataDocumentURL(id) {
					Fail(fmt.Sprintf("authorization request %d at the new authorization server %s names client_id %q, and the client never "+
						"registered there: client identifiers are the issuing authorization server's (RFC 6749 §2.2), so a client "+
						"keeps registration state per authorization server and registers anew at a new one (MCP 2026-07-28)", i+1, o.Next.Issuer, id))
				}
			}
		})

		It("never presents the old authorization server's client credentials to the new one", check.ID("CL-MIG-002"), func() {
			o := s.migrated()
			ids, secrets := clientCredentialsAt(o, o.Issuer)
			reached := false
			for _, r := range o.Requests {
				if !sameOrigin(r, o.Next.Issuer) {
					continue
				}
				reached = true
				target := fmt.Sprintf("%s %s://%s%s", r.Method, r.URL.Scheme, r.URL.Host, r.URL.Path)
				for _, id := range []string{r.URL.Query().Get("client_id"), tokenRequestClientID(r)} {
					if slices.Contains(ids, id) {
						Fail(fmt.Sprintf("the client presented the client_id %q, which the old authorization server %s issued, to the new "+
							"one in %s: credentials of one authorization server are never assumed valid at another (MCP 2026-07-28, "+
							"authorization server location; RFC 6749 §2.2)", id, o.Issuer, target))
					}
				}
				for _, secret := range secrets {
					if strings.Contains(r.URL.RawQuery+r.Body, secret) || slices.ContainsFunc(r.Header.Values("Authorization"),
						func(v string) bool { return basicPassword(v) == secret }) {
						Fail(fmt.Sprintf("the client presented the client secret the old authorization server %s issued to the new one in "+
							"%s: credentials of one authorization server are never sent to another (MCP 2026-07-28)", o.Issuer, target))
					}
				}
			}
			if !reached {
				Skip(fmt.Sprintf("%sthe client sent nothing to the new authorization server %s (CL-MIG-001)", check.PrerequisitePrefix, o.Next.Issuer))
			}
		})
	})
}

// migrated is the migration scenario's observation once the MCP server
// moved there, from a client that completes the normal flow.
func (s *Session) migrated() *Observation {
	check.Need(s.completedFlow())
	o := check.Need(s.Observe("auth/authorization-server-migration"))
	if o.Next == nil || !o.Next.Moved {
		Skip(fmt.Sprintf("%sin auth/authorization-server-migration no request with a token of the first authorization server "+
			"was served, so the MCP server never moved (%s)", check.NotRunPrefix, o.Ending()))
	}
	return o
}

// clientCredentialsAt are the client identifiers and secrets the client
// used at the authorization server issuer: what that server issued it.
// Client ID metadata document URLs are left out: they are the client's own,
// good at any authorization server.
func clientCredentialsAt(o *Observation, issuer string) (ids, secrets []string) {
	for _, r := range o.Requests {
		if !sameOrigin(r, issuer) {
			continue
		}
		for _, id := range []string{r.URL.Query().Get("client_id"), tokenRequestClientID(r)} {
			if id != "" && !isMetadataDocumentURL(id) && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		for _, secret := range append([]string{r.Form().Get("client_secret")}, basicPasswords(r)...) {
			if secret != "" && !slices.Contains(secrets, secret) {
				secrets = append(secrets, secret)
			}
		}
	}
	return ids, secrets
}

// sameOrigin reports whether r went to the origin of issuer.
func sameOrigin(r mockserver.CapturedRequest, issuer string) bool {
	origin, err := spec.Origin(issuer)
	return err == nil && r.URL.Scheme+"://"+r.URL.Host == origin
}

func basicPasswords(r mockserver.CapturedRequest) []string {
	var out []string
	for _, v := range r.Header.Values("Authorization") {
		out = append(out, basicPassword(v))
	}
	return out
}
