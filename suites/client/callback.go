package client

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/suites/check"
)

// minStateLength: a state of fewer characters carries too little entropy
// to be unguessable, whatever alphabet it uses.
const minStateLength = 16

func describeCallback(s *Session) {
	Describe("The authorization response", func() {
		It("sends a fresh, unguessable state", check.ID("CL-STATE-001"), func() {
			flows := s.severalFlows()
			seen := map[string]string{}
			for _, o := range flows {
				check.Attach(o)
				for _, r := range o.AuthorizationRequests() {
					state := r.URL.Query().Get("state")
					if len(state) < minStateLength {
						Fail(fmt.Sprintf("in %s the authorization request's state has %d characters: it should be an unguessable value of at least %d",
							o.Scenario.Name, len(state), minStateLength))
					}
					expectFresh(seen, state, o.Scenario.Name, "state")
				}
			}
		})

		It("rejects an authorization response with another state", check.ID("CL-STATE-002"), func() {
			s.expectNoRedemptionWithState("auth/state-wrong",
				"an authorization response whose state differs from the request's must be rejected before any token request")
		})

		It("rejects an authorization response without state", check.ID("CL-STATE-003"), func() {
			s.expectNoRedemptionWithState("auth/state-missing",
				"an authorization response without the state the request sent must be rejected before any token request")
		})

		It("compares iss exactly, without normalising it", check.ID("CL-ISS-003"), func() {
			for _, name := range []string{"auth/iss-normalized", "auth/iss-percent-encoded"} {
				s.expectNoRedemption(name, "an iss that equals the issuer only once normalised (a trailing slash, percent-encoding) "+
					"must be rejected: RFC 9207 compares the strings as they are")
			}
		})

		It("accepts a matching iss its server does not advertise", check.ID("CL-ISS-004"), func() {
			s.expectCompletedIn("auth/iss-unexpected", nil,
				"an authorization response whose iss matches the issuer should be accepted although the metadata does not advertise iss")
		})

		It("proceeds when its server neither advertises nor sends iss", check.ID("CL-ISS-005"), func() {
			s.expectCompletedIn("auth/iss-not-advertised", nil,
				"an authorization response without iss from a server that does not advertise it should be accepted")
		})

		It("passes over an authorization response injected at its callback", check.ID("CL-CB-001"), func() {
			o := s.expectAnswered("auth/injected-callback")
			expectInjected(o)
			for _, r := range o.TokenRequests() {
				if r.Form().Get("code") == mockserver.InjectedCode {
					Fail("the client redeemed the code of an authorization response an attacker delivered at its callback: " +
						"a response that does not answer the pending request (its state) must be passed over")
				}
			}
		})

		It("passes over an error response injected at its callback, and completes its flow", check.ID("CL-CB-003"), func() {
			o := s.expectAnswered("auth/injected-error-callback")
			expectInjected(o)
			if !o.servedWithToken() {
				Fail("error responses (access_denied) an attacker delivered at the client's redirect URI, with a forged state and with none, " +
					"ended the pending flow: a response that does not answer the pending request (its state) must be passed over, " +
					"and the real one completes the flow (RFC 9700 §4.7; " + o.Ending() + ")")
			}
		})

		It("sends the browser nowhere an injected response names", check.ID("CL-CB-004"), func() {
			o := s.expectAnswered("auth/injected-error-callback")
			expectInjected(o)
			for _, r := range o.AuthorizationRequests() {
				for _, decision := range strings.Split(r.Decision, "; ") {
					if location, ok := strings.CutPrefix(decision, mockserver.InjectedRedirectDecision+" "); ok &&
						strings.HasPrefix(location, mockserver.OpenRedirectBait) {
						Fail(fmt.Sprintf("an attacker's request to the client's redirect URI asked it to send the browser on to %s "+
							"(next, return_to, redirect), and it answered with a redirect there: a redirect URI that sends the "+
							"browser wherever a request says is an open redirector (RFC 9700 §4.11.1)", location))
					}
				}
			}
		})

		It("hands the code and state at its redirect URI to no other origin", check.ID("CL-CB-005"), func() {
			judged := false
			// auth/dcr first, where a failure reads plainest.
			ordered := Scenarios()
			slices.SortStableFunc(ordered, func(a, b Scenario) int { return compareBool(a.Name != "auth/dcr", b.Name != "auth/dcr") })
			for _, sc := range ordered {
				o, err := s.Observe(sc.Name)
				if err != nil {
					continue
				}
				for _, page := range o.CallbackPages {
					judged = true
					if leaks := callbackPageLeaks(page); len(leaks) > 0 {
						check.Attach(o)
						Fail(o.redacted(fmt.Sprintf("in %s the page at the client's redirect URI %s, whose URL carries the code and state, "+
							"hands them to other origins: %s. The page rendered for an authorization response should include no "+
							"third-party resources or links, and a Referrer-Policy such as no-referrer keeps its URL from other origins "+
							"(RFC 9700 §4.2.4)", sc.Name, page.URL, strings.Join(leaks, "; "))))
					}
				}
			}
			if !judged {
				s.skipUnjudged("no browse through `mcpconform browse` ended on the client's redirect URI: " +
					"the client opens no $BROWSER, or its redirect URI is not on loopback")
			}
		})

		It("redeems the code of the authorization response, never a token in it", check.ID("CL-CB-002"), func() {
			o := s.expectAnswered("auth/front-channel-token")
			for _, r := range o.MCPRequests() {
				if strings.Contains(r.Header.Get("Authorization"), mockserver.FrontChannelToken) {
					Fail("the client used the access token the authorization response carried: " +
						"tokens come from the token endpoint, in exchange for the code")
				}
			}
		})

		It("takes an authorization response once: an earlier one replayed is passed over", check.ID("CL-CB-006"), func() {
			name := "auth/replayed-callback"
			o := s.expectAnswered(name)
			authorizations := o.AuthorizationRequests()
			if len(authorizations) < 2 {
				Skip(fmt.Sprintf("%sin %s the client authorized once: it did not step up (CL-SCOPE-003), so no later flow took "+
					"the replayed first response (%s)", check.PrerequisitePrefix, name, o.Ending()))
			}
			expectInjected(o)
			redeemed := map[string]bool{}
			completed := false
			for _, r := range codeExchanges(o) {
				code := r.Form().Get("code")
				if redeemed[code] {
					Fail(fmt.Sprintf("in %s the client redeemed the code of its first authorization response again, when an attacker "+
						"replayed that response during a later flow: a response answers one pending request, and its state is spent "+
						"once it has (RFC 9700 §4.7.1; RFC 6749 §10.12)", name))
				}
				redeemed[code] = true
				completed = completed || r.Time.After(authorizations[1].Time) && r.Status == http.StatusOK
			}
			if !completed {
				Fail(fmt.Sprintf("in %s the replayed first authorization response ended the later flow: no code was redeemed after "+
					"the second authorization request (%s); a response that does not answer the pending request is passed over "+
					"(RFC 9700 §4.7.1)", name, o.Ending()))
			}
		})

		It("rejects an authorization response naming another issuer", check.ID("CL-ISS-001"), func() {
			s.expectNoRedemption("auth/iss-wrong-issuer",
				"an authorization response whose iss is not the authorization server's issuer must be rejected")
		})

		It("rejects an authorization response without iss from a server that advertises it", check.ID("CL-ISS-002"), func() {
			s.expectNoRedemption("auth/iss-supported-missing",
				"an authorization response without iss must be rejected when the metadata advertises authorization_response_iss_parameter_supported")
		})

		It("never redeems another authorization server's code at its own (mix-up)", check.ID("CL-ISS-006"), func() {
			o := s.expectAnswered("auth/mix-up")
			if !slices.ContainsFunc(o.To(o.Honest.Endpoints.Authorization), func(r mockserver.CapturedRequest) bool {
				return strings.Contains(r.Decision, mockserver.CodeIssuedDecision)
			}) {
				Skip(fmt.Sprintf("%sin auth/mix-up the honest authorization server %s issued no code: the user agent never got there, "+
					"or it refused the request (%s)", check.NotRunPrefix, o.Honest.Issuer, o.Ending()))
			}
			if leaked := codeExchanges(o); len(leaked) > 0 {
				Fail(fmt.Sprintf("the authorization server %s issued no code (it sent the user agent on to %s), and the client redeemed "+
					"the code that came back, iss=%s, at the token endpoint of %s %d time(s), code verifier included: a mix-up attacker "+
					"gets a code and verifier good at the honest server. A client checks iss against the issuer it sent the "+
					"request to and stops on a mismatch (RFC 9207 §2.4; RFC 9700 §4.4.2; MCP 2026-07-28)",
					o.Issuer, o.Honest.Issuer, o.Honest.Issuer, o.Issuer, len(leaked)))
			}
		})
	})
}

// expectNoRedemptionWithState is expectNoRedemption for a client that sends
// state: one that sends none cannot compare it, which CL-STATE-001 reports.
func (s *Session) expectNoRedemptionWithState(name, requirement string) {
	check.Need(s.completedFlow())
	if o, err := s.Observe(name); err == nil {
		for _, r := range o.AuthorizationRequests() {
			if r.URL.Query().Get("state") == "" {
				Skip(check.PrerequisitePrefix + "the client sends no state to compare (CL-STATE-001)")
			}
		}
	}
	s.expectNoRedemption(name, requirement)
}

// expectInjected skips a check whose scenario's attacker never reached the
// client's redirect URI: only loopback http ones are hit, so there is
// nothing to judge.
func expectInjected(o *Observation) {
	if !slices.ContainsFunc(o.AuthorizationRequests(), func(r mockserver.CapturedRequest) bool {
		return strings.Contains(r.Decision, mockserver.InjectedDecision)
	}) {
		Skip(check.NotRunPrefix + "in " + o.Scenario.Name + " the attacker's responses never reached the client's redirect URI " +
			"(only loopback http ones are hit)")
	}
}
