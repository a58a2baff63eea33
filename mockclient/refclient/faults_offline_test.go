package refclient_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockserver"
)

// How the reference client asks for refresh tokens, and its faults there.
var _ = Describe("the reference client's offline_access and refresh_token grant", func() {
	It("adds offline_access to the scope only when the authorization server lists it", func() {
		s := serve(mockserver.WithRequestCapture(), mockserver.WithOfflineAccess())
		Expect(runClient(s)).To(Succeed())
		Expect(authorizationRequest(s).Get("scope")).To(Equal("mcp:tools offline_access"))
		Expect(s.IssuedRefreshTokens()).To(HaveLen(1))

		s = serve(mockserver.WithRequestCapture())
		Expect(runClient(s)).To(Succeed())
		Expect(authorizationRequest(s).Get("scope")).To(Equal("mcp:tools"))
	})

	It(string(fault.ClientOfflineAccessAlways)+" asks for offline_access where the authorization server does not list it", func() {
		s := serve(mockserver.WithRequestCapture())
		Expect(runClient(s, fault.ClientOfflineAccessAlways)).To(Succeed(), "the server grants the rest")
		Expect(authorizationRequest(s).Get("scope")).To(Equal("mcp:tools offline_access"))
		Expect(mcpAfterToken(s)).NotTo(BeEmpty())
	})

	It(string(fault.ClientNoRefreshGrant)+" registers without the refresh_token grant where offline_access is listed, and gets no refresh token", func() {
		s := serve(mockserver.WithRequestCapture(), mockserver.WithOfflineAccess())
		Expect(runClient(s)).To(Succeed())
		Expect(registrationMetadata(s)).To(HaveKeyWithValue("grant_types", ConsistOf("authorization_code", "refresh_token")))

		s = serve(mockserver.WithRequestCapture(), mockserver.WithOfflineAccess())
		Expect(runClient(s, fault.ClientNoRefreshGrant)).To(Succeed())
		Expect(registrationMetadata(s)).To(HaveKeyWithValue("grant_types", ConsistOf("authorization_code")))
		Expect(s.IssuedRefreshTokens()).To(BeEmpty())
		Expect(mcpAfterToken(s)).NotTo(BeEmpty())

		s = serve(mockserver.WithRequestCapture())
		Expect(runClient(s, fault.ClientNoRefreshGrant)).To(Succeed())
		Expect(registrationMetadata(s)).To(HaveKeyWithValue("grant_types", ConsistOf("authorization_code", "refresh_token")),
			"where offline_access is not listed it registers as the reference does")
	})
})
