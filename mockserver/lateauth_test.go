package mockserver_test

import (
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/mockserver"
)

var _ = Describe("authorization asked for after initialize", func() {
	It("answers initialize without a token and anything else 401 with the challenge", func() {
		s := start(mockserver.WithAuthorizationAfterInitialize())
		Expect(postMCP(s, "").status).To(Equal(http.StatusOK))

		for _, body := range []string{
			`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`,
			`[{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","id":2,"method":"tools/list"}]`,
		} {
			req, err := http.NewRequest(http.MethodPost, s.MCPURL(), strings.NewReader(body))
			Expect(err).NotTo(HaveOccurred())
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			answer := do(client, req)
			Expect(answer.status).To(Equal(http.StatusUnauthorized), body)
			Expect(answer.header.Get("WWW-Authenticate")).To(HavePrefix("Bearer "))
		}
	})

	It("asks for a token at initialize without the option", func() {
		Expect(postMCP(start(), "").status).To(Equal(http.StatusUnauthorized))
	})
})
