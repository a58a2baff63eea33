package server

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/fixtures"
	"github.com/mcpconform/mcpconform/internal/schema"
	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/suites/check"
)

// Values no authorization server supports: whatever it does with them, it
// cannot honour them.
const (
	unsupportedGrantType  = "urn:mcpconform:params:oauth:grant-type:unsupported"
	unsupportedAuthMethod = "mcpconform_unsupported_auth_method"
)

func describeRegistration(s *Session) {
	Describe("Dynamic client registration", func() {

		It("registers a public client with a loopback redirect URI", check.ID("AS-DCR-001"), func(ctx SpecContext) {
			check.Need(s.RegistrationEndpoint(ctx))
			client, err := s.PublicClient(ctx)
			s.skipIfTokenWanted(client.OAuthAnswer)
			check.Require(client, err)
			Expect(client.Status).To(Equal(http.StatusCreated), "a successful registration must answer 201 Created")
		})

		It("issues a client secret to a confidential client it registers", check.ID("AS-DCR-002"), func(ctx SpecContext) {
			s.needRegistration(ctx)
			client, err := s.ConfidentialClient(ctx)
			if answered(client.OAuthAnswer, http.StatusBadRequest) {
				// RFC 7591 §2 lets a server keep to public clients.
				check.Attach(client)
				Skip(check.NotRunPrefix + "the authorization server registers no confidential client (" + client.Error() + ")")
			}
			// The session refuses a confidential registration answered without a secret.
			check.Require(client, err)
		})

		It("answers a registration with client information of the types RFC 7591 defines", check.ID("AS-DCR-013"), func(ctx SpecContext) {
			s.needRegistration(ctx)
			public := check.Need(s.PublicClient(ctx))
			answers := map[string]*registeredClient{"public": public}
			// A confidential client, where the server registers one, shows
			// the client_secret members as well.
			if confidential, _ := s.ConfidentialClient(ctx); confidential != nil && registered(confidential.OAuthAnswer) {
				check.Attach(confidential)
				answers["confidential"] = confidential
			}
			for _, kind := range slices.Sorted(maps.Keys(answers)) {
				if err := schema.Validate(fixtures.SchemaClientInformationResponse, answers[kind].Body); err != nil {
					Fail(fmt.Sprintf("a registration must be answered with an RFC 7591 §3.2.1 client information response: members of the types "+
						"RFC 7591 §2 defines, left out rather than null, and client_secret_expires_at with every client_secret; "+
						"the registration of the %s client was answered with %v", kind, err))
				}
			}
		})

		It("refuses to register a javascript: redirect URI", check.ID("AS-DCR-003"), func(ctx SpecContext) {
			s.expectRegistrationRefused(ctx, withRedirectURI("javascript:alert(document.domain)//"),
				"a javascript: redirect URI must be refused: redirecting to it runs script in the authorization server's origin")
		})

		It("refuses to register a data: redirect URI", check.ID("AS-DCR-004"), func(ctx SpecContext) {
			s.expectRegistrationRefused(ctx, withRedirectURI("data:text/html,mcpconform"),
				"a data: redirect URI must be refused: redirect URIs must be https or localhost")
		})

		It("refuses to register an http redirect URI on a host other than loopback", check.ID("AS-DCR-005"), func(ctx SpecContext) {
			s.expectRegistrationRefused(ctx, withRedirectURI("http://mcpconform.example/callback"),
				"an http redirect URI on a host other than loopback must be refused: codes would cross the network in the clear")
		})

		It("refuses to register a redirect URI with a fragment", check.ID("AS-DCR-006"), func(ctx SpecContext) {
			s.expectRegistrationRefused(ctx, withRedirectURI("https://mcpconform.example/callback#fragment"),
				"a redirect URI with a fragment must be refused")
		})

		It("answers a refused redirect URI with the invalid_redirect_uri error", check.ID("AS-DCR-007"), func(ctx SpecContext) {
			// A relative URI is invalid everywhere (RFC 6749 §3.1.2), so no
			// other policy decides the answer.
			answer := s.expectRegistrationRefused(ctx, withRedirectURI("/mcpconform/callback"), "a relative redirect URI must be refused")
			Expect(answer.Error()).To(Equal("invalid_redirect_uri"), "a refused redirect URI should be answered with invalid_redirect_uri")
		})

		It("refuses or drops a grant type it does not support", check.ID("AS-DCR-008"), func(ctx SpecContext) {
			answer := s.registerProbe(ctx, func(metadata map[string]any) {
				metadata["grant_types"] = []string{"authorization_code", unsupportedGrantType}
			})
			expectRefusedOrDropped(answer, "grant_types", unsupportedGrantType,
				"a grant type the server does not support should be refused or left out of the registration")
		})

		It("refuses or replaces a token endpoint auth method it does not support", check.ID("AS-DCR-009"), func(ctx SpecContext) {
			answer := s.registerProbe(ctx, func(metadata map[string]any) {
				metadata["token_endpoint_auth_method"] = unsupportedAuthMethod
			})
			expectRefusedOrDropped(answer, "token_endpoint_auth_method", unsupportedAuthMethod,
				"an auth method the server does not support should be refused or replaced in the registration")
		})

		It("refuses the client_credentials grant to a public client", check.ID("AS-DCR-010"), func(ctx SpecContext) {
			answer := s.registerProbe(ctx, func(metadata map[string]any) {
				metadata["grant_types"] = []string{"authorization_code", "client_credentials"}
			})
			if registered(answer) && !slices.Contains(registeredValues(answer, "token_endpoint_auth_method"), "none") {
				return // registered as a confidential client, which may use client_credentials
			}
			expectRefusedOrDropped(answer, "grant_types", "client_credentials",
				"a public client (auth method none) must not be registered for the client_credentials grant: with no user and no "+
					"secret in it, the grant would rest on the client_id alone")
		})

		It("refuses a registration without the initial access token", check.ID("AS-DCR-011"), func(ctx SpecContext) {
			s.skipWithoutInitialAccessToken()
			s.needRegistration(ctx)
			answer := check.Require(s.RegisterProbe(ctx, "", nil))
			Expect(answer.Status).To(Equal(http.StatusUnauthorized),
				"a registration endpoint protected by an initial access token must refuse a request without it with 401")
		})

		It("refuses a registration with an invalid initial access token", check.ID("AS-DCR-012"), func(ctx SpecContext) {
			s.skipWithoutInitialAccessToken()
			s.needRegistration(ctx)
			answer := check.Require(s.RegisterProbe(ctx, "mcpconform-invalid-"+mockclient.NewVerifier(), nil))
			Expect(answer.Status).To(Equal(http.StatusUnauthorized),
				"a registration endpoint protected by an initial access token must refuse any other token with 401 invalid_token")
		})
	})
}

// needRegistration: a registration probe builds on the standard
// registration of the public client (not a client configured in advance).
func (s *Session) needRegistration(ctx SpecContext) {
	check.Need(s.RegistrationEndpoint(ctx))
	check.Need(s.PublicClient(ctx))
}

// skipWithoutInitialAccessToken: protected registration is only judged when
// the run was given the token.
func (s *Session) skipWithoutInitialAccessToken() {
	if s.initialAccessToken == "" {
		Skip(check.NotRunPrefix + "no initial access token configured (set MCPCONFORM_INITIAL_ACCESS_TOKEN)")
	}
}

// skipIfTokenWanted: a registration refused with 401 while the run has no
// initial access token is a missing setting, not a finding.
func (s *Session) skipIfTokenWanted(answer *mockclient.OAuthAnswer) {
	if s.initialAccessToken == "" && answered(answer, http.StatusUnauthorized) {
		check.Attach(answer)
		Skip(check.NotRunPrefix + "registration needs an initial access token and none is configured (set MCPCONFORM_INITIAL_ACCESS_TOKEN)")
	}
}

// registerProbe registers the probe client bent by edit, presenting the
// configured initial access token, once the standard registration worked.
func (s *Session) registerProbe(ctx SpecContext, edit func(metadata map[string]any)) *mockclient.OAuthAnswer {
	s.needRegistration(ctx)
	return check.Require(s.RegisterProbe(ctx, s.initialAccessToken, edit))
}

// expectRegistrationRefused registers the probe client bent by edit and
// expects an RFC 7591 §3.2.2 error answer.
func (s *Session) expectRegistrationRefused(ctx SpecContext, edit func(metadata map[string]any), requirement string) *mockclient.OAuthAnswer {
	GinkgoHelper()
	answer := s.registerProbe(ctx, edit)
	Expect(answer.Status).To(Equal(http.StatusBadRequest), requirement)
	Expect(answer.Error()).NotTo(BeEmpty(), "a refused registration must name an RFC 7591 error code")
	return answer
}

// expectRefusedOrDropped: a server may refuse metadata it will not honour
// with invalid_client_metadata, or register the client without it (RFC 7591
// §2), and its answer shows what it registered (§3.2.1).
func expectRefusedOrDropped(answer *mockclient.OAuthAnswer, member, value, requirement string) {
	GinkgoHelper()
	if registered(answer) {
		Expect(registeredValues(answer, member)).NotTo(ContainElement(value), requirement)
		return
	}
	Expect(answer.Status).To(Equal(http.StatusBadRequest), requirement)
	Expect(answer.Error()).To(Equal("invalid_client_metadata"), "refused client metadata should be answered with invalid_client_metadata")
}

func withRedirectURI(uri string) func(map[string]any) {
	return func(metadata map[string]any) { metadata["redirect_uris"] = []string{uri} }
}

// answered reports whether answer is an HTTP answer with status.
func answered(answer *mockclient.OAuthAnswer, status int) bool {
	return answer != nil && answer.Response != nil && answer.Status == status
}

// registered reports whether the registration succeeded.
func registered(answer *mockclient.OAuthAnswer) bool {
	return answered(answer, http.StatusCreated) || answered(answer, http.StatusOK)
}

// registeredValues reads a registered metadata member, a string or an array
// of strings.
func registeredValues(answer *mockclient.OAuthAnswer, member string) []string {
	raw := answer.Members[member]
	var values []string
	if json.Unmarshal(raw, &values) == nil {
		return values
	}
	var value string
	if json.Unmarshal(raw, &value) == nil {
		return []string{value}
	}
	return nil
}
