package run

import (
	"sync"

	"github.com/mcpconform/mcpconform/suites/check"
	"github.com/mcpconform/mcpconform/suites/client"
	"github.com/mcpconform/mcpconform/suites/server"
)

// suites are every mode's specs with the handles they read. Ginkgo keeps one
// spec tree per process, so they are declared once, the first time a run or
// a validation needs them, never on import.
type suites struct {
	run    *check.Run
	server *server.Session
	client *client.Session
}

var declared = sync.OnceValue(func() *suites {
	s := &suites{run: &check.Run{}}
	s.server = server.NewSession(s.run)
	server.Specs(s.server)
	s.client = client.NewSession(s.run)
	client.Specs(s.client)
	return s
})
