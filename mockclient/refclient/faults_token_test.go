package refclient_test

import (
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockserver"
)

// authorizations are the Authorization headers of every request s captured.
func authorizations(s *mockserver.Server) []string {
	var out []string
	for _, r := range s.Requests() {
		out = append(out, r.Header.Values("Authorization")...)
	}
	return out
}

// The token response faults and the code exchange fault, each against what
// the reference does with the same answer.
var _ = Describe("the reference client's token response faults", func() {
	DescribeTable("acts on a token response without a usable access token only under its fault",
		func(answer fault.Name, skip fault.Name, refusal string) {
			s := serve(mockserver.WithRequestCapture(), mockserver.WithFaults(answer))
			Expect(runClient(s)).To(MatchError(ContainSubstring(refusal)))
			Expect(mcpAfterToken(s)).To(BeEmpty())

			s = serve(mockserver.WithRequestCapture(), mockserver.WithFaults(answer))
			Expect(runClient(s, skip)).To(MatchError(ContainSubstring("refclient: mcp")))
			Expect(mcpAfterToken(s)).NotTo(BeEmpty())
			Expect(authorizations(s)).To(ContainElement("Bearer no-token-was-issued"))
		},
		Entry(string(fault.ClientTokenAcceptMalformed), fault.ASTokenMalformedJSON, fault.ClientTokenAcceptMalformed, "not a JSON object"),
		Entry(string(fault.ClientTokenAcceptNoAccessToken), fault.ASTokenNoAccessToken, fault.ClientTokenAcceptNoAccessToken, "no access_token"),
	)

	It("takes token_type bearer in any case, and refuses another type", func() {
		s := serve(mockserver.WithTokenType("bearer"))
		Expect(runClient(s)).To(Succeed())
		Expect(mcpAfterToken(s)).NotTo(BeEmpty())

		s = serve(mockserver.WithTokenType("MAC"))
		Expect(runClient(s)).To(MatchError(ContainSubstring(`token_type is "MAC"`)))
		Expect(mcpAfterToken(s)).To(BeEmpty())
	})

	It(string(fault.ClientTokenIgnoreType)+" uses a token of another type as a Bearer token", func() {
		s := serve(mockserver.WithRequestCapture(), mockserver.WithTokenType("MAC"))
		Expect(runClient(s, fault.ClientTokenIgnoreType)).To(Succeed(), "the resource server takes the token it issued")
		Expect(mcpAfterToken(s)).NotTo(BeEmpty())

		s = serve(mockserver.WithTokenType("bearer"))
		Expect(runClient(s, fault.ClientTokenIgnoreType)).To(Succeed())
	})

	It(string(fault.ClientTokenTypeCaseSensitive)+" refuses token_type bearer in lower case", func() {
		s := serve(mockserver.WithTokenType("bearer"))
		Expect(runClient(s, fault.ClientTokenTypeCaseSensitive)).To(MatchError(ContainSubstring(`token_type is "bearer"`)))
		Expect(mcpAfterToken(s)).To(BeEmpty())

		s = serve()
		Expect(runClient(s, fault.ClientTokenTypeCaseSensitive)).To(Succeed(), "Bearer as spelt is taken")
	})

	It(string(fault.ClientFlowResponseTypeHybrid)+" asks for the hybrid response type, which the authorization server refuses", func() {
		s := serve()
		Expect(runClient(s)).To(Succeed())
		Expect(authorizationRequest(s).Get("response_type")).To(Equal("code"))

		s = serve()
		Expect(runClient(s, fault.ClientFlowResponseTypeHybrid)).To(MatchError(ContainSubstring("unsupported_response_type")))
		Expect(authorizationRequest(s).Get("response_type")).To(Equal("code id_token"))
		expectNoTokenRequest(s)
	})

	It(string(fault.ClientTokenNoRedirectURI)+" leaves redirect_uri out of the code exchange", func() {
		s := serve(mockserver.WithRequestCapture())
		Expect(runClient(s)).To(Succeed())
		Expect(tokenForms(s, "authorization_code")[0].Get("redirect_uri")).To(Equal(authorizationRequest(s).Get("redirect_uri")))

		s = serve(mockserver.WithRequestCapture())
		Expect(runClient(s, fault.ClientTokenNoRedirectURI)).To(MatchError(ContainSubstring("invalid_grant")))
		Expect(tokenForms(s, "authorization_code")[0].Has("redirect_uri")).To(BeFalse())
		Expect(authorizationRequest(s).Get("redirect_uri")).NotTo(BeEmpty())
	})
})

// The callback faults, each against what the reference does in the same
// place.
var _ = Describe("the reference client's callback faults", func() {
	It(string(fault.ClientCallbackAbortOnError)+" ends the pending flow on an injected error response", func() {
		s := serve(mockserver.WithInjectedErrorCallback())
		Expect(runClient(s)).To(Succeed(), "the reference passes over error responses that do not answer its request")
		Expect(mcpAfterToken(s)).NotTo(BeEmpty())

		s = serve(mockserver.WithInjectedErrorCallback())
		Expect(runClient(s, fault.ClientCallbackAbortOnError)).To(MatchError(ContainSubstring("error response")))
		expectNoTokenRequest(s)

		s = serve()
		Expect(runClient(s, fault.ClientCallbackAbortOnError)).To(Succeed(), "without an error response nothing changes")
	})

	It(string(fault.ClientCallbackOpenRedirect)+" sends the browser on to the next parameter an injected response names", func() {
		redirected := func(s *mockserver.Server) bool {
			for _, r := range s.Requests() {
				if strings.Contains(r.Decision, mockserver.InjectedRedirectDecision+" "+mockserver.OpenRedirectBait) {
					return true
				}
			}
			return false
		}
		s := serve(mockserver.WithRequestCapture(), mockserver.WithInjectedErrorCallback())
		Expect(runClient(s)).To(Succeed())
		Expect(redirected(s)).To(BeFalse())

		s = serve(mockserver.WithRequestCapture(), mockserver.WithInjectedErrorCallback())
		Expect(runClient(s, fault.ClientCallbackOpenRedirect)).To(Succeed(), "the real response still completes the flow")
		Expect(redirected(s)).To(BeTrue())
	})

	It(string(fault.ClientCallbackUnregisteredRedirect)+" authorizes with a redirect URI it did not register", func() {
		s := serve(mockserver.WithRequestCapture())
		Expect(runClient(s, fault.ClientCallbackUnregisteredRedirect)).NotTo(Succeed(), "the authorization server refuses it")
		registered := registrationMetadata(s)["redirect_uris"]
		Expect(registered).To(ConsistOf(MatchRegexp(`^http://127\.0\.0\.1:\d+/callback$`)))
		Expect(authorizationRequest(s).Get("redirect_uri")).To(Equal(registered.([]any)[0].(string) + "?flow=1"))
		Expect(requests(s, http.MethodPost, "/token")).To(BeEmpty())
	})
})
