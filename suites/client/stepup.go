package client

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/suites/check"
)

// maxStepUpAuthorizations bounds the authorization requests of a client
// that no step-up helps: the first and two step-ups, as the official MCP
// conformance suite allows ("3 or fewer").
const maxStepUpAuthorizations = 3

func describeStepUp(s *Session) {
	Describe("Step-up authorization", func() {
		It("re-authorizes for the scopes a 403 insufficient_scope names", check.ID("CL-SCOPE-003"), func() {
			u := s.stepUpIn("auth/scope-step-up")
			at := u.expectReauthorization("a client acting for a user should step up, re-authorizing for the challenged scopes")
			reauth := u.o.Requests[at]
			if missing := without(u.challenged, scopesOf(reauth)); len(missing) > 0 {
				Fail(fmt.Sprintf("the step-up authorization request asked for scope %q, without %q that the 403 challenge named: "+
					"the challenged scopes are what the refused request needs", reauth.URL.Query().Get("scope"), strings.Join(missing, " ")))
			}
			if !u.retriedAfter(at) {
				Fail(fmt.Sprintf("after the step-up the client never sent %s again with a new token: the refused request is "+
					"retried with the new authorization (%s)", u.refusedCall(), u.o.Ending()))
			}
		})

		It("keeps the scopes it held when it steps up", check.ID("CL-SCOPE-004"), func() {
			u := s.stepUpIn("auth/scope-step-up")
			held := u.heldScopes()
			reauth := u.o.Requests[u.expectReauthorization(fmt.Sprintf(
				"it never asked for the scopes it held (%q) together with the challenged ones", strings.Join(held, " ")))]
			if dropped := without(held, scopesOf(reauth)); len(dropped) > 0 {
				Fail(fmt.Sprintf("the step-up authorization request asked for scope %q, dropping %q that the client asked for before: "+
					"re-authorizing, a client asks for the union of the scopes it held and those challenged, since the challenge "+
					"need not name the scopes already granted", reauth.URL.Query().Get("scope"), strings.Join(dropped, " ")))
			}
		})

		It("bounds its step-up attempts", check.ID("CL-SCOPE-005"), func() {
			u := s.stepUpIn("auth/scope-retry-limit")
			if n := len(u.o.AuthorizationRequests()); n > maxStepUpAuthorizations {
				Fail(fmt.Sprintf("the client sent %d authorization requests although the MCP server answered %s 403 insufficient_scope "+
					"whatever its token held: step-ups must be limited (at most %d authorizations here) and end in an error, not a loop",
					n, u.refusedCall(), maxStepUpAuthorizations))
			}
		})
	})
}

// stepUp is a scenario's first MCP request refused with 403
// insufficient_scope, and the requests around it.
type stepUp struct {
	o          *Observation
	at         int // the refused request's index in o.Requests
	challenged []string
}

// stepUpIn finds the first 403 insufficient_scope of scenario name, from a
// client that completes the normal flow. A client that never met one
// shows nothing about stepping up: it never listed the tools there, or its
// token held every scope already, or no valid token came with the list.
func (s *Session) stepUpIn(name string) *stepUp {
	check.Need(s.completedFlow())
	o := check.Need(s.Observe(name))
	for i, r := range o.Requests {
		if !sameEndpoint(r.URL, o.MCPURL) || r.Status != http.StatusForbidden {
			continue
		}
		if challenge, err := mockclient.ParseBearerChallenge(r.Challenges); err == nil && challenge.Params["error"] == "insufficient_scope" {
			return &stepUp{o: o, at: i, challenged: strings.Fields(challenge.Params["scope"])}
		}
	}
	mcp := o.MCPRequests()
	switch {
	case !slices.ContainsFunc(mcp, func(r mockserver.CapturedRequest) bool { return slices.Contains(rpcMethods(r.Body), "tools/list") }):
		Skip(fmt.Sprintf("%sin %s the client never sent tools/list, the request whose scope the scenario raises (%s)",
			check.NotRunPrefix, name, o.Ending()))
	case slices.ContainsFunc(mcp, func(r mockserver.CapturedRequest) bool {
		return r.Status == http.StatusOK && r.Header.Get("Authorization") != "" && slices.Contains(rpcMethods(r.Body), "tools/list")
	}):
		var asked []string
		for _, r := range o.AuthorizationRequests() {
			asked = append(asked, fmt.Sprintf("%q", r.URL.Query().Get("scope")))
		}
		Skip(fmt.Sprintf("%sin %s no request was answered 403 insufficient_scope: the client's first token held every scope "+
			"tools/list needs, as it asked for more than the 401 challenge named (scope %s; CL-SCOPE-001)",
			check.PrerequisitePrefix, name, strings.Join(asked, ", then ")))
	}
	Skip(fmt.Sprintf("%sin %s no request was answered 403 insufficient_scope: the client never sent tools/list with a valid access token (%s)",
		check.PrerequisitePrefix, name, o.Ending()))
	return nil
}

// refused is the request the 403 answered.
func (u *stepUp) refused() mockserver.CapturedRequest { return u.o.Requests[u.at] }

// refusedCall names the refused request's JSON-RPC method(s) for messages.
func (u *stepUp) refusedCall() string {
	if methods := rpcMethods(u.refused().Body); len(methods) > 0 {
		return strings.Join(methods, ", ")
	}
	return "an MCP request"
}

// heldScopes are the scopes of the last authorization request before the
// 403: what the refused token was asked for.
func (u *stepUp) heldScopes() []string {
	var held []string
	for _, r := range u.o.Requests[:u.at] {
		if sameEndpoint(r.URL, u.o.Endpoints.Authorization) {
			held = scopesOf(r)
		}
	}
	return held
}

// expectReauthorization is the index in o.Requests of the first
// authorization request after the 403, failing the check when there is
// none: without says what the client then failed to do.
func (u *stepUp) expectReauthorization(without string) int {
	for i := u.at + 1; i < len(u.o.Requests); i++ {
		if sameEndpoint(u.o.Requests[i].URL, u.o.Endpoints.Authorization) {
			return i
		}
	}
	Fail(fmt.Sprintf("after %s was answered 403 insufficient_scope naming scope %q, the client sent no authorization request: %s (%s)",
		u.refusedCall(), strings.Join(u.challenged, " "), without, u.o.Ending()), 1)
	return -1
}

// retriedAfter reports whether, after the request at index reauth, the
// client sent tools/list with another token than the one refused.
func (u *stepUp) retriedAfter(reauth int) bool {
	refusedWith := u.refused().Header.Get("Authorization")
	for _, r := range u.o.Requests[reauth+1:] {
		token := r.Header.Get("Authorization")
		if sameEndpoint(r.URL, u.o.MCPURL) && token != "" && token != refusedWith && slices.Contains(rpcMethods(r.Body), "tools/list") {
			return true
		}
	}
	return false
}

// scopesOf is the scope an authorization request asked for.
func scopesOf(r mockserver.CapturedRequest) []string {
	return strings.Fields(r.URL.Query().Get("scope"))
}

// without is want less the scopes in got.
func without(want, got []string) []string {
	return slices.DeleteFunc(slices.Clone(want), func(sc string) bool { return slices.Contains(got, sc) })
}

// rpcMethods are the JSON-RPC methods a request body (a message or a
// batch) calls; none when it is not JSON-RPC.
func rpcMethods(body string) []string {
	var messages []struct {
		Method string `json:"method"`
	}
	if trimmed := strings.TrimSpace(body); !strings.HasPrefix(trimmed, "[") {
		body = "[" + body + "]"
	}
	if json.Unmarshal([]byte(body), &messages) != nil {
		return nil
	}
	var out []string
	for _, m := range messages {
		if m.Method != "" {
			out = append(out, m.Method)
		}
	}
	return out
}
