package refclient_test

import (
	"encoding/json"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockclient/refclient"
	"github.com/mcpconform/mcpconform/mockserver"
)

// The registration and token endpoint faults, each against what the
// reference does in the same place.
var _ = Describe("the reference client's registration and token endpoint faults", func() {
	It(string(fault.ClientNoApplicationType)+" registers without application_type", func() {
		s := serve(mockserver.WithRequestCapture())
		Expect(runClient(s)).To(Succeed())
		Expect(registrationMetadata(s)).To(HaveKeyWithValue("application_type", "native"))

		s = serve(mockserver.WithRequestCapture())
		Expect(runClient(s, fault.ClientNoApplicationType)).To(Succeed())
		Expect(registrationMetadata(s)).NotTo(HaveKey("application_type"))
	})

	It(string(fault.ClientIgnoreRegisteredAuthMethod)+" authenticates as a public client whatever the registration answered", func() {
		s := serve(mockserver.WithRegistrationAuthMethod("client_secret_post"), mockserver.WithRequestCapture())
		Expect(runClient(s)).To(Succeed())
		Expect(tokenForms(s, "authorization_code")[0].Get("client_secret")).NotTo(BeEmpty())

		s = serve(mockserver.WithRegistrationAuthMethod("client_secret_post"), mockserver.WithRequestCapture())
		Expect(runClient(s, fault.ClientIgnoreRegisteredAuthMethod)).NotTo(Succeed(), "the server refuses the unauthenticated code exchange")
		Expect(tokenForms(s, "authorization_code")[0].Has("client_secret")).To(BeFalse())
	})

	It(string(fault.ClientIgnorePreregistered)+" registers although the context names its client", func() {
		preregistered := mockserver.WithClient(mockserver.Client{ID: "pre-registered", RedirectURIs: []string{"http://127.0.0.1/callback"}})
		context := map[string]any{"client_id": "pre-registered"}
		s := serve(preregistered)
		Expect(runWith(s, refclient.Config{Context: context})).To(Succeed())
		Expect(requests(s, http.MethodPost, "/register")).To(BeEmpty())
		Expect(authorizationRequest(s).Get("client_id")).To(Equal("pre-registered"))

		s = serve(preregistered)
		Expect(runWith(s, refclient.Config{Context: context, Faults: []fault.Name{fault.ClientIgnorePreregistered}})).To(Succeed())
		Expect(requests(s, http.MethodPost, "/register")).To(HaveLen(1))
		Expect(authorizationRequest(s).Get("client_id")).NotTo(Equal("pre-registered"))
	})

	It(string(fault.ClientRedirectLocalhost)+" registers and uses a localhost redirect URI, and gets the response there", func() {
		s := serve(mockserver.WithRequestCapture())
		Expect(runClient(s, fault.ClientRedirectLocalhost)).To(Succeed())
		redirectURI := authorizationRequest(s).Get("redirect_uri")
		Expect(redirectURI).To(MatchRegexp(`^http://localhost:\d+/callback$`))
		Expect(registrationMetadata(s)).To(HaveKeyWithValue("redirect_uris", ConsistOf(redirectURI)))
		Expect(mcpAfterToken(s)).NotTo(BeEmpty())
	})

	It(string(fault.ClientRetryRegistration)+" repeats a refused registration", func() {
		s := serve(protectedRegistration)
		err := runClient(s)
		Expect(err).To(MatchError(ContainSubstring("client registration")))
		Expect(err).NotTo(MatchError(refclient.ErrRefused))
		Expect(requests(s, http.MethodPost, "/register")).To(HaveLen(1))

		s = serve(protectedRegistration)
		Expect(runClient(s, fault.ClientRetryRegistration)).NotTo(Succeed())
		Expect(requests(s, http.MethodPost, "/register")).To(HaveLen(11))
		expectNoAuthorizationRequest(s)
	})

	It(string(fault.ClientIgnoreRegistrationError)+" authorizes with a client_id nobody issued after a refused registration", func() {
		s := serve(protectedRegistration)
		Expect(runClient(s, fault.ClientIgnoreRegistrationError)).To(MatchError(ContainSubstring("refclient: user agent")))
		Expect(requests(s, http.MethodPost, "/register")).To(HaveLen(1))
		Expect(authorizationRequest(s).Get("client_id")).To(Equal("mcpconform-unregistered-client"))
		Expect(requests(s, http.MethodPost, "/token")).To(BeEmpty())
	})

	It(string(fault.ClientRetryToken)+" repeats a refused code exchange", func() {
		s := serve(mockserver.WithFaults(fault.ASTokenRefuseCodes))
		Expect(runClient(s)).To(MatchError(ContainSubstring("invalid_grant")))
		Expect(mcpAfterToken(s)).To(BeEmpty())

		s = serve(mockserver.WithFaults(fault.ASTokenRefuseCodes))
		Expect(runClient(s, fault.ClientRetryToken)).NotTo(Succeed())
		Expect(requests(s, http.MethodPost, "/token")).To(HaveLen(11))
		Expect(requests(s, http.MethodGet, "/authorize")).To(HaveLen(1))
	})

	It(string(fault.ClientIgnoreTokenError)+" calls the MCP server with a Bearer value though no token was issued", func() {
		s := serve(mockserver.WithRequestCapture(), mockserver.WithFaults(fault.ASTokenRefuseCodes))
		Expect(runClient(s, fault.ClientIgnoreTokenError)).To(MatchError(ContainSubstring("refclient: mcp")))
		after := mcpAfterToken(s)
		Expect(after).NotTo(BeEmpty())
		Expect(after[0].Status).To(Equal(http.StatusUnauthorized))
		Expect(authorizations(s)).To(ContainElement("Bearer no-token-was-issued"))
	})
})

var _ = Describe("the reference client's initial access token", func() {
	const token = "an-initial-access-token-from-the-context"
	withToken := refclient.Config{Context: map[string]any{"initial_access_token": token}}
	bearers := func(s *mockserver.Server, path string) []string {
		var out []string
		for _, r := range s.Requests() {
			if strings.HasSuffix(r.URL.Path, path) && r.Header.Get("Authorization") == "Bearer "+token {
				out = append(out, r.URL.Path)
			}
		}
		return out
	}

	It("registers with the context's initial access token and sends it nowhere else", func() {
		s := serve(mockserver.WithRequestCapture(), mockserver.WithInitialAccessToken(token))
		Expect(runWith(s, withToken)).To(Succeed())
		Expect(bearers(s, "/register")).To(HaveLen(1))
		Expect(bearers(s, "")).To(HaveLen(1))
	})

	It(string(fault.ClientInitialAccessTokenToMCP)+" sends it to the MCP server as well", func() {
		s := serve(mockserver.WithRequestCapture(), mockserver.WithInitialAccessToken(token))
		withFault := withToken
		withFault.Faults = []fault.Name{fault.ClientInitialAccessTokenToMCP}
		Expect(runWith(s, withFault)).To(Succeed())
		Expect(bearers(s, "/mcp")).NotTo(BeEmpty())
		Expect(bearers(s, "/register")).To(HaveLen(1))
	})
})

// protectedRegistration asks for an initial access token the client never
// has, so every registration is refused with 401.
var protectedRegistration = mockserver.WithInitialAccessToken("an-initial-access-token-the-client-lacks")

// registrationMetadata is the client metadata of the one registration
// request s captured.
func registrationMetadata(s *mockserver.Server) map[string]any {
	GinkgoHelper()
	var bodies []string
	for _, r := range s.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/register") {
			bodies = append(bodies, r.Body)
		}
	}
	Expect(bodies).To(HaveLen(1))
	var metadata map[string]any
	Expect(json.Unmarshal([]byte(bodies[0]), &metadata)).To(Succeed())
	return metadata
}
