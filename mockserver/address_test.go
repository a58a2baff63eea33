package mockserver_test

import (
	"net"
	"net/http"
	"strconv"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/internal/testenv"
	"github.com/mcpconform/mcpconform/mockserver"
)

var _ = Describe("a fixed address", func() {
	It("serves the MCP server at it, in the revision with one listener and with two", func(ctx SpecContext) {
		for _, rev := range []spec.Revision{"2025-03-26", spec.Latest} {
			addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(testenv.FreePort()))
			s := start(mockserver.WithRevision(rev), mockserver.WithAddress(addr))
			Expect(s.MCPURL()).To(Equal("http://" + addr + "/mcp"))
			Expect(postMCP(s, "").status).To(Equal(http.StatusUnauthorized), "the MCP endpoint answers there (%s)", rev)
		}
	}, NodeTimeout(specTimeout))

	It("stays on loopback", func(ctx SpecContext) {
		_, err := mockserver.Run(ctx, mockserver.WithAddress("0.0.0.0:8080"))
		Expect(err).To(MatchError(ContainSubstring("127.0.0.1 only")))
	}, NodeTimeout(specTimeout))
})
