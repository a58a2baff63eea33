package client

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/suites/check"
)

// Document names, as mockserver.URLs names them.
const (
	docPRM        = "protected resource metadata"
	docPRMRoot    = "protected resource metadata (root)"
	docASMetadata = "authorization server metadata"
	docOpenID     = "openid configuration"
)

func describeDiscovery(s *Session) {
	Describe("Discovery", func() {
		It("fetches the protected resource metadata the 401 challenge names", check.ID("CL-DISC-001"), func() {
			check.Need(s.completedFlow())
			o := check.Need(s.Observe("auth/metadata-in-challenge-only"))
			named := o.URLs[docPRM]
			inserted, _ := spec.InsertWellKnown(o.MCPURL, spec.SuffixProtectedResource)
			root, _ := spec.RootWellKnown(o.MCPURL, spec.SuffixProtectedResource)
			for _, r := range o.Requests {
				switch {
				case sameEndpoint(r.URL, named):
					return
				case sameEndpoint(r.URL, inserted) || sameEndpoint(r.URL, root):
					Fail(fmt.Sprintf("the client looked for the metadata at %s before the URL the challenge named (%s): "+
						"the challenge's resource_metadata comes first", r.URL.Path, named))
				}
			}
			Fail(fmt.Sprintf("the client never fetched %s, the metadata URL the 401 challenge named (%s)", named, o.Ending()))
		})

		It("refuses protected resource metadata naming another resource", check.ID("CL-META-001"), func() {
			s.expectStoppedAfter("auth/resource-mismatch", []string{docPRM, docPRMRoot},
				"protected resource metadata whose resource is not the MCP server must be refused")
		})

		It("refuses authorization server metadata naming another issuer", check.ID("CL-META-002"), func() {
			s.expectStoppedAfter("auth/metadata-issuer-mismatch", []string{docASMetadata, docOpenID},
				"authorization server metadata whose issuer differs from the one it was found for must be refused")
		})

		It("refuses an authorization server that does not offer S256", check.ID("CL-PKCE-001"), func() {
			s.expectStoppedAfter("auth/no-s256", []string{docASMetadata, docOpenID},
				"an authorization server whose metadata lacks S256 in code_challenge_methods_supported must be refused")
		})
	})
}
