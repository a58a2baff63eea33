// Package server holds the server-mode specs: mcpconform as an MCP client
// judging a real MCP server and the authorization server it names.
package server

import (
	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient"
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
}

var discovery *mockclient.Discovery

// Use points the specs at target; call it before running them.
func Use(target Target) *mockclient.Discovery {
	discovery = mockclient.NewDiscovery(target.Client, target.Revision, target.MCPURL)
	oauth = &session{client: target.Client, initialAccessToken: target.InitialAccessToken}
	return discovery
}

var _ = Describe("Server mode", func() {
	check.Frame()
	describeChallenge()
	describeProtectedResourceMetadata()
	describeAuthorizationServerMetadata()
})
