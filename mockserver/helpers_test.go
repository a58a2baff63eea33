package mockserver_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/mockserver"
)

// specTimeout bounds every spec that talks to a server.
const specTimeout = 5 * time.Second

const (
	prmSuffix    = "/.well-known/oauth-protected-resource"
	rfc8414      = "/.well-known/oauth-authorization-server"
	openIDSuffix = "/.well-known/openid-configuration"
)

// start runs a server for the current spec and closes it afterwards.
func start(opts ...mockserver.Option) *mockserver.Server {
	GinkgoHelper()
	ctx, cancel := context.WithCancel(context.Background())
	s, err := mockserver.Run(ctx, opts...)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(func() {
		cancel()
		Expect(s.Close()).To(Succeed())
	})
	return s
}

// newClient never follows redirects, so tests see each answer as sent.
func newClient(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{DisableKeepAlives: true},
	}
}

var client = newClient(3 * time.Second)

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json() map[string]any {
	GinkgoHelper()
	var doc map[string]any
	Expect(json.Unmarshal(a.body, &doc)).To(Succeed(), string(a.body))
	return doc
}

func do(c *http.Client, req *http.Request) answer {
	GinkgoHelper()
	resp, err := c.Do(req)
	Expect(err).NotTo(HaveOccurred())
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	Expect(err).NotTo(HaveOccurred())
	return answer{status: resp.StatusCode, header: resp.Header, body: body}
}

func get(url string) answer {
	GinkgoHelper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	Expect(err).NotTo(HaveOccurred())
	return do(client, req)
}

const initialize = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`

func mcpRequest(s *mockserver.Server, authorization string) *http.Request {
	GinkgoHelper()
	req, err := http.NewRequest(http.MethodPost, s.MCPURL(), strings.NewReader(initialize))
	Expect(err).NotTo(HaveOccurred())
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return req
}

// postMCP sends an initialize request to the MCP endpoint.
func postMCP(s *mockserver.Server, authorization string) answer {
	GinkgoHelper()
	return do(client, mcpRequest(s, authorization))
}

func bearer(s *mockserver.Server, scopes ...string) string {
	GinkgoHelper()
	token, err := s.MintAccessToken(scopes...)
	Expect(err).NotTo(HaveOccurred())
	return "Bearer " + token
}
