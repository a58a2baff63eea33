package refclient_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/mockclient/refclient"
	"github.com/mcpconform/mcpconform/mockserver"
)

// browsedCallbackPage is the page a browse records at the redirect URI of
// a callback listener (with client.callback.third-party-resources' page
// when thirdPartyResources), reached from an authorization server's
// redirect as `mcpconform browse` reaches it.
func browsedCallbackPage(ctx SpecContext, thirdPartyResources bool) mockclient.Page {
	GinkgoHelper()
	redirectURI, _, closeListener, err := refclient.ListenForCallback(ctx, thirdPartyResources)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(closeListener)
	as := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, redirectURI+"?code=the-code&state=the-state", http.StatusFound)
	}))
	DeferCleanup(as.Close)
	c := mockclient.New(mockclient.Options{})
	DeferCleanup(c.CloseIdleConnections)
	resp, err := c.Browse(ctx, as.URL+"/authorize")
	Expect(err).NotTo(HaveOccurred())
	page, ok := mockclient.CallbackPage(as.URL+"/authorize", resp)
	Expect(ok).To(BeTrue(), "the browse ended at the redirect URI")
	return page
}

var _ = Describe("the callback listener", func() {
	It("hands every response over and answers a page that leaks no code", func(ctx SpecContext) {
		redirectURI, responses, closeListener, err := refclient.ListenForCallback(ctx, false)
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

	It("serves a page naming no other origin, under Referrer-Policy: no-referrer", func(ctx SpecContext) {
		page := browsedCallbackPage(ctx, false)
		Expect(page.ReferrerPolicy).To(Equal("no-referrer"))
		Expect(page.ContentType).To(Equal("text/plain"))
		Expect(page.CrossOrigin).To(BeEmpty())
	})

	It(string(fault.ClientCallbackThirdPartyResources)+" serves a page loading a script from another origin, under Referrer-Policy: unsafe-url", func(ctx SpecContext) {
		page := browsedCallbackPage(ctx, true)
		Expect(page.ReferrerPolicy).To(Equal("unsafe-url"))
		Expect(page.ContentType).To(Equal("text/html"))
		Expect(page.CrossOrigin).To(Equal([]mockclient.Reference{
			{Where: "script src", Origin: "https://analytics.mcpconform-thirdparty.test", Loads: true}}))
	})

	It(string(fault.ClientCallbackThirdPartyResources)+" still completes the flow", func() {
		s := serve(mockserver.WithRequestCapture())
		Expect(runClient(s, fault.ClientCallbackThirdPartyResources)).To(Succeed())
		Expect(mcpAfterToken(s)).NotTo(BeEmpty())
	})
})
