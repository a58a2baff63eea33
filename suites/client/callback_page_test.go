package client

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/mockclient"
)

// callbackPage is the page a client's redirect URI answers with header
// (Content-Type text/html unless set) and body, as browse records it.
func callbackPage(header http.Header, body string) mockclient.Page {
	if header.Get("Content-Type") == "" {
		header.Set("Content-Type", "text/html")
	}
	page, _ := url.Parse("http://127.0.0.1:4567/callback?code=c&state=s")
	return mockclient.InspectPage(page, &mockclient.Response{Status: http.StatusOK, Header: header, Body: []byte(body)})
}

// Pages compliant clients serve at their redirect URI pass CL-CB-005, only
// pages handing their URL to other origins fail it.
var _ = Describe("callback page hygiene (CL-CB-005)", func() {
	DescribeTable("a page that hands its URL to no other origin",
		func(header http.Header, body string) {
			Expect(callbackPageLeaks(callbackPage(header, body))).To(BeEmpty())
		},
		Entry("text/plain, with no policy", http.Header{"Content-Type": {"text/plain"}}, "You may close this window."),
		Entry("text/plain naming a script, which it does not load", http.Header{"Content-Type": {"text/plain"}},
			`<script src="https://analytics.example/t.js"></script>`),
		Entry("HTML with no policy and nothing of another origin", http.Header{}, `<h1>Signed in</h1><p>Close this window.</p>`),
		Entry("a same-origin script and stylesheet", http.Header{"Referrer-Policy": {"unsafe-url"}},
			`<link rel=stylesheet href="/s.css"><script src="http://127.0.0.1:4567/app.js"></script>`),
		Entry("a relative link under unsafe-url", http.Header{"Referrer-Policy": {"unsafe-url"}}, `<a href="../done">done</a>`),
		Entry("an outbound link under the browsers' default policy", http.Header{}, `<a href="https://docs.example/">docs</a>`),
		Entry("an outbound link under meta referrer no-referrer", http.Header{},
			`<meta name="referrer" content="no-referrer"><a href="https://docs.example/">docs</a>`),
		Entry("an outbound link under meta no-referrer overriding an unsafe-url header", http.Header{"Referrer-Policy": {"unsafe-url"}},
			`<meta name="referrer" content="never"><a href="https://docs.example/">docs</a>`),
		Entry("an outbound link under header no-referrer", http.Header{"Referrer-Policy": {"no-referrer"}},
			`<a href="https://docs.example/">docs</a>`),
		Entry("an outbound rel=noreferrer link under unsafe-url", http.Header{"Referrer-Policy": {"unsafe-url"}},
			`<a rel="noreferrer" href="https://docs.example/">docs</a>`),
		Entry("an outbound link under origin-when-cross-origin", http.Header{"Referrer-Policy": {"origin-when-cross-origin"}},
			`<form action="https://vendor.example/feedback"></form>`),
		Entry("an unknown policy token after no-referrer", http.Header{"Referrer-Policy": {"no-referrer, sometime-later"}},
			`<a href="https://docs.example/">docs</a>`),
	)

	DescribeTable("a page that hands its URL to another origin",
		func(header http.Header, body, leak string) {
			Expect(callbackPageLeaks(callbackPage(header, body))).To(ConsistOf(leak))
		},
		Entry("a third-party script, even under no-referrer: it reads the URL", http.Header{"Referrer-Policy": {"no-referrer"}},
			`<script src="https://analytics.example/t.js"></script>`, "it loads script src from https://analytics.example"),
		Entry("a third-party image", http.Header{}, `<img src="https://pixel.example/p.gif">`,
			"it loads img src from https://pixel.example"),
		Entry("an outbound link under unsafe-url", http.Header{"Referrer-Policy": {"unsafe-url"}}, `<a href="https://docs.example/">docs</a>`,
			"its a href to https://docs.example sends the whole URL there under referrer policy unsafe-url"),
		Entry("an outbound link under no-referrer-when-downgrade, the last header token", http.Header{"Referrer-Policy": {"no-referrer, no-referrer-when-downgrade"}},
			`<a href="https://docs.example/">docs</a>`,
			"its a href to https://docs.example sends the whole URL there under referrer policy no-referrer-when-downgrade"),
		Entry("an outbound link under the legacy meta always", http.Header{"Referrer-Policy": {"no-referrer"}},
			`<meta name=referrer content=always><a href="https://docs.example/">docs</a>`,
			"its a href to https://docs.example sends the whole URL there under referrer policy unsafe-url"),
		Entry("an outbound link setting unsafe-url itself", http.Header{},
			`<a referrerpolicy="Unsafe-URL" href="https://docs.example/">docs</a>`,
			"its a href to https://docs.example sends the whole URL there under referrer policy unsafe-url"),
		Entry("a Refresh to another origin under unsafe-url", http.Header{"Content-Type": {"text/plain"}, "Referrer-Policy": {"unsafe-url"},
			"Refresh": {"0; url=https://vendor.example/done"}}, "",
			"its header Refresh to https://vendor.example sends the whole URL there under referrer policy unsafe-url"),
	)

	It("reads a browse log's URLs and callback pages, keeping other lines as URLs", func() {
		page := callbackPage(http.Header{}, `<script src="https://analytics.example/t.js"></script>`)
		line, err := json.Marshal(BrowsedCallbackPage{Page: &page})
		Expect(err).NotTo(HaveOccurred())
		log := filepath.Join(GinkgoT().TempDir(), "browsed")
		Expect(os.WriteFile(log, []byte(`"http://127.0.0.1:1/authorize?x=1"`+"\n"+string(line)+"\n"+"opened by hand\n"+`{"other":1}`+"\n"), 0o600)).To(Succeed())
		browsed, pages := readBrowseLog(log)
		Expect(browsed).To(Equal([]string{"http://127.0.0.1:1/authorize?x=1", "opened by hand", `{"other":1}`}))
		Expect(pages).To(Equal([]mockclient.Page{page}))

		browsed, pages = readBrowseLog(filepath.Join(GinkgoT().TempDir(), "none"))
		Expect(browsed).To(BeEmpty())
		Expect(pages).To(BeEmpty())
	})
})
