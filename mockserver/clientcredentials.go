package mockserver

// WithClientCredentialsOnly makes the authorization server one for machine
// clients, as MCP's OAuth client credentials extension describes it: its
// metadata lists the client_credentials grant alone and authMethod
// (client_secret_basic or private_key_jwt) alone among the token endpoint
// auth methods, and it takes no client ID metadata documents. Its clients
// are pre-registered (WithClient, WithoutDynamicRegistration), so no client
// gets a token any other way.
func WithClientCredentialsOnly(authMethod string) Option {
	return func(c *config) { c.clientCredentialsOnly = authMethod }
}

// restrictToClientCredentials narrows the metadata under
// WithClientCredentialsOnly.
func (s *Server) restrictToClientCredentials(doc map[string]any) {
	method := s.cfg.clientCredentialsOnly
	if method == "" {
		return
	}
	doc["grant_types_supported"] = []string{grantClientCredentials}
	doc["token_endpoint_auth_methods_supported"] = []string{method}
	if method != authPrivateKeyJWT {
		delete(doc, "token_endpoint_auth_signing_alg_values_supported")
	}
}
