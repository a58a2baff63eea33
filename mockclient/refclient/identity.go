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

// clientIdentity is step d: the client the context names (pre-registered,
// with a secret for a confidential client), else one registered now by
// dynamic client registration (RFC 7591) as a native public client.
func (f *flow) clientIdentity(ctx context.Context, as *authorizationServer, redirectURI string) (mockclient.ClientAuth, error) {
	if id, _ := f.cfg.Context["client_id"].(string); id != "" && !f.has(fault.ClientIgnorePreregistered) {
		secret, _ := f.cfg.Context["client_secret"].(string)
		auth := clientAuth(id, secret)
		f.logf("client: pre-registered in the context, token endpoint auth %s", auth.Method)
		return auth, nil
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
		return f.http.Register(ctx, as.registrationEndpoint, metadata, "")
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
