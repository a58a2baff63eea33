package mockserver_test

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

var _ = Describe("WithMixUp", func() {
	It("sends the user agent on to an honest authorization server, whose code and iss come back", func() {
		s := startAS(mockserver.WithMixUp())
		honest := s.HonestAuthorizationServer()
		Expect(honest).NotTo(BeNil())
		Expect(honest.IssuerURL()).NotTo(Equal(s.IssuerURL()))

		request := newAuthRequest(publicApp)
		bounce := request.send(s)
		Expect(bounce.status).To(Equal(http.StatusFound))
		Expect(bounce.header.Get("Location")).To(HavePrefix(honest.IssuerURL() + "/authorize?"))
		bounced := newAuthRequestFromURL(bounce.header.Get("Location"))
		Expect(bounced.params.Get("client_id")).NotTo(Equal(publicApp), "a client of the attacker's at the honest server")
		Expect(bounced.params.Get("code_challenge")).To(Equal(request.params.Get("code_challenge")))

		back := bounced.callback(honest)
		Expect(back.Get("iss")).To(Equal(honest.IssuerURL()))
		Expect(back.Get("state")).To(Equal(request.params.Get("state")))
		Expect(back.Get("code")).NotTo(BeEmpty())
		Expect(postToken(s, codeForm(publicApp, back.Get("code"), request.verifier)).status).To(Equal(http.StatusBadRequest),
			"the attacker issued no code")
	})

	It("needs an authorization server of its own", func() {
		_, err := mockserver.Run(GinkgoT().Context(), mockserver.WithRevision(spec.Rev20250326), mockserver.WithMixUp())
		Expect(err).To(MatchError(ContainSubstring("protected resource metadata")))
	})
})
