package mockclient_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

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
		Expect(ex.RequestHeaders.Get("Authorization")).To(MatchRegexp(`^Basic \[REDACTED #\d+\]$`))
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

var _ = Describe("The client facing a busy target", func() {
	var client *mockclient.Client
	BeforeEach(func() {
		client = mockclient.New(mockclient.Options{Timeout: 2 * time.Second})
	})

	// busyFor answers the first n requests with status and Retry-After
	// (none when empty), the later ones with 200 and the request's body.
	busyFor := func(n int, status int, retryAfter string) *httptest.Server {
		var seen atomic.Int32
		return serve(func(w http.ResponseWriter, r *http.Request) {
			if int(seen.Add(1)) <= n {
				if retryAfter != "" {
					w.Header().Set("Retry-After", retryAfter)
				}
				w.WriteHeader(status)
				return
			}
			io.Copy(w, r.Body)
		})
	}

	It("sends a request again after a 429, as Retry-After asks, and keeps both exchanges", func(ctx SpecContext) {
		srv := busyFor(1, http.StatusTooManyRequests, "1")
		began := time.Now()
		resp, err := client.Do(ctx, http.MethodPost, srv.URL, nil, "grant_type=x")
		Expect(err).NotTo(HaveOccurred())
		Expect(time.Since(began)).To(BeNumerically(">=", time.Second))
		Expect(resp.Status).To(Equal(http.StatusOK))
		Expect(string(resp.Body)).To(Equal("grant_type=x"), "the retry sends the body again")
		Expect(resp.Exchanges).To(HaveLen(2))
		Expect(resp.Exchanges[0].Status).To(Equal(http.StatusTooManyRequests))
	})

	It("sends a request again after a 429 without Retry-After", func(ctx SpecContext) {
		resp, err := client.Get(ctx, busyFor(2, http.StatusTooManyRequests, "").URL, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.Status).To(Equal(http.StatusOK))
		Expect(resp.Exchanges).To(HaveLen(3))
	})

	It("judges nothing of a target still busy after two retries", func(ctx SpecContext) {
		resp, err := client.Get(ctx, busyFor(100, http.StatusServiceUnavailable, "0").URL, nil)
		var notRun *mockclient.NotRunError
		Expect(errors.As(err, &notRun)).To(BeTrue(), "%v", err)
		Expect(notRun.Reason).To(ContainSubstring("answered 503 Service Unavailable, still busy after 2 retries"))
		Expect(resp.Exchanges).To(HaveLen(3))
	})

	It("waits no longer than its cap, and says so", func(ctx SpecContext) {
		began := time.Now()
		resp, err := client.Get(ctx, busyFor(100, http.StatusTooManyRequests, "3600").URL, nil)
		var notRun *mockclient.NotRunError
		Expect(errors.As(err, &notRun)).To(BeTrue(), "%v", err)
		Expect(notRun.Reason).To(ContainSubstring("asking to wait 1h0m0s (Retry-After), longer than the 2s the suite waits"))
		Expect(time.Since(began)).To(BeNumerically("<", time.Second))
		Expect(resp.Exchanges).To(HaveLen(1))
	})

	It("stops waiting once the run's budget for busy answers is spent", func(ctx SpecContext) {
		mockclient.SetBusyBudget(client, 1500*time.Millisecond)
		srv := busyFor(100, http.StatusTooManyRequests, "1")
		_, err := client.Get(ctx, srv.URL, nil)
		var notRun *mockclient.NotRunError
		Expect(errors.As(err, &notRun)).To(BeTrue(), "%v", err)
		Expect(notRun.Reason).To(ContainSubstring("the run has spent the 1.5s it waits for busy targets"))
		began := time.Now()
		resp, err := client.Get(ctx, srv.URL, nil)
		Expect(errors.As(err, &notRun)).To(BeTrue(), "%v", err)
		Expect(time.Since(began)).To(BeNumerically("<", 500*time.Millisecond), "no more waiting")
		Expect(resp.Exchanges).To(HaveLen(1))
	})

	It("takes a 503 without Retry-After as the answer", func(ctx SpecContext) {
		resp, err := client.Get(ctx, busyFor(100, http.StatusServiceUnavailable, "").URL, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.Status).To(Equal(http.StatusServiceUnavailable))
		Expect(resp.Exchanges).To(HaveLen(1))
	})
})
