package mockclient_test

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/mockclient"
)

// serve starts a loopback server for one test.
func serve(h http.HandlerFunc) *httptest.Server {
	srv := httptest.NewServer(h)
	DeferCleanup(srv.Close)
	return srv
}

var _ = Describe("The bounded, recording client", func() {
	var client *mockclient.Client
	BeforeEach(func() {
		client = mockclient.New(mockclient.Options{Timeout: 300 * time.Millisecond, MaxBody: 1024})
	})

	It("records the exchange with secrets redacted", func(ctx SpecContext) {
		srv := serve(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"access_token":"s3cr3t-token","token_type":"Bearer"}`)
		})
		resp, err := client.Do(ctx, http.MethodPost, srv.URL+"/token?code=abc", http.Header{
			"Authorization": {"Basic Y2xpZW50OnNlY3JldA=="},
			"Content-Type":  {"application/x-www-form-urlencoded"},
		}, "grant_type=authorization_code&code_verifier=verifier-value")
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.Exchanges).To(HaveLen(1))
		ex := resp.Exchanges[0]
		Expect(ex.Status).To(Equal(200))
		Expect(ex.RequestHeaders.Get("Authorization")).To(Equal("Basic " + evidence.Redacted))
		Expect(ex.URL).NotTo(ContainSubstring("abc"))
		Expect(ex.RequestBody).NotTo(ContainSubstring("verifier-value"))
		Expect(ex.ResponseBody).NotTo(ContainSubstring("s3cr3t-token"))
		Expect(ex.ResponseBody).To(ContainSubstring("Bearer"))
	})

	It("gives up on a target that does not answer", func(ctx SpecContext) {
		srv := serve(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		resp, err := client.Get(ctx, srv.URL, nil)
		Expect(err).To(MatchError(ContainSubstring("no answer within 300ms")))
		Expect(resp.Exchanges).To(HaveLen(1))
		Expect(resp.Exchanges[0].Error).To(ContainSubstring("no answer"))
	})

	It("refuses a body over the cap", func(ctx SpecContext) {
		srv := serve(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, strings.Repeat("x", 4096)) })
		_, err := client.Get(ctx, srv.URL, nil)
		Expect(err).To(MatchError(ContainSubstring("exceeds 1024 bytes")))
	})

	It("keeps a few KB of a target's headers as evidence", func(ctx SpecContext) {
		srv := serve(func(w http.ResponseWriter, r *http.Request) {
			for i := range 6 {
				w.Header().Set(fmt.Sprintf("X-Pad-%d", i), strings.Repeat("a", 8<<10))
			}
		})
		resp, err := client.Get(ctx, srv.URL, nil)
		Expect(err).NotTo(HaveOccurred())
		ex := resp.Exchanges[0]
		Expect(ex.HeadersTruncated).To(BeTrue())
		Expect(len(fmt.Sprint(ex.ResponseHeaders))).To(BeNumerically("<", 9<<10))
		Expect(ex.ResponseHeaders.Get("X-Pad-0")).NotTo(BeEmpty(), "the first headers by name are kept")
	})

	It("refuses megabytes of headers", func(ctx SpecContext) {
		srv := serve(func(w http.ResponseWriter, r *http.Request) {
			for i := range 128 {
				w.Header().Set(fmt.Sprintf("X-Pad-%d", i), strings.Repeat("a", 8<<10))
			}
		})
		resp, err := client.Get(ctx, srv.URL, nil)
		Expect(err).To(MatchError(ContainSubstring("headers exceeded")))
		Expect(resp.Exchanges[0].Error).To(ContainSubstring("headers exceeded"))
	})

	It("stops a redirect loop", func(ctx SpecContext) {
		srv := serve(func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, r.URL.Path, http.StatusFound) })
		resp, err := client.Get(ctx, srv.URL+"/loop", nil)
		Expect(err).To(MatchError(ContainSubstring("stopped after 5 redirects")))
		Expect(len(resp.Exchanges)).To(BeNumerically(">=", 5))
	})

	It("refuses a redirect to another host", func(ctx SpecContext) {
		srv := serve(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, strings.Replace(srvURL(r), "127.0.0.1", "localhost", 1), http.StatusFound)
		})
		_, err := client.Get(ctx, srv.URL+"/x", nil)
		Expect(err).To(MatchError(ContainSubstring("to another host")))
	})

	It("says a target that refuses connections is unreachable", func(ctx SpecContext) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		addr := l.Addr().String()
		Expect(l.Close()).To(Succeed())
		_, err = client.Get(ctx, "http://"+addr+"/mcp", nil)
		Expect(errors.Is(err, mockclient.ErrUnreachable)).To(BeTrue(), "got %v", err)
	})
})

func srvURL(r *http.Request) string { return "http://" + r.Host + r.URL.Path }
