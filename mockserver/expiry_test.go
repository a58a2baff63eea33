package mockserver_test

import (
	"net/http"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

var _ = Describe("expiring access tokens (WithExpiringTokens)", func() {
	// lifetimeOf is a successful token response's access token, refresh
	// token and declared lifetime.
	lifetimeOf := func(a answer) (access, refresh string, expiresIn float64) {
		GinkgoHelper()
		Expect(a.status).To(Equal(http.StatusOK), string(a.body))
		doc := a.json()
		Expect(doc).To(HaveKeyWithValue("expires_in", BeNumerically(">", 0)))
		return accessTokenOf(doc), refreshTokenOf(doc), doc["expires_in"].(float64)
	}

	It("serves a short-lived token once it has expired, then refuses it; later tokens live as usual", func(SpecContext) {
		s := startAS(mockserver.WithExpiringTokens(2))
		a := newAuthRequest(publicApp)
		issued := time.Now()
		access, rt1, expiresIn := lifetimeOf(postToken(s, codeForm(publicApp, a.code(s), a.verifier)))
		Expect(expiresIn).To(Equal(1.0))
		Expect(claimsOf(access).Expiry.Time()).NotTo(BeTemporally("<", issued.Add(time.Second).Truncate(time.Second)))

		Expect(postMCP(s, "Bearer "+access).status).To(Equal(http.StatusOK))
		Expect(time.Since(issued)).To(BeNumerically(">=", time.Second), "answered only once the token expired")
		refused := postMCP(s, "Bearer "+access)
		Expect(refused.status).To(Equal(http.StatusUnauthorized))
		Expect(refused.header.Values("WWW-Authenticate")).To(ConsistOf(invalidTokenChallenge(s, spec.Latest)))

		access, rt2, expiresIn := lifetimeOf(postToken(s, refreshForm(publicApp, rt1)))
		Expect(expiresIn).To(Equal(1.0), "the second token is short-lived too")
		Expect(postMCP(s, "Bearer "+access).status).To(Equal(http.StatusOK))
		Expect(postMCP(s, "Bearer "+access).status).To(Equal(http.StatusUnauthorized))

		access, rt3, expiresIn := lifetimeOf(postToken(s, refreshForm(publicApp, rt2)))
		Expect(expiresIn).To(Equal(300.0))
		start := time.Now()
		for range 2 {
			Expect(postMCP(s, "Bearer "+access).status).To(Equal(http.StatusOK))
		}
		Expect(time.Since(start)).To(BeNumerically("<", 500*time.Millisecond), "a token of usual lifetime is not held")
		Expect(s.IssuedRefreshTokens()).To(Equal([]string{rt1, rt2, rt3}))
	}, NodeTimeout(specTimeout))

	It("leaves tokens as they are without the option", func() {
		s := startAS()
		tokens := publicTokens(s)
		Expect(tokens).To(HaveKeyWithValue("expires_in", 300.0))
		Expect(s.IssuedRefreshTokens()).To(Equal([]string{refreshTokenOf(tokens)}))
	})
})

var _ = Describe("refresh token rotation for every client (WithRefreshRotation)", func() {
	It("rotates a confidential client's refresh token and refuses the old one", func() {
		s := startAS(mockserver.WithRefreshRotation())
		a := newAuthRequest(basicApp)
		first := expectTokens(postToken(s, codeForm(basicApp, a.code(s), a.verifier), basicAuth(basicApp, basicSecret)))
		rotated := expectTokens(postToken(s, refreshForm(basicApp, refreshTokenOf(first)), basicAuth(basicApp, basicSecret)))
		Expect(refreshTokenOf(rotated)).NotTo(Equal(refreshTokenOf(first)))
		expectTokenError(postToken(s, refreshForm(basicApp, refreshTokenOf(first)), basicAuth(basicApp, basicSecret)),
			http.StatusBadRequest, "invalid_grant")
	})
})

var _ = Describe("an authorization server without refresh tokens", func() {
	It("leaves the refresh_token grant out of its metadata", func() {
		s := start(mockserver.WithoutRefreshTokens())
		Expect(get(s.URLs()["authorization server metadata"]).json()["grant_types_supported"]).NotTo(ContainElement("refresh_token"))
		Expect(get(start().URLs()["authorization server metadata"]).json()["grant_types_supported"]).To(ContainElement("refresh_token"))
	})
})
