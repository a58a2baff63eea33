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
	func(name, doc string, violations ...string) {
		err := schema.Validate(name, []byte(doc))
		if len(violations) == 0 {
			Expect(err).NotTo(HaveOccurred())
			return
		}
		Expect(err).To(HaveOccurred())
		Expect(err.Error()).NotTo(ContainSubstring("\n"), "one line, for the console")
		for _, v := range violations {
			Expect(err.Error()).To(ContainSubstring(v))
		}
	},
	Entry("minimal protected resource metadata", fixtures.SchemaProtectedResourceMetadata,
		`{"resource":"https://h/mcp","authorization_servers":["https://as"]}`),
	Entry("resource missing", fixtures.SchemaProtectedResourceMetadata, `{"authorization_servers":["https://as"]}`,
		"at the document, keyword required: missing property 'resource'"),
	Entry("resource_name not a string", fixtures.SchemaProtectedResourceMetadata, `{"resource":"https://h/mcp","resource_name":7}`,
		"not valid against protected-resource-metadata.json: at /resource_name, keyword type: got number, want string"),
	Entry("empty scopes_supported", fixtures.SchemaProtectedResourceMetadata, `{"resource":"https://h/mcp","scopes_supported":[]}`,
		"at /scopes_supported, keyword minItems: got 0, want 1"),
	Entry("unknown bearer method", fixtures.SchemaProtectedResourceMetadata, `{"resource":"https://h/mcp","bearer_methods_supported":["cookie"]}`,
		"at /bearer_methods_supported/0, keyword enum:"),
	Entry("authorization server metadata", fixtures.SchemaAuthorizationServerMetadata,
		`{"issuer":"https://as","authorization_endpoint":"https://as/a","token_endpoint":"https://as/t","response_types_supported":["code"],"code_challenge_methods_supported":["S256"]}`),
	Entry("auth methods as a string", fixtures.SchemaAuthorizationServerMetadata, `{"issuer":"https://as","token_endpoint_auth_methods_supported":"none"}`,
		"at /token_endpoint_auth_methods_supported, keyword type: got string, want array"),
	Entry("alg none for endpoint auth", fixtures.SchemaAuthorizationServerMetadata, `{"issuer":"https://as","token_endpoint_auth_signing_alg_values_supported":["none"]}`,
		"at /token_endpoint_auth_signing_alg_values_supported/0: 'not' failed"),
	Entry("two violations, in pointer order", fixtures.SchemaProtectedResourceMetadata, `{"resource":"https://h/mcp","scopes_supported":[],"resource_name":7}`,
		"at /resource_name, keyword type: got number, want string; at /scopes_supported, keyword minItems"),
	Entry("not an object", fixtures.SchemaAuthorizationServerMetadata, `[1,2]`, "at the document, keyword type: got array, want object"),
	Entry("not JSON", fixtures.SchemaAuthorizationServerMetadata, `{"issuer":`, "not JSON"),
)

var _ = It("names an unknown schema", func() {
	Expect(schema.Validate("nope.json", []byte(`{}`))).To(MatchError(ContainSubstring("no schema")))
})
