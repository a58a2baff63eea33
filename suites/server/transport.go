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

var _ = Describe("Transport security", func() {
	check.Frame()

	It("serves every endpoint it advertises over HTTPS", check.ID("AS-TLS-001"), func(ctx SpecContext) {
		skipPlainLoopback()
		meta := check.Need(discovery.AuthorizationServerMetadata(ctx))
		for _, member := range advertisedEndpoints {
			if endpoint, ok := meta.String(member); ok {
				Expect(scheme(endpoint)).To(Equal("https"), "the %s %s must be an https URL", member, endpoint)
			}
		}
	})

	It("serves the MCP endpoint and names its authorization servers over HTTPS", check.ID("RS-TLS-001"), func(ctx SpecContext) {
		skipPlainLoopback()
		Expect(scheme(discovery.MCPURL)).To(Equal("https"), "the MCP endpoint %s must be served over https", discovery.MCPURL)
		prm := check.Need(discovery.ProtectedResourceMetadata(ctx))
		servers, _ := prm.Strings("authorization_servers")
		for _, issuer := range servers {
			Expect(scheme(issuer)).To(Equal("https"), "the authorization server %s must be named by an https URL", issuer)
		}
	})
})

// skipPlainLoopback skips a transport check for a target given as plain
// http on loopback: a local test deployment, not one whose transport can
// be judged.
func skipPlainLoopback() {
	u, err := url.Parse(discovery.MCPURL)
	if err != nil || u.Scheme != "http" {
		return
	}
	if spec.IsLoopbackHost(u.Hostname()) {
		Skip(check.NotRunPrefix + "the target is plain http on loopback (" + u.Host + "): HTTPS is judged on its https deployment")
	}
}

func scheme(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return u.Scheme
}
