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
	fault.ASDCRNoSecretExpiry: func(s *mockserver.Server) {
		confidential := `{"redirect_uris":["https://client.example/cb"],"token_endpoint_auth_method":"client_secret_basic"}`
		Expect(expectRegistered(register(start(), confidential))).To(HaveKeyWithValue("client_secret_expires_at", BeNumerically("==", 0)))
		doc := expectRegistered(register(s, confidential))
		Expect(doc).To(HaveKey("client_secret"))
		Expect(doc).NotTo(HaveKey("client_secret_expires_at"))
	},
	fault.ASDCRLooseTypes: func(s *mockserver.Server) {
		Expect(expectRegistered(register(start(), redirectsTo(loopbackRedirect)))).NotTo(HaveKey("client_uri"))
		doc := expectRegistered(register(s, redirectsTo(loopbackRedirect)))
		Expect(doc).To(HaveKeyWithValue("client_uri", BeNil()))
		Expect(doc).To(HaveKeyWithValue("logo_uri", BeNil()))
		Expect(doc).To(HaveKeyWithValue("contacts", BeEmpty()))
		Expect(doc).To(HaveKeyWithValue("redirect_uris", ConsistOf(loopbackRedirect)))
	},
}

func init() { maps.Copy(faultChecks, registrationInteropFaultChecks) }
