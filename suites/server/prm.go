package server

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/fixtures"
	"github.com/mcpconform/mcpconform/internal/schema"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/suites/check"
)

func describeProtectedResourceMetadata(s *Session) {
	Describe("Protected resource metadata", func() {
		It("publishes protected resource metadata where clients look for it", check.ID("RS-PRM-001"), func(ctx SpecContext) {
			check.Require(s.discovery.ProtectedResourceMetadata(ctx))
		})

		It("serves protected resource metadata as application/json", check.ID("RS-PRM-002"), func(ctx SpecContext) {
			doc := check.Need(s.discovery.ProtectedResourceMetadata(ctx))
			Expect(doc.Response.ContentType()).To(Equal("application/json"),
				"protected resource metadata must be served as application/json")
		})

		It("publishes metadata at the path-inserted well-known URL", check.ID("RS-PRM-003"), func(ctx SpecContext) {
			if root, ok := s.rootMetadataNamedByChallenge(ctx); ok {
				check.Attach(root)
				return
			}
			check.Require(s.discovery.PathInsertedMetadata(ctx))
		})

		It("names the MCP endpoint URL as its resource", check.ID("RS-PRM-004"), func(ctx SpecContext) {
			doc := check.Need(s.discovery.ProtectedResourceMetadata(ctx))
			resource, ok := doc.String("resource")
			Expect(ok).To(BeTrue(), "the resource member must be a string")
			Expect(resource).To(Equal(s.discovery.MCPURL),
				"resource must be exactly the MCP endpoint URL the metadata was found for")
		})

		It("lists at least one authorization server", check.ID("RS-PRM-005"), func(ctx SpecContext) {
			doc := check.Need(s.discovery.ProtectedResourceMetadata(ctx))
			servers, _ := doc.Strings("authorization_servers")
			Expect(servers).NotTo(BeEmpty(), "authorization_servers must list at least one issuer")
		})

		It("matches the protected resource metadata schema", check.ID("RS-PRM-006"), func(ctx SpecContext) {
			doc := check.Need(s.discovery.ProtectedResourceMetadata(ctx))
			if err := schema.Validate(fixtures.SchemaProtectedResourceMetadata, doc.Raw); err != nil {
				Fail("protected resource metadata members must have the types RFC 9728 §2 gives them; " + err.Error())
			}
		})

		It("advertises the scopes it accepts", check.ID("RS-PRM-007"), func(ctx SpecContext) {
			doc := check.Need(s.discovery.ProtectedResourceMetadata(ctx))
			scopes, _ := doc.Strings("scopes_supported")
			Expect(scopes).NotTo(BeEmpty(), "scopes_supported should list the scopes clients may request")
		})

		It("does not offer bearer tokens in the query string", check.ID("RS-PRM-008"), func(ctx SpecContext) {
			doc := check.Need(s.discovery.ProtectedResourceMetadata(ctx))
			methods, _ := doc.Strings("bearer_methods_supported")
			Expect(methods).NotTo(ContainElement("query"),
				"MCP forbids access tokens in the query string, so bearer_methods_supported must not offer it")
		})
	})
}

// rootMetadataNamedByChallenge is the protected resource metadata when the
// 401 challenge names the root well-known URL and it serves there. From
// 2025-11-25 (SEP-985) the challenge alone may tell clients where the
// metadata is, and they fall back to the root URL: no path-inserted copy is
// then due.
func (s *Session) rootMetadataNamedByChallenge(ctx context.Context) (*mockclient.Document, bool) {
	if !s.discovery.Revision.FallsBackToRootMetadata() {
		return nil, false
	}
	root, err := spec.RootWellKnown(s.discovery.MCPURL, spec.SuffixProtectedResource)
	if err != nil {
		return nil, false
	}
	if ch, err := s.discovery.BearerChallenge(ctx); err != nil || ch.Params["resource_metadata"] != root {
		return nil, false
	}
	doc, err := s.discovery.ProtectedResourceMetadata(ctx)
	return doc, err == nil
}
