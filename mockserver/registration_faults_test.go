package mockserver_test

import (
	"maps"
	"net/http"

	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockserver"
)

var registrationInteropFaultChecks = map[fault.Name]func(s *mockserver.Server){
	fault.ASDCRRejectLoopbackRedirect: func(s *mockserver.Server) {
		for _, uri := range []string{loopbackRedirect, "http://localhost:8976/callback", "http://[::1]:8976/callback"} {
			expectRegistered(register(start(), redirectsTo(uri)))
			expectRefused(register(s, redirectsTo(uri)), http.StatusBadRequest, "invalid_redirect_uri")
		}
		expectRegistered(register(s, redirectsTo("https://client.example/cb")))
	},
	fault.ASDCRNoClientSecret: func(s *mockserver.Server) {
		confidential := `{"redirect_uris":["https://client.example/cb"],"token_endpoint_auth_method":"client_secret_basic"}`
		Expect(expectRegistered(register(start(), confidential))).To(HaveKey("client_secret"))
		doc := expectRegistered(register(s, confidential))
		Expect(doc).To(HaveKeyWithValue("token_endpoint_auth_method", "client_secret_basic"))
		Expect(doc).NotTo(HaveKey("client_secret"))
	},
}

func init() { maps.Copy(faultChecks, registrationInteropFaultChecks) }
