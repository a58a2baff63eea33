package server

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/fixtures"
	"github.com/mcpconform/mcpconform/internal/schema"
	"github.com/mcpconform/mcpconform/suites/check"
)

func describeAuthorizationServerMetadata(s *Session) {
	Describe("Authorization server metadata", func() {
		It("publishes authorization server metadata where the revision says", check.ID("AS-META-001"), func(ctx SpecContext) {
			check.Need(s.discovery.Issuer(ctx))
			check.Require(s.discovery.AuthorizationServerMetadata(ctx))
		})

		It("publishes metadata at the MCP server's origin", check.ID("AS-LEG-001"), func(ctx SpecContext) {
			check.Require(s.discovery.AuthorizationServerMetadata(ctx))
		})

		It("publishes the issuer it was discovered under", check.ID("AS-META-002"), func(ctx SpecContext) {
			meta := check.Need(s.discovery.AuthorizationServerMetadata(ctx))
			issuer, _ := meta.String("issuer")
			Expect(issuer).To(Equal(meta.ExpectedIssuer),
				"issuer must be identical, byte for byte, to the issuer the metadata was looked up for")
		})

		It("serves authorization server metadata as application/json", check.ID("AS-META-003"), func(ctx SpecContext) {
			meta := check.Need(s.discovery.AuthorizationServerMetadata(ctx))
			Expect(meta.Response.ContentType()).To(Equal("application/json"),
				"authorization server metadata must be served as application/json")
		})

		It("advertises its authorization and token endpoints", check.ID("AS-META-004"), func(ctx SpecContext) {
			meta := check.Need(s.discovery.AuthorizationServerMetadata(ctx))
			for _, member := range []string{"authorization_endpoint", "token_endpoint"} {
				endpoint, _ := meta.String(member)
				Expect(endpoint).NotTo(BeEmpty(), "%s must be advertised for the authorization code grant", member)
			}
		})

		It("supports the code response type", check.ID("AS-META-005"), func(ctx SpecContext) {
			meta := check.Need(s.discovery.AuthorizationServerMetadata(ctx))
			types, _ := meta.Strings("response_types_supported")
			Expect(types).To(ContainElement("code"), "response_types_supported must contain code")
		})

		It("advertises S256 in code_challenge_methods_supported", check.ID("AS-META-006"), func(ctx SpecContext) {
			meta := check.Need(s.discovery.AuthorizationServerMetadata(ctx))
			methods, _ := meta.Strings("code_challenge_methods_supported")
			Expect(methods).To(ContainElement("S256"),
				"clients must refuse to authorize unless code_challenge_methods_supported offers S256")
		})

		It("matches the authorization server metadata schema", check.ID("AS-META-007"), func(ctx SpecContext) {
			meta := check.Need(s.discovery.AuthorizationServerMetadata(ctx))
			if err := schema.Validate(fixtures.SchemaAuthorizationServerMetadata, meta.Raw); err != nil {
				Fail("authorization server metadata members must have the types RFC 8414 §2 gives them; " + err.Error())
			}
		})

		It("lists authorization_code among its grant types", check.ID("AS-META-008"), func(ctx SpecContext) {
			meta := check.Need(s.discovery.AuthorizationServerMetadata(ctx))
			grants, present := meta.Strings("grant_types_supported")
			if !meta.Has("grant_types_supported") {
				return // RFC 8414 default: authorization_code and implicit
			}
			Expect(present).To(BeTrue(), "grant_types_supported must be an array of strings")
			Expect(grants).To(ContainElement("authorization_code"), "MCP clients use the authorization code grant")
		})
	})
}
