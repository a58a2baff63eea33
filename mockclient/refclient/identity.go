package refclient

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockclient"
)

// clientIdentity is step d: the client as identifies it by, kept per issuer
// (client identifiers and secrets are the issuing server's alone: RFC 6749
// §2.2; MCP 2026-07-28 wants registration state per authorization server).
func (f *flow) clientIdentity(ctx context.Context, as *authorizationServer, redirectURI string) (mockclient.ClientAuth, error) {
	if auth, ok := f.clients[as.issuer]; ok {
		return auth, nil
	}
	auth, err := f.newClientIdentity(ctx, as, redirectURI)
	if err == nil {
		f.clients[as.issuer] = auth
	}
	return auth, err
}

// newClientIdentity follows MCP's priority order: the pre-registered client
// the context names (with a secret for a confidential client), else the
// client's ID metadata document where as supports those, else one
// registered now by dynamic client registration (RFC 7591) as a native
// public client.
func (f *flow) newClientIdentity(ctx context.Context, as *authorizationServer, redirectURI string) (mockclient.ClientAuth, error) {
	if id, _ := f.cfg.Context["client_id"].(string); id != "" && f.preregisteredAt(as) && !f.has(fault.ClientIgnorePreregistered) {
		secret, _ := f.cfg.Context["client_secret"].(string)
		auth := clientAuth(id, secret)
		f.logf("client: pre-registered in the context, token endpoint auth %s", auth.Method)
		return auth, nil
	}
	if document := f.metadataDocument(as); document != "" {
		f.logf("client: the client ID metadata document %s", document)
		return clientAuth(document, ""), nil
	}
	if as.registrationEndpoint == "" {
		return mockclient.ClientAuth{}, fmt.Errorf("refclient: client registration: the authorization server has no registration_endpoint and the context no client_id")
	}
	metadata := map[string]any{
		"client_name":                "mcpconform reference client",
		"redirect_uris":              []string{redirectURI},
		"grant_types":                []string{"authorization_code", "refresh_token"},
		"response_types":             []string{"code"},
		"token_endpoint_auth_method": "none",
		"application_type":           "native",
	}
	if f.has(fault.ClientNoRefreshGrant) && slices.Contains(strings.Fields(as.scopesSupported), offlineAccess) {
		f.logf("asking for refresh tokens by offline_access alone: registering the authorization_code grant only (fault %s)",
			fault.ClientNoRefreshGrant)
		metadata["grant_types"] = []string{"authorization_code"}
	}
	if f.has(fault.ClientNoApplicationType) {
		delete(metadata, "application_type")
	}
	answer, err := f.send(fault.ClientRetryRegistration, "client registration", func() (*mockclient.OAuthAnswer, error) {
		return f.http.Register(ctx, as.registrationEndpoint, metadata, f.initialAccessToken())
	})
	if err != nil {
		return mockclient.ClientAuth{}, fmt.Errorf("refclient: client registration: %w", err)
	}
	refused := answer.Status != http.StatusCreated && answer.Status != http.StatusOK
	if refused && f.has(fault.ClientIgnoreRegistrationError) {
		f.skipped(fault.ClientIgnoreRegistrationError, fmt.Sprintf("the registration was refused: %d %s", answer.Status, answer.Error()))
		return clientAuth(unregisteredClientID, ""), nil
	}
	if refused {
		return mockclient.ClientAuth{}, fmt.Errorf("refclient: client registration: %s answered %d %s", as.registrationEndpoint, answer.Status, answer.Error())
	}
	id := answer.String("client_id")
	if id == "" {
		return mockclient.ClientAuth{}, fmt.Errorf("refclient: client registration: the answer has no client_id")
	}
	auth := clientAuth(id, answer.String("client_secret"))
	// RFC 7591 §3.2.1: the server may have replaced the method asked for.
	switch method := answer.String("token_endpoint_auth_method"); {
	case f.has(fault.ClientIgnoreRegisteredAuthMethod):
		f.skipped(fault.ClientIgnoreRegisteredAuthMethod, "authenticating as the public client it asked to be")
		auth = clientAuth(id, "")
	case method != "":
		auth.Method = method
	}
	f.logf("client: registered at %s, token endpoint auth %s", as.registrationEndpoint, auth.Method)
	return auth, nil
}

// initialAccessToken is the context's initial access token for dynamic
// registration (RFC 7591 §3), or "".
func (f *flow) initialAccessToken() string {
	token, _ := f.cfg.Context["initial_access_token"].(string)
	return token
}

// preregisteredAt reports whether the context's pre-registered client is
// one of as: the context's issuer's, or when it names none, the first
// authorization server the client meets.
func (f *flow) preregisteredAt(as *authorizationServer) bool {
	if issuer, _ := f.cfg.Context["issuer"].(string); issuer != "" {
		return issuer == as.issuer
	}
	return len(f.clients) == 0
}

// metadataDocumentURL is the URL of the client's ID metadata document the
// context names; "" without one.
func (f *flow) metadataDocumentURL() string {
	url, _ := f.cfg.Context["client_metadata_url"].(string)
	return url
}

// metadataDocument is the client ID metadata document URL to use as
// client_id at as: where as advertises client_id_metadata_document_supported
// (draft-ietf-oauth-client-id-metadata-document §6); "" to register instead.
func (f *flow) metadataDocument(as *authorizationServer) string {
	url := f.metadataDocumentURL()
	switch {
	case url == "":
		return ""
	case f.has(fault.ClientCIMDRegisterAnyway):
		f.logf("registering dynamically although the client has a client ID metadata document (fault %s)", fault.ClientCIMDRegisterAnyway)
		return ""
	case as.metadataDocuments:
		return url
	case f.has(fault.ClientCIMDIgnoreSupportFlag):
		f.logf("using the client ID metadata document although the authorization server does not advertise support (fault %s)",
			fault.ClientCIMDIgnoreSupportFlag)
		return url
	}
	f.logf("the authorization server does not advertise client ID metadata documents: registering dynamically")
	return ""
}

// unregisteredClientID is the client_id client.ignore-registration-error
// authorizes with: one no authorization server issued.
const unregisteredClientID = "mcpconform-unregistered-client"

// clientAuth authenticates with HTTP Basic when there is a secret, else as
// a public client.
func clientAuth(id, secret string) mockclient.ClientAuth {
	if secret != "" {
		return mockclient.ClientAuth{Method: "client_secret_basic", ID: id, Secret: secret}
	}
	return mockclient.ClientAuth{Method: "none", ID: id}
}
