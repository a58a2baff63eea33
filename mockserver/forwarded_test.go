package mockserver_test

import (
	"maps"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockserver"
)

// forwarded sends req with the forwarding headers an attacker would.
func forwarded(req *http.Request) answer {
	GinkgoHelper()
	req.Header.Set("X-Forwarded-Host", "attacker.invalid")
	req.Header.Set("X-Forwarded-Proto", "http")
	return do(client, req)
}

var forwardedFaultChecks = map[fault.Name]func(s *mockserver.Server){
	fault.RSTrustForwardedHeaders: func(s *mockserver.Server) {
		Expect(forwarded(getRequest(prmURLs(s)[0])).json()["resource"]).To(Equal("http://attacker.invalid/mcp"))
		Expect(forwarded(mcpRequest(s, "")).header.Get("WWW-Authenticate")).To(
			ContainSubstring(`resource_metadata="http://attacker.invalid/.well-known/oauth-protected-resource/mcp"`))
		Expect(get(prmURLs(s)[0]).json()["resource"]).To(Equal(s.MCPURL()), "without the headers")
	},
}

func init() { maps.Copy(faultChecks, forwardedFaultChecks) }

var _ = Describe("Forwarding headers", func() {
	It("change neither the metadata's resource nor the challenge", func() {
		s := start()
		Expect(forwarded(getRequest(prmURLs(s)[0])).json()["resource"]).To(Equal(s.MCPURL()))
		Expect(forwarded(mcpRequest(s, "")).header.Get("WWW-Authenticate")).To(ContainSubstring(prmChallenge(s)))
	})
})
