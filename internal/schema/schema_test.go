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
	Entry("client information of a public client", fixtures.SchemaClientInformationResponse,
		`{"client_id":"c","client_id_issued_at":1700000000,"redirect_uris":["http://127.0.0.1/cb"],"token_endpoint_auth_method":"none","grant_types":["authorization_code"],"response_types":["code"]}`),
	Entry("client information with a secret that never expires", fixtures.SchemaClientInformationResponse,
		`{"client_id":"c","client_secret":"s","client_secret_expires_at":0,"jwks":{"keys":[]},"response_types":[]}`),
	Entry("an empty client secret, which issues none", fixtures.SchemaClientInformationResponse, `{"client_id":"c","client_secret":""}`),
	Entry("a client secret without client_secret_expires_at", fixtures.SchemaClientInformationResponse, `{"client_id":"c","client_secret":"s"}`,
		"at the document, keyword required: missing property 'client_secret_expires_at'"),
	Entry("client_secret_expires_at as a string", fixtures.SchemaClientInformationResponse,
		`{"client_id":"c","client_secret":"s","client_secret_expires_at":"0"}`, "at /client_secret_expires_at, keyword type: got string, want integer"),
	Entry("a null member", fixtures.SchemaClientInformationResponse, `{"client_id":"c","client_uri":null}`,
		"at /client_uri, keyword type: got null, want string"),
	Entry("redirect_uris as an object", fixtures.SchemaClientInformationResponse, `{"client_id":"c","redirect_uris":{"0":"http://127.0.0.1/cb"}}`,
		"at /redirect_uris, keyword type: got object, want array"),
	Entry("scope as an array", fixtures.SchemaClientInformationResponse, `{"client_id":"c","scope":["mcp:tools"]}`,
		"at /scope, keyword type: got array, want string"),
	Entry("no client_id", fixtures.SchemaClientInformationResponse, `{"client_name":"c"}`, "missing property 'client_id'"),
	Entry("not JSON", fixtures.SchemaAuthorizationServerMetadata, `{"issuer":`, "not JSON"),
)

var _ = It("names an unknown schema", func() {
	Expect(schema.Validate("nope.json", []byte(`{}`))).To(MatchError(ContainSubstring("no schema")))
})
