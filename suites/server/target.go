// Package server holds the server-mode specs: mcpconform as an MCP client
// judging a real MCP server and the authorization server it names.
package server

import (
	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/mockserver/testissuer"
	"github.com/mcpconform/mcpconform/suites/check"
)

// Target is the MCP server under test.
type Target struct {
	MCPURL   string
	Revision spec.Revision
	Client   *mockclient.Client
	// InitialAccessToken, when set, is presented to the registration
	// endpoint; checks of protected registration need it.
	InitialAccessToken string
	// TrustedIssuer, when set, is a test issuer the server is configured to
	// trust, already serving; checks of token claims need it.
	TrustedIssuer *testissuer.Issuer
	// Upstream, when set, is the canary API the server is pointed at.
	Upstream Upstream
	// StepUp is the tool the scope checks call (ReferenceStepUp when zero).
	StepUp StepUp
	// Preregistered is a client the authorization server knows in advance:
	// it stands in for the client of its kind (public with method none,
	// else confidential) where the server advertises no registration
	// endpoint.
	Preregistered mockclient.ClientAuth
	// AccessToken, when set, is a token the MCP server accepts: the
	// resource server checks present it when no flow can run.
	AccessToken string
	// ExtraScopes are asked for in every authorization request besides
	// the resource's scopes, such as offline_access for a server that
	// issues refresh tokens only for it.
	ExtraScopes []string
	// OtherResource, when set, is a second resource the authorization
	// server issues tokens for, which the MCP server must refuse.
	OtherResource string
}

// NewSession is the handle of the server-mode specs of run; Use points it
// at a target before the specs run.
func NewSession(run *check.Run) *Session { return &Session{run: run} }

// Use points the session at target, forgetting any earlier target.
func (s *Session) Use(target Target) *mockclient.Discovery {
	stepUp := target.StepUp
	if stepUp.Tool == "" {
		stepUp = ReferenceStepUp
	}
	*s = Session{
		run:                s.run,
		discovery:          mockclient.NewDiscovery(target.Client, target.Revision, target.MCPURL),
		trust:              &trustSession{issuer: target.TrustedIssuer},
		upstream:           target.Upstream,
		stepUpProbe:        stepUp,
		client:             target.Client,
		initialAccessToken: target.InitialAccessToken,
		fallback:           fallback{client: target.Preregistered, accessToken: target.AccessToken},
		extraScopes:        target.ExtraScopes,
		otherResource:      target.OtherResource,
	}
	return s.discovery
}

// Specs declares the server-mode specs, reading everything from s. Ginkgo
// keeps one tree per process: the runner declares them once.
func Specs(s *Session) {
	Describe("Server mode", func() {
		check.Frame(s.run)
		describeChallenge(s)
		describeProtectedResourceMetadata(s)
		describeAuthorizationServerMetadata(s)
		describeStandardFlow(s)
		describeRegistration(s)
		describeAuthorizationCode(s)
		describeTokenEndpoint(s)
		describeRefreshTokens(s)
		describeClientAuthentication(s)
		describeClientCredentials(s)
		describeClientIDMetadataDocuments(s)
		describeIntrospection(s)
		describeTokenMisuse(s)
		describeTrustedIssuerClaims(s)
		describePassthrough(s)
		describeTransport(s)
	})
}
