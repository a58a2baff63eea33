// Package client holds the client-mode specs: mcpconform as the MCP server
// and authorization server(s) a real MCP client meets, judging what the
// client sent them in each scenario.
package client

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/suites/check"
)

// Session is one client-mode run as the specs see it: the revision and what
// each scenario observed. The runner fills it before the specs run.
type Session struct {
	run      *check.Run
	revision spec.Revision
	observed map[string]*Observation
}

// NewSession is the handle of the client-mode specs of run.
func NewSession(run *check.Run) *Session { return &Session{run: run} }

// Use gives the session a run's observations.
func (s *Session) Use(rev spec.Revision, observed map[string]*Observation) {
	s.revision, s.observed = rev, observed
}

// Observe is what scenario name observed; an error when it could not run.
func (s *Session) Observe(name string) (*Observation, error) {
	o, ok := s.observed[name]
	switch {
	case !ok:
		return nil, fmt.Errorf("client: scenario %s was not run", name)
	case o.Err != nil:
		return o, o.Err
	case o.Outcome.Err != "":
		return o, fmt.Errorf("scenario %s: %s", name, o.Outcome.Err)
	}
	return o, nil
}

// Specs declares the client-mode specs, reading everything from s.
func Specs(s *Session) {
	Describe("Client mode", func() {
		check.Frame(s.run)
		describeFlow(s)
		describeDiscovery(s)
		describePKCE(s)
		describeCallback(s)
		describeResource(s)
		describeRegistration(s)
		describeDiscoveryVariants(s)
		describeScope(s)
		describeStepUp(s)
		describeRefresh(s)
		describeOffline(s)
		describeHostile(s)
		describeClientCredentials(s)
		describeCIMD(s)
		describeMigration(s)
		describeTokenResponses(s)
	})
}

// authorizing is what scenario name observed when the client sent an
// authorization request there, whatever came of it.
func (s *Session) authorizing(name string) (*Observation, error) {
	o, err := s.Observe(name)
	if err == nil && len(o.AuthorizationRequests()) == 0 {
		err = fmt.Errorf("client: in %s the client sent no authorization request (%s)", name, o.Ending())
	}
	return o, err
}

// completedFlow is the happy scenario when the client got through it: an
// MCP request with its token was served. Refusals elsewhere mean something
// only from a client that can complete the flow.
func (s *Session) completedFlow() (*Observation, error) {
	o, err := s.Observe("auth/dcr")
	if err != nil || o.servedWithToken() {
		return o, err
	}
	return o, fmt.Errorf("client: in auth/dcr no MCP request with an access token was served (%s)", o.Ending())
}
