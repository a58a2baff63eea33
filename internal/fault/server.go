package fault

// The faults of the reference target (package mockserver): the resource
// server (rs) and the authorization server (as).
const (
	// The MCP endpoint's answer to a request without a valid token.
	RSChallengeNoResourceMetadata Name = "rs.challenge-no-resource-metadata"
	RSChallengeNoScope            Name = "rs.challenge-no-scope"
	RSErrorWithoutCredentials     Name = "rs.error-without-credentials"
	RSMCPHang                     Name = "rs.mcp-hang"
	RSNoAuth                      Name = "rs.no-auth"
	RSNoWWWAuthenticate           Name = "rs.no-www-authenticate"
	RSSessionAuthorizes           Name = "rs.session-authorizes"

	// Protected resource metadata (RFC 9728).
	RSPRMAdvertisesQuery        Name = "rs.prm-advertises-query"
	RSPRMHang                   Name = "rs.prm-hang"
	RSPRMHugeBody               Name = "rs.prm-huge-body"
	RSPRMMalformedJSON          Name = "rs.prm-malformed-json"
	RSPRMMissing                Name = "rs.prm-missing"
	RSPRMNoAuthorizationServers Name = "rs.prm-no-authorization-servers"
	RSPRMNoScopes               Name = "rs.prm-no-scopes"
	RSPRMRedirectLoop           Name = "rs.prm-redirect-loop"
	RSPRMRedirectOffhost        Name = "rs.prm-redirect-offhost"
	RSPRMResourceMismatch       Name = "rs.prm-resource-mismatch"
	RSPRMRootOnly               Name = "rs.prm-root-only"
	RSPRMSchemaViolation        Name = "rs.prm-schema-violation"
	RSPRMWrongContentType       Name = "rs.prm-wrong-content-type"
	RSTrustForwardedHeaders     Name = "rs.trust-forwarded-headers"

	// Access token validation at the MCP endpoint.
	RSAcceptAlgNone           Name = "rs.accept-alg-none"
	RSAcceptAnyAudience       Name = "rs.accept-any-audience"
	RSAcceptEmbeddedJWK       Name = "rs.accept-embedded-jwk"
	RSAcceptExpired           Name = "rs.accept-expired"
	RSAcceptForeignKey        Name = "rs.accept-foreign-key"
	RSAcceptHS256Confusion    Name = "rs.accept-hs256-confusion"
	RSAcceptMalformedHeader   Name = "rs.accept-malformed-header"
	RSAcceptNotYetValid       Name = "rs.accept-not-yet-valid"
	RSAcceptOtherResource     Name = "rs.accept-other-resource"
	RSAcceptQueryToken        Name = "rs.accept-query-token"
	RSAcceptRevoked           Name = "rs.accept-revoked"
	RSAcceptWrongIssuer       Name = "rs.accept-wrong-issuer"
	RSExpectsOriginAudience   Name = "rs.expects-origin-audience"
	RSInvalidTokenNoErrorCode Name = "rs.invalid-token-no-error-code"
	RSRefuseTrustedIssuer     Name = "rs.refuse-trusted-issuer"

	// Scopes and step-up authorization at the MCP endpoint.
	RSEndpointScopeNoError Name = "rs.endpoint-scope-no-error"
	RSNoScopeCheck         Name = "rs.no-scope-check"
	RSStepUpAs401          Name = "rs.step-up-as-401"
	RSStepUpNoScope        Name = "rs.step-up-no-scope"

	// Token passthrough to the upstream API.
	RSPassthroughToken Name = "rs.passthrough-token"

	// Authorization server metadata (RFC 8414, OpenID discovery).
	ASMetadataIssuerMismatch           Name = "as.metadata.issuer-mismatch"
	ASMetadataMalformedJSON            Name = "as.metadata.malformed-json"
	ASMetadataMissing                  Name = "as.metadata.missing"
	ASMetadataNoAuthorizationCodeGrant Name = "as.metadata.no-authorization-code-grant"
	ASMetadataNoCodeResponseType       Name = "as.metadata.no-code-response-type"
	ASMetadataNoS256                   Name = "as.metadata.no-s256"
	ASMetadataNoTokenEndpoint          Name = "as.metadata.no-token-endpoint"
	ASMetadataOIDCOnly                 Name = "as.metadata.oidc-only"
	ASMetadataRedirectOffhost          Name = "as.metadata.redirect-offhost"
	ASMetadataSchemaViolation          Name = "as.metadata.schema-violation"
	ASMetadataWrongContentType         Name = "as.metadata.wrong-content-type"

	// PKCE (RFC 7636).
	ASPKCEAcceptBadVerifierFormat        Name = "as.pkce.accept-bad-verifier-format"
	ASPKCEAcceptChallengeAsVerifier      Name = "as.pkce.accept-challenge-as-verifier"
	ASPKCEAcceptMissingVerifier          Name = "as.pkce.accept-missing-verifier"
	ASPKCEAcceptPlain                    Name = "as.pkce.accept-plain"
	ASPKCEAcceptUnknownMethod            Name = "as.pkce.accept-unknown-method"
	ASPKCEAcceptVerifierWithoutChallenge Name = "as.pkce.accept-verifier-without-challenge"
	ASPKCEAcceptWrongVerifier            Name = "as.pkce.accept-wrong-verifier"
	ASPKCEAdvertisedPlainRefused         Name = "as.pkce.advertised-plain-refused"
	ASPKCEOptional                       Name = "as.pkce.optional"

	// Authorization codes.
	ASCodeAllowReplay      Name = "as.code.allow-replay"
	ASCodeNoRevokeOnReplay Name = "as.code.no-revoke-on-replay"
	ASCodeNotClientBound   Name = "as.code.not-client-bound"
	ASCodeReplayError500   Name = "as.code.replay-error-500"

	// Redirect URI handling.
	ASRedirectErrorToUnregistered Name = "as.redirect.error-to-unregistered"
	ASRedirectPrefixMatch         Name = "as.redirect.prefix-match"
	ASRedirectUncheckedAtToken    Name = "as.redirect.unchecked-at-token"

	// The authorization response.
	ASISSOmit           Name = "as.iss.omit"
	ASISSWrong          Name = "as.iss.wrong"
	ASISSTrailingSlash  Name = "as.iss.trailing-slash"
	ASISSPercentEncoded Name = "as.iss.percent-encoded"
	ASTokenInResponse   Name = "as.authorization.token-in-response"
	ASStateNotReturned  Name = "as.state.not-returned"
	ASStateWrong        Name = "as.state.wrong"

	// Resource indicators (RFC 8707).
	ASResourceAcceptAny Name = "as.resource.accept-any"
	ASResourceIgnored   Name = "as.resource.ignored"
	ASResourceRejected  Name = "as.resource.rejected"

	// Token endpoint answers.
	ASTokenMalformedJSON              Name = "as.token.malformed-json"
	ASTokenMissingCodeHTML            Name = "as.token.missing-code-html"
	ASTokenNoAccessToken              Name = "as.token.no-access-token"
	ASTokenNoCacheControl             Name = "as.token.no-cache-control"
	ASTokenRefuseCodes                Name = "as.token.refuse-codes"
	ASTokenUnknownGrantInvalidRequest Name = "as.token.unknown-grant-invalid-request"

	// Refresh tokens.
	ASRefreshAllowReuse      Name = "as.refresh.allow-reuse"
	ASRefreshNoRevokeOnReuse Name = "as.refresh.no-revoke-on-reuse"
	ASRefreshNoRotation      Name = "as.refresh.no-rotation"
	ASRefreshNotClientBound  Name = "as.refresh.not-client-bound"
	ASRefreshWidenResource   Name = "as.refresh.widen-resource"
	ASRefreshWidenScope      Name = "as.refresh.widen-scope"

	// The client credentials grant.
	ASCCAcceptWrongSecret Name = "as.cc.accept-wrong-secret"
	ASCCDisabled          Name = "as.cc.disabled"
	ASCCPublicClient      Name = "as.cc.public-client"
	ASCCWidenScope        Name = "as.cc.widen-scope"

	// Client authentication at the token endpoint.
	ASClientAcceptOtherAuthMethod   Name = "as.client.accept-other-auth-method"
	ASClientAcceptOtherSecretMethod Name = "as.client.accept-other-secret-method"
	ASClientAcceptWrongSecret       Name = "as.client.accept-wrong-secret"
	ASClientInvalidClient400        Name = "as.client.invalid-client-400"

	// Dynamic client registration (RFC 7591).
	ASDCRAcceptAnyInitialToken   Name = "as.dcr.accept-any-initial-token"
	ASDCRAcceptDataURI           Name = "as.dcr.accept-data-uri"
	ASDCRAcceptFragment          Name = "as.dcr.accept-fragment"
	ASDCRAcceptHTTPNonLoopback   Name = "as.dcr.accept-http-non-loopback"
	ASDCRAcceptJavascriptURI     Name = "as.dcr.accept-javascript-uri"
	ASDCRAcceptUnknownAuthMethod Name = "as.dcr.accept-unknown-auth-method"
	ASDCRAcceptUnknownGrantType  Name = "as.dcr.accept-unknown-grant-type"
	ASDCRLooseTypes              Name = "as.dcr.loose-types"
	ASDCRNoClientSecret          Name = "as.dcr.no-client-secret"
	ASDCRNoSecretExpiry          Name = "as.dcr.no-secret-expiry"
	ASDCROpenDespiteProtection   Name = "as.dcr.open-despite-protection"
	ASDCRPublicClientCredentials Name = "as.dcr.public-client-credentials"
	ASDCRRejectLoopbackRedirect  Name = "as.dcr.reject-loopback-redirect"
	ASDCRWrongErrorCode          Name = "as.dcr.wrong-error-code"

	// Client ID metadata documents.
	ASCIMDFollowRedirects   Name = "as.cimd.follow-redirects"
	ASCIMDIgnoreDocuments   Name = "as.cimd.ignore-documents"
	ASCIMDSkipClientIDCheck Name = "as.cimd.skip-client-id-check"

	// Token introspection (RFC 7662).
	ASIntrospectionRevokedActive   Name = "as.introspection.revoked-active"
	ASIntrospectionUnauthenticated Name = "as.introspection.unauthenticated"

	// Transport security.
	ASPlainHTTP Name = "as.plain-http"
)
