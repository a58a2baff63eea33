package mockserver_test

import (
	"maps"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockserver"
)

// otherResourceToken is an access token publicApp obtains for the
// authorization server's other resource.
func otherResourceToken(s *mockserver.Server) string {
	GinkgoHelper()
	a := newAuthRequest(publicApp).with("resource", s.OtherResourceURL())
	form := codeForm(publicApp, a.code(s), a.verifier)
	form.Set("resource", s.OtherResourceURL())
	return accessTokenOf(expectTokens(postToken(s, form)))
}

var otherResourceFaultChecks = map[fault.Name]func(s *mockserver.Server){
	fault.RSAcceptOtherResource: func(s *mockserver.Server) {
		expectServed(s, otherResourceToken(addOAuthClients(s)))
	},
}

func init() { maps.Copy(faultChecks, otherResourceFaultChecks) }

var _ = Describe("The other resource", func() {
	It("lies on the MCP server's origin, and its tokens are issued but refused by the MCP endpoint", func() {
		s := startAS()
		Expect(s.OtherResourceURL()).To(Equal(mustOrigin(s.MCPURL()) + "/other-mcp"))
		Expect(postMCP(s, "Bearer "+otherResourceToken(s)).status).To(Equal(http.StatusUnauthorized))
	})
})
