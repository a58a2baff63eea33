package client

import (
	"fmt"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/suites/check"
)

// expectStoppedAfter judges a refusal: in scenario name the client must
// send no authorization or token request once it has read one of the
// documents it should refuse. A client that never read them, or that cannot
// complete the normal flow, shows nothing about refusing.
func (s *Session) expectStoppedAfter(name string, documents []string, requirement string) {
	check.Need(s.completedFlow())
	o := check.Need(s.Observe(name))
	if !fetchedAny(o, documents) {
		Skip(fmt.Sprintf("%sin %s the client never fetched the %s (%s)", check.NotRunPrefix, name, strings.Join(documents, " or "), o.Ending()))
	}
	expectNone(o.AuthorizationRequests(), "authorization", requirement)
	expectNone(o.TokenRequests(), "token", requirement)
}

// fetchedAny reports whether the client fetched one of documents (named as
// mockserver.URLs names them).
func fetchedAny(o *Observation, documents []string) bool {
	for _, doc := range documents {
		if url, ok := o.URLs[doc]; ok && len(o.To(url)) > 0 {
			return true
		}
	}
	return false
}

// expectNoRedemption judges a refused authorization response: in scenario
// name the client sent an authorization request, got the response the
// scenario spoils, and must not redeem it.
func (s *Session) expectNoRedemption(name, requirement string) *Observation {
	o := s.expectAnswered(name)
	expectNone(o.TokenRequests(), "token", requirement)
	return o
}

// expectAnswered is scenario name's observation once its client got an
// authorization response there, from a client that completes the normal flow.
func (s *Session) expectAnswered(name string) *Observation {
	check.Need(s.completedFlow())
	o := check.Need(s.Observe(name))
	if len(o.AuthorizationRequests()) == 0 {
		Skip(fmt.Sprintf("%sin %s the client sent no authorization request (%s)", check.NotRunPrefix, name, o.Ending()))
	}
	return o
}

func expectNone(requests []mockserver.CapturedRequest, kind, requirement string) {
	if len(requests) > 0 {
		Fail(fmt.Sprintf("%s: the client sent %d %s request(s) anyway", requirement, len(requests), kind), 1)
	}
}

// codeExchanges are the token requests redeeming an authorization code.
func codeExchanges(o *Observation) []mockserver.CapturedRequest {
	return grantRequests(o, "authorization_code")
}

// grantRequests are the token requests of grant type grant.
func grantRequests(o *Observation, grant string) []mockserver.CapturedRequest {
	var out []mockserver.CapturedRequest
	for _, r := range o.TokenRequests() {
		if r.Form().Get("grant_type") == grant {
			out = append(out, r)
		}
	}
	return out
}

// severalFlows are the observations whose client sent an authorization
// request, each one flow of the client's; freshness needs two of them, and
// a client that completes the normal flow.
func (s *Session) severalFlows() []*Observation {
	check.Need(s.completedFlow())
	var out []*Observation
	for _, sc := range Scenarios() {
		if o, err := s.Observe(sc.Name); err == nil && len(o.AuthorizationRequests()) > 0 {
			out = append(out, o)
		}
	}
	if len(out) < 2 {
		Skip(check.NotRunPrefix + "fewer than two flows of the client were observed: freshness needs two")
	}
	return out
}

// expectFresh notes value as used in scenario, failing when another flow
// used it already.
func expectFresh(seen map[string]string, value, scenario, what string) {
	if other, ok := seen[value]; ok && other != scenario {
		Fail(fmt.Sprintf("the client used the same %s in %s and %s: each flow needs a fresh one", what, other, scenario), 1)
	}
	seen[value] = scenario
}

// skipUnjudged skips a check that found nothing to judge in any scenario:
// for want of the normal flow, which CL-FLOW-001 judges, else as not run
// because the client never did what it judges.
func (s *Session) skipUnjudged(why string) {
	check.Need(s.completedFlow())
	Skip(check.NotRunPrefix + why)
}

// carriedIn says where request r holds secret: "query", "NAME header" or
// "body", the first found in that order; "" when nowhere.
func carriedIn(r mockserver.CapturedRequest, secret string) string {
	if secret == "" {
		return ""
	}
	if strings.Contains(r.URL.RawQuery, secret) {
		return "query"
	}
	for name, values := range r.Header {
		if slices.ContainsFunc(values, func(v string) bool { return strings.Contains(v, secret) }) {
			return name + " header"
		}
	}
	if strings.Contains(r.Body, secret) {
		return "body"
	}
	return ""
}
