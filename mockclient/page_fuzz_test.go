package mockclient_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mcpconform/mcpconform/mockclient"
)

// FuzzInspectPage feeds InspectPage any page: it never panics, keeps at
// most 20 references, each an http(s) origin other than the page's, and
// never the page's query.
func FuzzInspectPage(f *testing.F) {
	for _, seed := range []string{
		`<script src="https://analytics.example/t.js"></script><a href="/x" rel=noreferrer>x</a>`,
		`<base href="//cdn.example/"><img srcset=" a.png 1x,, ,b.png"><meta name=referrer content=unsafe-url>`,
		`<meta http-equiv=refresh content="0;url=https://[::1]:8/">`,
		`<style>@import 'https://f.example/'; a{background:url( "//b.example" )}</style>`,
		`<svg><image xlink:href="https://s.example/i.svg"/><use href="#x"/></svg>`,
		`<a href="http://%zz">`, `<img src="https://a.example:99999/">`, `<img src=" ht tp://x ">`,
		"",
	} {
		f.Add(seed)
	}
	page, _ := url.Parse("http://127.0.0.1:4567/callback?code=fuzz-code-3K&state=s")
	f.Fuzz(func(t *testing.T, body string) {
		p := mockclient.InspectPage(page, &mockclient.Response{Status: http.StatusOK,
			Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte(body)})
		if len(p.CrossOrigin) > 20 || strings.Contains(p.URL, "fuzz-code") {
			t.Fatalf("page %+v", p)
		}
		for _, ref := range p.CrossOrigin {
			u, err := url.Parse(ref.Origin)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Path != "" || ref.Origin == "http://127.0.0.1:4567" {
				t.Fatalf("reference %+v", ref)
			}
		}
	})
}
