package server

import (
	"net/url"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/suites/check"
)

// advertisedEndpoints are the authorization server metadata members that
// name URLs a client or resource server talks to.
var advertisedEndpoints = []string{"issuer", "authorization_endpoint", "token_endpoint", "registration_endpoint",
	"jwks_uri", "introspection_endpoint", "revocation_endpoint", "userinfo_endpoint"}

func describeTransport(s *Session) {
	Describe("Transport security", func() {

		It("serves every endpoint it advertises over HTTPS", check.ID("AS-TLS-001"), func(ctx SpecContext) {
			s.skipPlainLoopback()
			meta := check.Need(s.discovery.AuthorizationServerMetadata(ctx))
			for _, member := range advertisedEndpoints {
				if endpoint, ok := meta.String(member); ok {
					Expect(scheme(endpoint)).To(Equal("https"), "the %s %s must be an https URL", member, endpoint)
				}
			}
		})

		It("serves the MCP endpoint and names its authorization servers over HTTPS", check.ID("RS-TLS-001"), func(ctx SpecContext) {
			s.skipPlainLoopback()
			Expect(scheme(s.discovery.MCPURL)).To(Equal("https"), "the MCP endpoint %s must be served over https", s.discovery.MCPURL)
			prm := check.Need(s.discovery.ProtectedResourceMetadata(ctx))
			servers, _ := prm.Strings("authorization_servers")
			for _, issuer := range servers {
				Expect(scheme(issuer)).To(Equal("https"), "the authorization server %s must be named by an https URL", issuer)
			}
		})
	})
}

// skipPlainLoopback skips a transport check for a target given as plain
// http on loopback: a local test deployment, to which the HTTPS
// requirement does not apply.
func (s *Session) skipPlainLoopback() {
	u, err := url.Parse(s.discovery.MCPURL)
	if err != nil || u.Scheme != "http" {
		return
	}
	if spec.IsLoopbackHost(u.Hostname()) {
		Skip(check.NotApplicablePrefix + "the target is plain http on loopback (" + u.Host + "): HTTPS is judged on its https deployment")
	}
}

func scheme(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return u.Scheme
}
