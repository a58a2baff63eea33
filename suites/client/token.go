package client

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/suites/check"
)

// tokenResponseScenarios answer the code exchange with 200 and a token
// response the client must not act on, or one spelt unusually but right.
var tokenResponseScenarios = []Scenario{
	{Name: "auth/token-response-malformed", Since: spec.Rev20250326,
		Description: "the token endpoint answers the code exchange 200 with a body that is not JSON (half a token response)",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.ASTokenMalformedJSON)}},
	{Name: "auth/token-response-no-access-token", Since: spec.Rev20250326,
		Description: "the token endpoint answers the code exchange 200 with a JSON token response without access_token",
		Options:     []mockserver.Option{mockserver.WithFaults(fault.ASTokenNoAccessToken)}},
	{Name: "auth/token-type-not-bearer", Since: spec.Rev20250326,
		Description: "the token response's token_type is MAC, not Bearer",
		Options:     []mockserver.Option{mockserver.WithTokenType("MAC")}},
	{Name: "auth/token-type-lowercase", Since: spec.Rev20250326,
		Description: "the token response's token_type is bearer, in lower case (RFC 6749 §5.1: case insensitive)",
		Options:     []mockserver.Option{mockserver.WithTokenType("bearer")}},
}

// tokenlessAnswers are the scenarios whose token endpoint gives the client
// no usable access token for its code, and how it answers.
var tokenlessAnswers = map[string]string{
	"auth/token-refused":                  "refused the code with invalid_grant",
	"auth/token-response-malformed":       "answered 200 with a body that is not JSON",
	"auth/token-response-no-access-token": "answered 200 with JSON without access_token",
}

func describeTokenResponses(s *Session) {
	Describe("The token response and the code exchange", func() {
		It("uses no access token whose token_type is not Bearer", check.ID("CL-TOK-006"), func() {
			o := s.exchangedCode("auth/token-type-not-bearer")
			for _, r := range o.MCPRequests() {
				if scheme, _, _ := strings.Cut(r.Header.Get("Authorization"), " "); strings.EqualFold(scheme, "bearer") {
					Fail("the token response's token_type was MAC, and the client sent the access token as a Bearer token anyway: " +
						"a client must not use an access token whose type it does not understand (RFC 6749 §7.1); MCP uses Bearer tokens")
				}
			}
		})

		It("takes token_type bearer in any letter case", check.ID("CL-TOK-007"), func() {
			s.exchangedCode("auth/token-type-lowercase")
			s.expectCompletedIn("auth/token-type-lowercase", nil,
				"a token response whose token_type is bearer in lower case is a Bearer token response (RFC 6749 §5.1: the value is case insensitive)")
		})

		It("asks for a code, as the client its registration created", check.ID("CL-FLOW-004"), func() {
			judged := false
			for _, sc := range Scenarios() {
				o, err := s.Observe(sc.Name)
				if err != nil {
					continue
				}
				for _, r := range o.AuthorizationRequests() {
					judged = true
					check.Attach(o)
					q := r.URL.Query()
					if responseType := q.Get("response_type"); responseType != "code" {
						Fail(fmt.Sprintf("in %s the authorization request's response_type is %q: the authorization code flow asks for code "+
							"(OAuth 2.1 §4.1.1)", o.Scenario.Name, responseType))
					}
					if problem := unissuedClientID(o, q.Get("client_id")); problem != "" {
						Fail(fmt.Sprintf("in %s the authorization request %s (RFC 7591 §3.2.1: the registration response's client_id "+
							"identifies the client)", o.Scenario.Name, problem))
					}
				}
			}
			if !judged {
				s.skipUnjudged("the client sent no authorization request in any scenario")
			}
		})

		It("redeems each code with grant_type authorization_code and its authorization request's redirect_uri", check.ID("CL-FLOW-003"), func() {
			judged := false
			for _, sc := range Scenarios() {
				o, err := s.Observe(sc.Name)
				if err != nil {
					continue
				}
				for _, r := range o.TokenRequests() {
					form := r.Form()
					if !form.Has("code") {
						continue
					}
					judged = true
					check.Attach(o)
					if grant := form.Get("grant_type"); grant != "authorization_code" {
						Fail(fmt.Sprintf("in %s a token request redeeming a code has grant_type %q: a code exchange names "+
							"authorization_code (OAuth 2.1 §4.1.3, RFC 6749 §4.1.3)", o.Scenario.Name, grant))
					}
					if want := redirectURIsOf(authorizationRequestsFor(o, form.Get("code_verifier"))); len(want) > 0 &&
						!slices.Contains(want, form.Get("redirect_uri")) {
						Fail(fmt.Sprintf("in %s the code exchange's redirect_uri is %s, and the authorization request's was %s: "+
							"a code exchange repeats the authorization request's redirect_uri, identical (RFC 6749 §4.1.3)",
							o.Scenario.Name, quotedOrAbsent(form, "redirect_uri"), strings.Join(want, " or ")))
					}
				}
			}
			if !judged {
				s.skipUnjudged("the client redeemed no authorization code in any scenario")
			}
		})
	})
}

// unissuedClientID says what is wrong with the client_id of an
// authorization request in o, or "": where the client registered, it is
// one its registrations returned, unless it is its pre-registered one or
// a client ID metadata document's URL.
func unissuedClientID(o *Observation, clientID string) string {
	switch {
	case len(o.ClientIDs) == 0, slices.Contains(o.ClientIDs, clientID), strings.HasPrefix(clientID, "https://"),
		clientID == o.Scenario.Context["client_id"]:
		return ""
	case clientID == "":
		return "carries no client_id although the client registered"
	}
	return fmt.Sprintf("names client_id %q, which none of the %d registrations there returned", clientID, len(o.ClientIDs))
}

// exchangedCode is scenario name's observation once its client sent a
// code exchange there, from a client that completes the normal flow.
func (s *Session) exchangedCode(name string) *Observation {
	check.Need(s.completedFlow())
	o := check.Need(s.Observe(name))
	if len(codeExchanges(o)) == 0 {
		Skip(fmt.Sprintf("%sin %s the client sent no code exchange (%s)", check.NotRunPrefix, name, o.Ending()))
	}
	return o
}

// tokenlessExchanges are the scenarios of tokenlessAnswers where the
// client, one that completes the normal flow, sent a code exchange.
func (s *Session) tokenlessExchanges() []*Observation {
	check.Need(s.completedFlow())
	var out []*Observation
	for _, name := range slices.Sorted(maps.Keys(tokenlessAnswers)) {
		if o, err := s.Observe(name); err == nil && len(codeExchanges(o)) > 0 {
			check.Attach(o)
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		Skip(check.NotRunPrefix + "the client sent no code exchange where the token endpoint issues no usable token")
	}
	return out
}

// authorizationRequestsFor are the authorization requests a code exchange
// with verifier answers: the one whose S256 challenge it matches, else
// (a verifier matching none, which CL-PKCE-003 judges) every one of the
// scenario.
func authorizationRequestsFor(o *Observation, verifier string) []mockserver.CapturedRequest {
	all := o.AuthorizationRequests()
	matching := slices.DeleteFunc(slices.Clone(all), func(r mockserver.CapturedRequest) bool {
		return r.URL.Query().Get("code_challenge") != mockclient.S256(verifier)
	})
	if len(matching) == 0 {
		return all
	}
	return matching
}

// redirectURIsOf are the redirect_uri values of requests; empty when one
// of them carried none: its code exchange may then leave it out too.
func redirectURIsOf(requests []mockserver.CapturedRequest) []string {
	var out []string
	for _, r := range requests {
		if !r.URL.Query().Has("redirect_uri") {
			return nil
		}
		out = append(out, r.URL.Query().Get("redirect_uri"))
	}
	return out
}

// quotedOrAbsent names a form value for messages: quoted, or absent.
func quotedOrAbsent(form url.Values, name string) string {
	if !form.Has(name) {
		return "absent"
	}
	return fmt.Sprintf("%q", form.Get(name))
}
