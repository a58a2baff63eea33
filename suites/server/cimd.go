package server

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/suites/check"
)

// Each attack publishes its own documents at fresh URLs, so no
// authorization server cache can answer for them.
func describeClientIDMetadataDocuments(s *Session) {
	Describe("Client ID metadata documents", func() {

		It("completes the authorization code flow for a client known by its client ID metadata document", check.ID("AS-CIMD-003"), func(ctx SpecContext) {
			s.needDocumentSupport(ctx)
			check.Need(s.Tokens(ctx)) // the flow itself works for a registered client
			check.Require(s.DocumentClient(ctx))
		})

		It("refuses a client ID metadata document whose client_id is not its own URL", check.ID("AS-CIMD-001"), func(ctx SpecContext) {
			host, legitimate := s.needDocumentHost(ctx)
			// The document claims the client_id of the client whose document
			// was accepted: a client impersonating another.
			docURL := host.NewURL()
			Expect(host.ServeDocument(docURL, s.clientDocument(ctx, legitimate.ID))).To(Succeed(), "publishing the document")
			a := check.Require(s.Authorize(ctx, &registeredClient{ID: docURL, AuthMethod: "none"}))
			check.Attach(host.Fetches(docURL))
			expectNoCode(a, "a client ID metadata document whose client_id is not the URL it was fetched from must be refused")
		})

		It("does not follow redirects when fetching a client ID metadata document", check.ID("AS-CIMD-002"), func(ctx SpecContext) {
			host, _ := s.needDocumentHost(ctx)
			// Followed, the redirect leads to a document valid for the URL
			// the authorization server was given.
			docURL, target := host.NewURL(), host.NewURL()
			Expect(host.ServeDocument(target, s.clientDocument(ctx, docURL))).To(Succeed(), "publishing the document")
			host.ServeRedirect(docURL, target)
			check.Require(s.Authorize(ctx, &registeredClient{ID: docURL, AuthMethod: "none"}))
			check.Attach(host.Fetches(docURL, target))
			if len(host.Fetches(docURL)) == 0 {
				Skip(check.PrerequisitePrefix + "the authorization server never fetched the client ID metadata document")
			}
			Expect(host.Fetches(target)).To(BeEmpty(),
				"the authorization server should not follow a redirect when it fetches a client ID metadata document (a redirect can lead it anywhere); it fetched the redirect's target")
		})
	})
}

// needDocumentHost is the suite's document host, where the authorization
// server advertises client ID metadata documents and can reach the host,
// with the client whose document it accepted.
func (s *Session) needDocumentHost(ctx SpecContext) (*documentHost, *documentClient) {
	host := s.needDocumentSupport(ctx)
	return host, check.Need(s.DocumentClient(ctx))
}

// needDocumentSupport is the suite's document host, where the
// authorization server advertises client ID metadata documents and can
// reach the host.
func (s *Session) needDocumentSupport(ctx SpecContext) *documentHost {
	meta := check.Need(s.discovery.AuthorizationServerMetadata(ctx))
	if string(meta.Members["client_id_metadata_document_supported"]) != "true" {
		Skip(check.NotRunPrefix + "the authorization server metadata does not set client_id_metadata_document_supported")
	}
	e := check.Need(s.Endpoints(ctx))
	if !onLoopback(e.Authorization) {
		Skip(check.NotRunPrefix + "the authorization server is not on loopback: it cannot fetch the client ID metadata documents the suite serves on 127.0.0.1")
	}
	return check.Need(s.DocumentHost())
}
