package schema_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/fixtures"
	"github.com/mcpconform/mcpconform/internal/schema"
)

func TestSchema(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "schema")
}

var _ = DescribeTable("validating metadata documents",
	func(name, doc string, valid bool) {
		err := schema.Validate(name, []byte(doc))
		if valid {
			Expect(err).NotTo(HaveOccurred())
		} else {
			Expect(err).To(HaveOccurred())
		}
	},
	Entry("minimal protected resource metadata", fixtures.SchemaProtectedResourceMetadata,
		`{"resource":"https://h/mcp","authorization_servers":["https://as"]}`, true),
	Entry("resource missing", fixtures.SchemaProtectedResourceMetadata, `{"authorization_servers":["https://as"]}`, false),
	Entry("resource_name not a string", fixtures.SchemaProtectedResourceMetadata, `{"resource":"https://h/mcp","resource_name":7}`, false),
	Entry("empty scopes_supported", fixtures.SchemaProtectedResourceMetadata, `{"resource":"https://h/mcp","scopes_supported":[]}`, false),
	Entry("unknown bearer method", fixtures.SchemaProtectedResourceMetadata, `{"resource":"https://h/mcp","bearer_methods_supported":["cookie"]}`, false),
	Entry("authorization server metadata", fixtures.SchemaAuthorizationServerMetadata,
		`{"issuer":"https://as","authorization_endpoint":"https://as/a","token_endpoint":"https://as/t","response_types_supported":["code"],"code_challenge_methods_supported":["S256"]}`, true),
	Entry("auth methods as a string", fixtures.SchemaAuthorizationServerMetadata, `{"issuer":"https://as","token_endpoint_auth_methods_supported":"none"}`, false),
	Entry("alg none for endpoint auth", fixtures.SchemaAuthorizationServerMetadata, `{"issuer":"https://as","token_endpoint_auth_signing_alg_values_supported":["none"]}`, false),
	Entry("not an object", fixtures.SchemaAuthorizationServerMetadata, `[1,2]`, false),
	Entry("not JSON", fixtures.SchemaAuthorizationServerMetadata, `{"issuer":`, false),
)

var _ = It("names an unknown schema", func() {
	Expect(schema.Validate("nope.json", []byte(`{}`))).To(MatchError(ContainSubstring("no schema")))
})
