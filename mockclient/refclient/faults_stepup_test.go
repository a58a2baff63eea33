package refclient_test

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

// stepUp is the auth/scope-step-up situation at rev: tools/list needs
// mcp:write too; from 2026-07-28 the 403 names only the scope lacking.
func stepUp(rev spec.Revision) *mockserver.Server {
	return serve(mockserver.WithRevision(rev), mockserver.WithScopeForToolList("mcp:write"),
		mockserver.WithChallengeOmittingHeldScopes())
}

// neverEnough is the auth/scope-retry-limit situation: tools/list is
// refused whatever the token holds.
func neverEnough() *mockserver.Server {
	return serve(mockserver.WithScopeForToolList("mcp:write"), mockserver.WithToolListAlwaysInsufficient())
}

// scopesAsked are the scopes of the authorization requests s received, in
// order.
func scopesAsked(s *mockserver.Server) []string {
	var out []string
	for _, ev := range requests(s, http.MethodGet, "/authorize") {
		out = append(out, query(ev).Get("scope"))
	}
	return out
}

// The step-up faults, each against what the reference does in the same
// place.
var _ = Describe("the reference client's step-up faults", func() {
	DescribeTable("the reference steps up to the scopes it held and those challenged, and lists the tools",
		func(rev spec.Revision) {
			s := stepUp(rev)
			Expect(runClient(s)).To(Succeed())
			Expect(scopesAsked(s)).To(Equal([]string{"mcp:tools", "mcp:tools mcp:write"}))
			Expect(requests(s, http.MethodPost, "/register")).To(HaveLen(1), "one client for both authorizations")
			mcp := mcpRequests(s)
			Expect(mcp[len(mcp)-1].Status).To(BeNumerically("<", 300), "the session ends well with the new token")
		},
		revisionEntries(spec.Rev20251125))

	It("the reference stops when a step-up does not help", func() {
		s := neverEnough()
		Expect(runClient(s)).To(MatchError(ContainSubstring("Forbidden")))
		Expect(scopesAsked(s)).To(Equal([]string{"mcp:tools", "mcp:tools mcp:write"}))
	})

	It(string(fault.ClientNoStepUp)+" ends the run at the 403", func() {
		s := stepUp(spec.Latest)
		Expect(runClient(s, fault.ClientNoStepUp)).To(MatchError(ContainSubstring("tools/list")))
		Expect(scopesAsked(s)).To(Equal([]string{"mcp:tools"}))
	})

	It(string(fault.ClientStepUpReplacesScopes)+" asks only for the challenged scope and loses the one it held", func() {
		s := stepUp(spec.Rev20251125) // the challenge names the held scope too
		Expect(runClient(s, fault.ClientStepUpReplacesScopes)).To(Succeed())
		Expect(scopesAsked(s)).To(Equal([]string{"mcp:tools", "mcp:tools mcp:write"}))

		s = stepUp(spec.Rev20260728)
		Expect(runClient(s, fault.ClientStepUpReplacesScopes)).NotTo(Succeed())
		Expect(scopesAsked(s)).To(Equal([]string{"mcp:tools", "mcp:write", "mcp:tools"}), "bounded at two step-ups")
	})

	It(string(fault.ClientStepUpUnbounded)+" steps up ten times for a scope it already asked for", func() {
		s := neverEnough()
		Expect(runClient(s, fault.ClientStepUpUnbounded)).NotTo(Succeed())
		asked := scopesAsked(s)
		Expect(asked).To(HaveLen(11))
		Expect(asked[1:]).To(HaveEach("mcp:tools mcp:write"))
	})
})

var _ = Describe("the reference client and a replayed authorization response", func() {
	replaying := func() *mockserver.Server {
		return serve(mockserver.WithRequestCapture(), mockserver.WithScopeForToolList("mcp:write"),
			mockserver.WithChallengeOmittingHeldScopes(), mockserver.WithReplayedCallback())
	}

	It("passes over the first response replayed during the step-up, and completes the step-up", func() {
		s := replaying()
		Expect(runClient(s)).To(Succeed())
		Expect(tokenForms(s, "authorization_code")).To(HaveLen(2))
	})

	It(string(fault.ClientCallbackAcceptSpentState)+" redeems the replayed first code again", func() {
		s := replaying()
		Expect(runClient(s, fault.ClientCallbackAcceptSpentState)).NotTo(Succeed())
		exchanges := tokenForms(s, "authorization_code")
		Expect(exchanges).To(HaveLen(2))
		Expect(exchanges[1].Get("code")).To(Equal(exchanges[0].Get("code")))
	})
})
