package mockclient_test

import (
	"net/http"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/mockclient"
)

// callbackURL is a loopback redirect URI with an authorization response.
const callbackURL = "http://127.0.0.1:4567/callback?code=the-code&state=the-state"

// inspectHTML inspects body served as HTML at callbackURL.
func inspectHTML(body string) mockclient.Page {
	page, _ := url.Parse(callbackURL)
	return mockclient.InspectPage(page, &mockclient.Response{Status: http.StatusOK,
		Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Body: []byte(body)})
}

var _ = Describe("InspectPage, what a page hands its URL to", func() {
	DescribeTable("the other origins a page names",
		func(body string, want ...mockclient.Reference) {
			if len(want) == 0 {
				Expect(inspectHTML(body).CrossOrigin).To(BeEmpty())
				return
			}
			Expect(inspectHTML(body).CrossOrigin).To(Equal(want))
		},
		Entry("none on a plain page", `<p>You can close this window.</p>`),
		Entry("none for a same-origin script, a relative link and a form to itself",
			`<script src="/app.js"></script><script src="http://127.0.0.1:4567/b.js"></script><a href="done">done</a><form action="?x=1"></form>`),
		Entry("none for data, javascript and mailto URLs",
			`<img src="data:image/png;base64,AAAA"><a href="javascript:close()">x</a><a href="mailto:a@example.com">m</a>`),
		Entry("a script from another origin, which loads",
			`<script src="https://analytics.example/t.js"></script>`,
			mockclient.Reference{Where: "script src", Origin: "https://analytics.example", Loads: true}),
		Entry("another port of the same host is another origin",
			`<img src="http://127.0.0.1:9999/p.png">`,
			mockclient.Reference{Where: "img src", Origin: "http://127.0.0.1:9999", Loads: true}),
		Entry("a protocol-relative image, default port dropped",
			`<img src="//cdn.example:80/p.png">`,
			mockclient.Reference{Where: "img src", Origin: "http://cdn.example", Loads: true}),
		Entry("every srcset candidate",
			`<img srcset="/a.png 1x, https://cdn.example/b.png 2x">`,
			mockclient.Reference{Where: "img srcset", Origin: "https://cdn.example", Loads: true}),
		Entry("a stylesheet, not a canonical link",
			`<link rel="canonical" href="https://docs.example/"><link rel="StyleSheet" href="https://fonts.example/css">`,
			mockclient.Reference{Where: "link href", Origin: "https://fonts.example", Loads: true}),
		Entry("CSS urls and imports, in a style element and a style attribute",
			`<style>@import "https://fonts.example/f.css"; body{background:url('/bg.png')}</style><div style="background: url(https://img.example/x.png)"></div>`,
			mockclient.Reference{Where: "style url()", Origin: "https://fonts.example", Loads: true},
			mockclient.Reference{Where: "div style url()", Origin: "https://img.example", Loads: true}),
		Entry("a link and a form, followed only, with their own policies",
			`<a href="https://docs.example/help" rel="noopener noreferrer">help</a><form action="https://vendor.example/feedback" referrerpolicy="unsafe-url"></form>`,
			mockclient.Reference{Where: "a href", Origin: "https://docs.example", ReferrerPolicy: "no-referrer"},
			mockclient.Reference{Where: "form action", Origin: "https://vendor.example", ReferrerPolicy: "unsafe-url"}),
		Entry("a meta refresh to another origin",
			`<meta http-equiv="Refresh" content="0; URL='https://vendor.example/signed-in'">`,
			mockclient.Reference{Where: "meta refresh", Origin: "https://vendor.example"}),
		Entry("relative URLs resolved against the first base",
			`<base href="https://cdn.example/app/"><base href="/"><script src="main.js"></script>`,
			mockclient.Reference{Where: "script src", Origin: "https://cdn.example", Loads: true}),
		Entry("nothing inside noscript, a script's text or a comment",
			`<noscript><img src="https://pixel.example/p"></noscript><script>var s='<img src="https://x.example/">'</script><!-- <img src="https://y.example/"> -->`),
		Entry("each origin once per place",
			`<img src="https://cdn.example/a"><img src="https://cdn.example/b">`,
			mockclient.Reference{Where: "img src", Origin: "https://cdn.example", Loads: true}),
	)

	It("reads the referrer policy of the header and of the last meta", func() {
		page, _ := url.Parse(callbackURL)
		p := mockclient.InspectPage(page, &mockclient.Response{Status: http.StatusOK,
			Header: http.Header{"Content-Type": {"text/html"}, "Referrer-Policy": {"no-referrer, strict-origin"}},
			Body:   []byte(`<meta name="referrer" content="origin"><META NAME=Referrer CONTENT=" no-referrer ">`)})
		Expect(p).To(Equal(mockclient.Page{URL: "http://127.0.0.1:4567/callback", Status: http.StatusOK, ContentType: "text/html",
			ReferrerPolicy: "no-referrer, strict-origin", MetaReferrer: "no-referrer"}))
	})

	It("reads no markup in a text/plain page, but a Refresh header", func() {
		page, _ := url.Parse(callbackURL)
		p := mockclient.InspectPage(page, &mockclient.Response{Status: http.StatusOK,
			Header: http.Header{"Content-Type": {"text/plain"}, "Refresh": {"3;url=https://vendor.example/"}},
			Body:   []byte(`<script src="https://analytics.example/t.js"></script>`)})
		Expect(p.CrossOrigin).To(Equal([]mockclient.Reference{{Where: "header Refresh", Origin: "https://vendor.example"}}))
	})

	It("sniffs an undeclared HTML page as browsers do", func() {
		page, _ := url.Parse(callbackURL)
		p := mockclient.InspectPage(page, &mockclient.Response{Status: http.StatusOK, Header: http.Header{},
			Body: []byte(`<!DOCTYPE html><html><script src="https://analytics.example/t.js"></script>`)})
		Expect(p.CrossOrigin).To(HaveLen(1))
	})

	It("scans 64 KiB of a page and keeps 20 references", func() {
		var body strings.Builder
		for i := range 30 {
			body.WriteString(`<img src="https://cdn` + strings.Repeat("x", i) + `.example/">`)
		}
		body.WriteString(strings.Repeat("<p>padding</p>", 5000))
		body.WriteString(`<script src="https://late.example/t.js"></script>`)
		p := inspectHTML(body.String())
		Expect(p.CrossOrigin).To(HaveLen(20))
		Expect(p.Truncated).To(BeTrue())
	})

	Describe("CallbackPage, the page a browse ends on at a client's redirect URI", func() {
		landed := func(final string) *mockclient.Response {
			return &mockclient.Response{Status: http.StatusOK, URL: final, Header: http.Header{"Content-Type": {"text/plain"}}}
		}

		It("is the last page, reached by a redirect, at a loopback URL carrying a code", func() {
			p, ok := mockclient.CallbackPage("http://127.0.0.1:1/authorize", landed(callbackURL))
			Expect(ok).To(BeTrue())
			Expect(p.URL).To(Equal("http://127.0.0.1:4567/callback"), "without the code")
			_, ok = mockclient.CallbackPage("http://127.0.0.1:1/authorize", landed("http://localhost:4567/cb?code=c"))
			Expect(ok).To(BeTrue())
		})

		It("is none elsewhere", func() {
			for _, final := range []string{"http://127.0.0.1:1/authorize", "http://127.0.0.1:4567/callback?error=access_denied",
				"https://app.example/callback?code=c", "http://127.0.0.1:1/consent"} {
				_, ok := mockclient.CallbackPage("http://127.0.0.1:1/authorize", landed(final))
				Expect(ok).To(BeFalse(), final)
			}
		})
	})
})
