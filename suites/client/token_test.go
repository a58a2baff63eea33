package client

import (
	"net/url"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/mockserver"
)

// authorizationAt is an authorization request with query q.
func authorizationAt(q url.Values) mockserver.CapturedRequest {
	return mockserver.CapturedRequest{URL: &url.URL{Scheme: "http", Host: "127.0.0.1:1", Path: "/authorize", RawQuery: q.Encode()}}
}

// The judging helpers take the other choices a compliant client may make.
var _ = Describe("redirect URI hygiene", func() {
	registered := []string{"http://127.0.0.1/callback"}

	DescribeTable("an authorization request's redirect_uri against the registered ones",
		func(q url.Values, registered []string, ok bool) {
			Expect(unregisteredRedirect(q, registered) == "").To(Equal(ok))
		},
		Entry("the registered one", url.Values{"redirect_uri": {"http://127.0.0.1/callback"}}, registered, true),
		Entry("a loopback IP registered without port, used with one", url.Values{"redirect_uri": {"http://127.0.0.1:5000/callback"}}, registered, true),
		Entry("left out, with one registered", url.Values{}, registered, true),
		Entry("left out, with two registered", url.Values{}, append(registered, "http://[::1]/callback"), false),
		Entry("another path", url.Values{"redirect_uri": {"http://127.0.0.1:5000/cb"}}, registered, false),
		Entry("a query added", url.Values{"redirect_uri": {"http://127.0.0.1:5000/callback?flow=1"}}, registered, false),
	)

	It("pairs a code exchange with the authorization request its verifier answers", func() {
		first := authorizationAt(url.Values{"code_challenge": {mockclient.S256("verifier-one")}, "redirect_uri": {"http://127.0.0.1:1/callback"}})
		second := authorizationAt(url.Values{"code_challenge": {mockclient.S256("verifier-two")}, "redirect_uri": {"http://127.0.0.1:2/callback"}})
		o := &Observation{Requests: []mockserver.CapturedRequest{first, second},
			Endpoints: mockserver.Endpoints{Authorization: "http://127.0.0.1:1/authorize"}}
		Expect(redirectURIsOf(authorizationRequestsFor(o, "verifier-two"))).To(Equal([]string{"http://127.0.0.1:2/callback"}))
		Expect(redirectURIsOf(authorizationRequestsFor(o, "no-match"))).To(HaveLen(2), "a verifier matching none is judged against every request")
	})

	It("lets a code exchange leave out redirect_uri when its authorization request did", func() {
		Expect(redirectURIsOf([]mockserver.CapturedRequest{authorizationAt(url.Values{})})).To(BeEmpty())
	})
})

var _ = DescribeTable("an authorization request's client_id against the registrations",
	func(clientIDs []string, context map[string]any, clientID string, ok bool) {
		o := &Observation{ClientIDs: clientIDs, Scenario: Scenario{Context: context}}
		Expect(unissuedClientID(o, clientID) == "").To(Equal(ok))
	},
	Entry("no registration there", nil, nil, "anything", true),
	Entry("the one registered", []string{"a"}, nil, "a", true),
	Entry("the later of two registered", []string{"a", "b"}, nil, "b", true),
	Entry("a client ID metadata document", []string{"a"}, nil, "https://client.example/metadata.json", true),
	Entry("the pre-registered one, after registering too", []string{"a"}, map[string]any{"client_id": "pre"}, "pre", true),
	Entry("one of its own making", []string{"a"}, nil, "mine", false),
	Entry("none", []string{"a"}, nil, "", false),
)
