package refclient_test

import (
	"io"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/mockclient/refclient"
)

var _ = Describe("the callback listener", func() {
	It("hands every response over and answers a page that leaks no code", func(ctx SpecContext) {
		redirectURI, responses, closeListener, err := refclient.ListenForCallback(ctx)
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(closeListener)
		Expect(redirectURI).To(MatchRegexp(`^http://127\.0\.0\.1:\d+/callback$`))

		for _, code := range []string{"first", "second"} {
			resp, err := http.Get(redirectURI + "?code=" + code + "&state=s")
			Expect(err).NotTo(HaveOccurred())
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			Expect(resp.StatusCode).To(Equal(http.StatusOK))
			Expect(resp.Header.Get("Content-Type")).To(HavePrefix("text/plain"))
			Expect(resp.Header.Get("Referrer-Policy")).To(Equal("no-referrer"))
			Expect(string(body)).NotTo(ContainSubstring(code))
		}
		Expect(responses).To(Receive(HaveKeyWithValue("code", []string{"first"})))
		Expect(responses).To(Receive(HaveKeyWithValue("code", []string{"second"})))
		Expect(responses).NotTo(Receive())

		resp, err := http.Get(strings.TrimSuffix(redirectURI, "/callback") + "/other")
		Expect(err).NotTo(HaveOccurred())
		resp.Body.Close()
		Expect(resp.StatusCode).To(Equal(http.StatusNotFound))
	})
})
