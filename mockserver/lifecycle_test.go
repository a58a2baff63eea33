package mockserver_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"runtime"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockserver"
)

var _ = Describe("lifecycle", func() {
	It("closes idempotently", func(ctx SpecContext) {
		s, err := mockserver.Run(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(s.Close()).To(Succeed())
		Expect(s.Close()).To(Succeed())
		_, err = client.Get(s.MCPURL())
		Expect(err).To(HaveOccurred())
	}, NodeTimeout(specTimeout))

	It("shuts down when its context ends", func(ctx SpecContext) {
		runCtx, cancel := context.WithCancel(ctx)
		s, err := mockserver.Run(runCtx)
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(s.Close)
		cancel()
		Eventually(func() error {
			_, err := client.Get(s.IssuerURL() + "/jwks")
			return err
		}).WithContext(ctx).Should(HaveOccurred())
	}, NodeTimeout(specTimeout))

	It("ends hanging requests on Close and waits for them", func(ctx SpecContext) {
		var log bytes.Buffer
		s, err := mockserver.Run(ctx, mockserver.WithFaults(fault.RSMCPHang, fault.RSPRMHang), mockserver.WithRequestLog(&log))
		Expect(err).NotTo(HaveOccurred())
		done := make(chan error, 2)
		slow := newClient(specTimeout)
		for _, req := range []*http.Request{mcpRequest(s, ""), getRequest(prmURLs(s)[0])} {
			go func() {
				resp, err := slow.Do(req)
				if err == nil {
					resp.Body.Close()
				}
				done <- err
			}()
		}
		time.Sleep(100 * time.Millisecond) // let both requests reach their handlers
		began := time.Now()
		Expect(s.Close()).To(Succeed())
		Expect(time.Since(began)).To(BeNumerically("<", 2*time.Second))
		for range 2 {
			Eventually(done).WithContext(ctx).Should(Receive(HaveOccurred()))
		}
		Expect(log.String()).To(ContainSubstring("POST /mcp -\n"))
		Expect(log.String()).To(ContainSubstring("GET /.well-known/oauth-protected-resource/mcp -\n"))
	}, NodeTimeout(specTimeout))

	It("leaves no goroutine behind", func(ctx SpecContext) {
		before := runtime.NumGoroutine()
		s, err := mockserver.Run(ctx, mockserver.WithFaults(fault.RSMCPHang, fault.RSPRMHugeBody))
		Expect(err).NotTo(HaveOccurred())
		Expect(postMCP(s, bearer(s)).status).To(Equal(http.StatusOK))
		expectTimeout(100*time.Millisecond, mcpRequest(s, ""))
		resp, err := client.Get(prmURLs(s)[0])
		Expect(err).NotTo(HaveOccurred())
		Expect(s.Close()).To(Succeed())
		resp.Body.Close() // the client's own goroutines end with the body
		Eventually(runtime.NumGoroutine).WithContext(ctx).Should(BeNumerically("<=", before))
	}, NodeTimeout(specTimeout))

	It("stops streaming a huge body when the client leaves", func(ctx SpecContext) {
		var log bytes.Buffer
		s, err := mockserver.Run(ctx, mockserver.WithFaults(fault.RSPRMHugeBody), mockserver.WithRequestLog(&log))
		Expect(err).NotTo(HaveOccurred())
		resp, err := client.Get(prmURLs(s)[0])
		Expect(err).NotTo(HaveOccurred())
		_, err = io.ReadFull(resp.Body, make([]byte, 1024))
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.Body.Close()).To(Succeed())
		began := time.Now()
		Expect(s.Close()).To(Succeed())
		Expect(time.Since(began)).To(BeNumerically("<", 2*time.Second))
		Expect(log.String()).To(ContainSubstring("GET /.well-known/oauth-protected-resource/mcp 200\n"))
	}, NodeTimeout(specTimeout))

	It("logs method, path and status, never secrets", func(ctx SpecContext) {
		var log bytes.Buffer
		s, err := mockserver.Run(ctx, mockserver.WithRequestLog(&log))
		Expect(err).NotTo(HaveOccurred())
		token := bearer(s)
		Expect(postMCP(s, token).status).To(Equal(http.StatusOK))
		Expect(postMCP(s, "").status).To(Equal(http.StatusUnauthorized))
		Expect(get(prmURLs(s)[0] + "?access_token=secret-in-query").status).To(Equal(http.StatusOK))
		Expect(s.Close()).To(Succeed())
		Expect(log.String()).To(Equal("POST /mcp 200\n" +
			"POST /mcp 401\n" +
			"GET /.well-known/oauth-protected-resource/mcp 200\n"))
	}, NodeTimeout(specTimeout))

	It("lists its URLs", func(SpecContext) {
		s := start()
		urls := s.URLs()
		Expect(urls).To(HaveKeyWithValue("mcp", s.MCPURL()))
		Expect(urls).To(HaveKeyWithValue("protected resource metadata", prmURLs(s)[0]))
		Expect(urls).To(HaveKeyWithValue("protected resource metadata (root)", prmURLs(s)[1]))
		Expect(urls).To(HaveKeyWithValue("authorization server metadata", asURLs(s)[0]))
		Expect(urls).To(HaveKeyWithValue("openid configuration", asURLs(s)[1]))
		Expect(urls).To(HaveKeyWithValue("jwks", s.IssuerURL()+"/jwks"))
		Expect(urls).To(HaveKeyWithValue("authorization server issuer", s.IssuerURL()))
		Expect(urls).To(HaveKeyWithValue("other resource (--other-resource)", s.OtherResourceURL()))
		Expect(urls).To(HaveLen(8))
		for _, name := range []string{"protected resource metadata", "protected resource metadata (root)",
			"authorization server metadata", "openid configuration", "jwks"} {
			Expect(get(urls[name]).status).To(Equal(http.StatusOK), name)
		}
	}, NodeTimeout(specTimeout))
})
