package mockserver_test

import (
	"maps"
	"net/http"

	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockserver"
)

var interopFaultChecks = map[fault.Name]func(s *mockserver.Server){
	fault.ASResourceRejected: func(s *mockserver.Server) {
		reference := startAS()
		Expect(newAuthRequest(publicApp).with("resource", reference.MCPURL()).code(reference)).NotTo(BeEmpty())
		faulty := addOAuthClients(s)
		expectAuthorizationError(faulty, newAuthRequest(publicApp).with("resource", faulty.MCPURL()).callback(faulty), "invalid_target")
	},
	fault.RSExpectsOriginAudience: func(s *mockserver.Server) {
		Expect(postMCP(s, bearer(s)).status).To(Equal(http.StatusUnauthorized), "a token for the MCP URL is refused")
		reference := start()
		Expect(postMCP(reference, bearer(reference)).status).To(Equal(http.StatusOK))
	},
}

func init() { maps.Copy(faultChecks, interopFaultChecks) }
