package mockclient_test

import (
	"net/http"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/mockclient"
)

var _ = Describe("Browse, the headless browser", func() {
	var client *mockclient.Client
	BeforeEach(func() {
		client = mockclient.New(mockclient.Options{Timeout: time.Second, MaxBody: 1024})
	})

	It("follows redirects across hosts, keeping cookies, to the last answer", func(ctx SpecContext) {
		callback := serve(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("landed with " + r.URL.RawQuery))
		})
		as := serve(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/authorize":
				http.SetCookie(w, &http.Cookie{Name: "session", Value: "signed-in", Path: "/"})
				http.Redirect(w, r, "/consent", http.StatusFound)
			case "/consent":
				if c, err := r.Cookie("session"); err != nil || c.Value != "signed-in" {
					http.Error(w, "no session", http.StatusForbidden)
					return
				}
				http.Redirect(w, r, callback.URL+"/callback?code=the-code&state=s", http.StatusSeeOther)
			}
		})
		resp, err := client.Browse(ctx, as.URL+"/authorize")
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.Status).To(Equal(http.StatusOK))
		Expect(resp.URL).To(Equal(callback.URL + "/callback?code=the-code&state=s"))
		Expect(string(resp.Body)).To(Equal("landed with code=the-code&state=s"))
		Expect(resp.Exchanges).To(HaveLen(3))
	})

	It("returns an error page as the last answer", func(ctx SpecContext) {
		srv := serve(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "bad request", http.StatusBadRequest) })
		resp, err := client.Browse(ctx, srv.URL)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.Status).To(Equal(http.StatusBadRequest))
	})

	It("stops after 10 redirects", func(ctx SpecContext) {
		var hops atomic.Int32
		srv := serve(func(w http.ResponseWriter, r *http.Request) {
			hops.Add(1)
			http.Redirect(w, r, r.URL.Path, http.StatusFound)
		})
		_, err := client.Browse(ctx, srv.URL+"/loop")
		Expect(err).To(MatchError(ContainSubstring("after 10 redirects")))
		Expect(hops.Load()).To(BeEquivalentTo(11))
	})

	It("follows no redirect out of http(s)", func(ctx SpecContext) {
		srv := serve(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "javascript:alert(1)", http.StatusFound)
		})
		_, err := client.Browse(ctx, srv.URL)
		Expect(err).To(MatchError(ContainSubstring("is not an http(s) URL")))
	})
})
