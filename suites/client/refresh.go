package client

import (
	"fmt"
	"net/http"
	"slices"

	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/suites/check"
)

// expiringTokens is how many access tokens expire in auth/refresh: two, so
// that a client refreshing each time refreshes twice, the second time with
// the refresh token the first refresh rotated.
const expiringTokens = 2

// refreshScenarios make the client renew its access token.
var refreshScenarios = []Scenario{
	{Name: "auth/refresh", Since: spec.Rev20250326,
		Description: "the first two access tokens expire a second after they are issued (expires_in 1), and the MCP " +
			"server answers a request carrying one only then, refusing it as expired afterwards; every refresh rotates the refresh token",
		Options:     []mockserver.Option{mockserver.WithExpiringTokens(expiringTokens), mockserver.WithRefreshRotation()},
		WaitsOnTime: true},
	{Name: "auth/expiry-without-refresh-token", Since: spec.Rev20260728,
		Description: "the authorization server issues no refresh token (nor lists the grant), and the first access token " +
			"expires a second after it is issued, answered only then and refused afterwards",
		Options:     []mockserver.Option{mockserver.WithExpiringTokens(1), mockserver.WithoutRefreshTokens()},
		WaitsOnTime: true},
}

func describeRefresh(s *Session) {
	Describe("Refresh tokens", func() {
		It("authorizes again when its access token expires and it got no refresh token", check.ID("CL-REF-005"), func() {
			check.Need(s.completedFlow())
			name := "auth/expiry-without-refresh-token"
			o := check.Need(s.Observe(name))
			authorizations := o.AuthorizationRequests()
			if len(authorizations) == 0 {
				Skip(check.NotRunPrefix + "in " + name + " the client sent no authorization request (" + o.Ending() + ")")
			}
			// Authorized again, and served after that: what the check asks.
			if again := len(authorizations) > 1; again && slices.ContainsFunc(o.AuthenticatedMCPRequests(), func(r mockserver.CapturedRequest) bool {
				return r.Status == http.StatusOK && r.Time.After(authorizations[1].Time)
			}) {
				return
			}
			// The expired token refused, or the client giving up on it by
			// its own clock: either way it needed a new one and got none.
			refused := slices.ContainsFunc(o.AuthenticatedMCPRequests(), func(r mockserver.CapturedRequest) bool {
				return r.Status == http.StatusUnauthorized
			})
			switch {
			case droppedToken(o):
				Skip(check.PrerequisitePrefix + "in " + name + " the client sent an MCP request without its access token after it " +
					"had one (CL-TOK-002)")
			case !refused && o.Outcome.ExitCode == 0:
				Skip(check.NotRunPrefix + "in " + name + " the client was through before its access token expired (" + o.Ending() + ")")
			}
			Fail(fmt.Sprintf("in %s the authorization server issued no refresh token and the access token expired; the client "+
				"then got no request served with a new one (%d authorization request(s) in all; %s): a client must not count "+
				"on a refresh token, and authorizes again instead (MCP refresh tokens)", name, len(authorizations), o.Ending()))
		})

		// MCP leaves renewing to OAuth, and OAuth does not require a client
		// to refresh; but the refresh token is there so that an expired
		// access token does not send the user through authorization again.
		// A client that held one and still re-authorized, or gave up, is
		// failed at SHOULD; a client that never got one, or never met an
		// expired token, shows nothing.
		It("refreshes with its refresh token when the access token expires", check.ID("CL-REF-001"), func() {
			o := s.expiring()
			if len(refreshRequests(o)) > 0 {
				return
			}
			if len(o.RefreshTokens) > 0 {
				// Nothing but the expiry sends a client through authorization
				// again here, whether it waited for the refusal or not.
				if again := len(o.AuthorizationRequests()) - 1; again > 0 {
					Fail(fmt.Sprintf("the client held a refresh token, and when its access token expired it sent %d new authorization "+
						"request(s) instead of a refresh request, putting its user through authorization again", again))
				}
				if len(expiredTokenUses(o)) > 0 {
					Fail("the client held a refresh token and the MCP server refused its expired access token (401 invalid_token), " +
						"yet it sent no refresh request: it gave up (" + o.Ending() + ")")
				}
			}
			skipNoRefresh(o)
		})

		It("names the MCP server as resource when it refreshes", check.ID("CL-REF-002"), func() {
			o := s.refreshing()
			expectResource(o, refreshRequests(o), "refresh", func(r mockserver.CapturedRequest) []string { return r.Form()["resource"] })
		})

		It("refreshes with the rotated refresh token, never an old one again", check.ID("CL-REF-003"), func() {
			o := s.refreshing()
			refreshes := refreshRequests(o)
			if len(refreshes) < 2 {
				Skip(fmt.Sprintf("%sin auth/refresh the client refreshed once: only a second refresh shows which refresh token it kept (%s)",
					check.NotRunPrefix, o.Ending()))
			}
			exchanged := map[string]bool{} // refresh tokens the server took, answering with new ones
			for i, r := range refreshes {
				token := r.Form().Get("refresh_token")
				if exchanged[token] {
					Fail(fmt.Sprintf("refresh %d of %d presents a refresh token the client had already exchanged, for which "+
						"the authorization server issued a new one: the client must discard the old one and use the new (RFC 6749 §6); "+
						"a server detecting the reuse revokes the whole grant (RFC 9700 §4.14.2)", i+1, len(refreshes)))
				}
				if r.Status == http.StatusOK {
					exchanged[token] = true
				}
			}
		})

		It("sends its refresh token only to the token endpoint that issued it", check.ID("CL-REF-004"), func() {
			normal := check.Need(s.completedFlow())
			observations := []*Observation{normal}
			if o, err := s.Observe("auth/refresh"); err == nil {
				check.Attach(o)
				observations = append(observations, o)
			}
			if o, err := s.Observe("auth/authorization-server-migration"); err == nil {
				check.Attach(o)
				observations = append(observations, o)
			}
			held := false
			for _, o := range observations {
				for _, issued := range o.issuedRefreshTokens() {
					held = true
					for _, r := range o.Requests {
						if where := refreshTokenLeak(r, issued); where != "" {
							Fail(fmt.Sprintf("in %s the client sent its refresh token %s: a refresh token goes only to the token "+
								"endpoint of the authorization server that issued it (%s)", o.Scenario.Name, where, issued.tokenEndpoint))
						}
					}
				}
			}
			if !held {
				Skip(check.NotRunPrefix + "the authorization server issued the client no refresh token " +
					"(a client gets one only when it registers the refresh_token grant)")
			}
		})
	})
}

// expiring is the refresh scenario's observation, from a client that
// completes the normal flow.
func (s *Session) expiring() *Observation {
	check.Need(s.completedFlow())
	return check.Need(s.Observe("auth/refresh"))
}

// refreshing is the refresh scenario's observation when its client sent a
// refresh request there.
func (s *Session) refreshing() *Observation {
	o := s.expiring()
	if len(refreshRequests(o)) == 0 {
		skipNoRefresh(o)
	}
	return o
}

// skipNoRefresh skips a check of a client that sent no refresh request in
// o: as a failed prerequisite where another check judges why (it held a
// refresh token and met an expired access token: CL-REF-001; it stopped
// sending its access token: CL-TOK-002), otherwise as not run.
func skipNoRefresh(o *Observation) {
	switch {
	case len(o.RefreshTokens) == 0:
		Skip(fmt.Sprintf("%sin auth/refresh the authorization server issued the client no refresh token "+
			"(a client gets one only when it registers the refresh_token grant)", check.NotRunPrefix))
	case len(expiredTokenUses(o)) > 0 || len(o.AuthorizationRequests()) > 1:
		Skip(check.PrerequisitePrefix + "in auth/refresh the client held a refresh token and its access token expired, " +
			"yet it sent no refresh request (CL-REF-001)")
	case droppedToken(o):
		Skip(check.PrerequisitePrefix + "in auth/refresh the client sent an MCP request without its access token after it had one " +
			"(CL-TOK-002), so it never met an expired one")
	}
	Skip(fmt.Sprintf("%sin auth/refresh the client never sent an expired access token (%s)", check.NotRunPrefix, o.Ending()))
}

// droppedToken reports whether the client sent an MCP request without an
// access token after one with it.
func droppedToken(o *Observation) bool {
	authenticated := false
	for _, r := range o.MCPRequests() {
		has := r.Header.Get("Authorization") != ""
		if authenticated && !has {
			return true
		}
		authenticated = authenticated || has
	}
	return false
}

// refreshRequests are the token requests presenting a refresh token.
func refreshRequests(o *Observation) []mockserver.CapturedRequest {
	var out []mockserver.CapturedRequest
	for _, r := range o.TokenRequests() {
		if r.Form().Get("grant_type") == "refresh_token" {
			out = append(out, r)
		}
	}
	return out
}

// expiredTokenUses are the MCP requests whose access token was refused.
func expiredTokenUses(o *Observation) []mockserver.CapturedRequest {
	return slices.DeleteFunc(o.AuthenticatedMCPRequests(), func(r mockserver.CapturedRequest) bool {
		return r.Status != http.StatusUnauthorized
	})
}

// refreshTokenLeak says where request r carried the refresh token other
// than where it belongs: the refresh_token parameter of a form posted to
// the token endpoint. "" when it did not.
func refreshTokenLeak(r mockserver.CapturedRequest, issued issuedRefreshToken) string {
	token := issued.token
	where := carriedIn(r, token)
	if where == "" || where == "body" && r.Method == http.MethodPost && sameEndpoint(r.URL, issued.tokenEndpoint) &&
		r.Form().Get("refresh_token") == token {
		return ""
	}
	return fmt.Sprintf("in the %s of %s %s://%s%s", where, r.Method, r.URL.Scheme, r.URL.Host, r.URL.Path)
}
